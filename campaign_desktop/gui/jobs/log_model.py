"""The Log tab's model: a job's journal, appended to as the job writes it, filterable by level.

The journal is bounded by the engine (value warnings stop being listed after 100), so the
model keeps every entry and only reads the new ones (``after_id``) while the job runs.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from campaign_desktop.domain.job import JournalEntry, Level
from campaign_desktop.gui.i18n import tr
from campaign_desktop.gui.icons import icon
from campaign_desktop.gui.models.item_table import format_datetime

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

LEVEL_ROLE = Qt.ItemDataRole.UserRole + 10
LEVEL_LABELS = {Level.ERROR: "Error", Level.WARNING: "Warning", Level.INFO: "Info", Level.TRACE: "Trace"}
LEVEL_ICONS = {Level.ERROR: "status-cancelled", Level.WARNING: "status-warning", Level.INFO: "status-finished",
               Level.TRACE: "status-edited"}
COLUMNS = ("Level", "Date", "Message")


class JournalModel(QAbstractTableModel):
    """The journal entries of one job, oldest first."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entries: list[JournalEntry] = []
        self.last_id = 0
        self.job_id: int | None = None

    def rowCount(self, parent: Index = _ROOT) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = _ROOT) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._entries):
            return None
        entry = self._entries[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (tr(LEVEL_LABELS[entry.level]), format_datetime(entry.at), entry.message)[col]
        if role == Qt.ItemDataRole.DecorationRole and col == 0:
            return icon(LEVEL_ICONS[entry.level])
        if role == Qt.ItemDataRole.ToolTipRole and col == 2:
            return f"{entry.code}: {entry.message}" if entry.code else entry.message
        if role == LEVEL_ROLE:
            return entry.level.value
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt override
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(COLUMNS):
            return tr(COLUMNS[section])
        return super().headerData(section, orientation, role)

    # --- our API -------------------------------------------------------------------------

    def reset_for(self, job_id: int | None) -> None:
        self.beginResetModel()
        self._entries = []
        self.last_id = 0
        self.job_id = job_id
        self.endResetModel()

    def append(self, job_id: int, rows: list[tuple[int, JournalEntry]]) -> None:
        """Add the entries read after :attr:`last_id` (ignored if another job is shown now)."""
        rows = [(i, e) for i, e in rows if i > self.last_id]
        if job_id != self.job_id or not rows:
            return
        first = len(self._entries)
        self.beginInsertRows(_ROOT, first, first + len(rows) - 1)
        self._entries.extend(e for _, e in rows)
        self.last_id = rows[-1][0]
        self.endInsertRows()

    def entry(self, row: int) -> JournalEntry | None:
        return self._entries[row] if 0 <= row < len(self._entries) else None


class LevelFilterProxy(QSortFilterProxyModel):
    """Shows the entries of the chosen levels (all of them by default)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._levels: frozenset[str] | None = None

    def set_levels(self, levels: frozenset[Level] | None) -> None:
        self._levels = None if levels is None else frozenset(lv.value for lv in levels)
        self.refilter()

    def refilter(self) -> None:
        """Apply a changed filter (Qt 6.10+ spelling of the deprecated ``invalidateFilter``)."""
        self.beginFilterChange()
        self.endFilterChange()

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:  # noqa: N802 - Qt override
        if self._levels is None:
            return True
        level = self.sourceModel().index(row, 0, parent).data(LEVEL_ROLE)
        return level in self._levels

