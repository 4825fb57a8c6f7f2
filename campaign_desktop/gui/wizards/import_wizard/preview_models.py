"""Table models of the File to import screen: the first lines of the file and each column's profile."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from campaign_desktop.files.preview import ColumnProfile
from campaign_desktop.files.records import SourceRecord
from campaign_desktop.gui.i18n import tr

_Index = QModelIndex | QPersistentModelIndex
_BAD_LINE = QColor("#fde2e1")


class PreviewModel(QAbstractTableModel):
    """The first records of the file, one column per field; a broken line is tinted, its reason in a tooltip."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._columns: list[str] = []
        self._rows: list[SourceRecord] = []

    def set_preview(self, columns: list[str], rows: list[SourceRecord]) -> None:
        self.beginResetModel()
        self._columns = list(columns)
        self._rows = [r for r in rows if r.values or r.error]
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        rec = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if rec.error and not rec.values:
                return rec.raw if index.column() == 0 else ""
            return rec.values[index.column()] if index.column() < len(rec.values) else ""
        if role == Qt.ItemDataRole.ToolTipRole and rec.error:
            return rec.error
        if role == Qt.ItemDataRole.BackgroundRole and rec.error:
            return QBrush(_BAD_LINE)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._columns[section] if 0 <= section < len(self._columns) else None
        return str(self._rows[section].line_no) if 0 <= section < len(self._rows) else None


PROFILE_HEADERS = ("Column", "Type", "Format", "Empty", "Distinct", "Invalid", "Invalid examples", "Date order",
                   "Sample values")


class ProfileModel(QAbstractTableModel):
    """One row per column: what its values look like, so problems show before anything is written."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._profiles: list[ColumnProfile] = []

    def set_profiles(self, profiles: list[ColumnProfile]) -> None:
        self.beginResetModel()
        self._profiles = list(profiles)
        self.endResetModel()

    def profile(self, row: int) -> ColumnProfile:
        return self._profiles[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self._profiles)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(PROFILE_HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        p = self._profiles[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (p.name, p.detected_type.value, p.date_format, f"{p.empty_ratio:.0%}", p.distinct, p.invalid,
                    ", ".join(p.invalid_examples), p.ambiguity or ("" if not p.date_format else tr("certain")),
                    ", ".join(p.samples))[col]
        if role == Qt.ItemDataRole.ForegroundRole and col in (5, 6) and p.invalid:
            return QBrush(QColor("#b00020"))
        if role == Qt.ItemDataRole.ForegroundRole and col == 7 and p.ambiguity:
            return QBrush(QColor("#a15c00"))  # a guess to check, not an error
        if role == Qt.ItemDataRole.ToolTipRole and col in (6, 7, 8):
            return self.data(index, Qt.ItemDataRole.DisplayRole)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (3, 4, 5):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return tr(PROFILE_HEADERS[section]) if 0 <= section < len(PROFILE_HEADERS) else None
        return None
