"""The Columns section of the File format dialog: one row per source column and how it is read."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from campaign_desktop.domain.recipient_fields import FieldType
from campaign_desktop.domain.template import ColumnFormat, OnError, Transform
from campaign_desktop.gui.i18n import tr

_Index = QModelIndex | QPersistentModelIndex

# Choices hold English source text; the delegate and data() translate it when shown.

TYPE_CHOICES = [(t.value, label) for t, label in (
    (FieldType.TEXT, "Text"), (FieldType.INTEGER, "Integer"), (FieldType.DECIMAL, "Decimal"),
    (FieldType.DATE, "Date"), (FieldType.DATETIME, "Date and time"), (FieldType.BOOLEAN, "Boolean"))]
TRANSFORM_CHOICES = [(t.value, label) for t, label in (
    (Transform.NONE, "None"), (Transform.TITLE, "First letter in upper case"), (Transform.UPPER, "Upper case"),
    (Transform.LOWER, "Lower case"))]
ON_ERROR_CHOICES = [(t.value, label) for t, label in (
    (OnError.IGNORE, "Ignore the value"), (OnError.REJECT_LINE, "Reject the line"),
    (OnError.DEFAULT, "Use the default value"),
    (OnError.REJECT_IF_UNMAPPED, "Reject the line when there is no remapping value"),
    (OnError.DEFAULT_IF_UNMAPPED, "Use the default when the value is not remapped"))]

COL_LABEL, COL_IGNORE, COL_TYPE, COL_FORMAT, COL_TRANSFORM, COL_ERROR, COL_DEFAULT, COL_REMAP, COL_WIDTH = range(9)
HEADERS = ("Column", "Ignore", "Data type", "Format", "Transformation", "In case of error", "Default value",
           "Remapping (a=b; c=d)", "Width")
CHOICES = {COL_TYPE: TYPE_CHOICES, COL_TRANSFORM: TRANSFORM_CHOICES, COL_ERROR: ON_ERROR_CHOICES}


def remap_text(remap: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in remap.items())


def parse_remap(text: str) -> dict[str, str]:
    """'three=3; four=4' -> {'three': '3', 'four': '4'} (pairs without '=' are left out)."""
    out: dict[str, str] = {}
    for part in text.split(";"):
        if "=" in part:
            k, v = part.split("=", 1)
            if k.strip():
                out[k.strip()] = v.strip()
    return out


class ColumnFormatModel(QAbstractTableModel):
    """Edits a list of :class:`ColumnFormat`; ``changed`` after every edit (the preview refreshes)."""

    changed = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._columns: list[ColumnFormat] = []

    def set_columns(self, columns: list[ColumnFormat]) -> None:
        self.beginResetModel()
        self._columns = [replace(c, remap=dict(c.remap)) for c in columns]
        self.endResetModel()

    def columns(self) -> list[ColumnFormat]:
        return [replace(c, remap=dict(c.remap)) for c in self._columns]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self._columns)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(HEADERS)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == COL_IGNORE:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    def _value(self, c: ColumnFormat, col: int) -> Any:
        return (c.label or c.name, None, c.type.value, c.date_format, c.transform.value, c.on_error.value, c.default,
                remap_text(c.remap), c.width if c.width is not None else "")[col]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        c = self._columns[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.CheckStateRole and col == COL_IGNORE:
            return Qt.CheckState.Checked if c.ignore else Qt.CheckState.Unchecked
        if col == COL_IGNORE:
            return None
        value = self._value(c, col)
        if role == Qt.ItemDataRole.EditRole:
            return value
        if role == Qt.ItemDataRole.DisplayRole:
            if col in CHOICES:
                return tr(dict(CHOICES[col]).get(value, value))
            return value
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid():
            return False
        c = self._columns[index.row()]
        col = index.column()
        if col == COL_IGNORE and role == Qt.ItemDataRole.CheckStateRole:
            c.ignore = Qt.CheckState(value) == Qt.CheckState.Checked
        elif role != Qt.ItemDataRole.EditRole:
            return False
        elif col == COL_LABEL:
            c.label = str(value)
        elif col == COL_TYPE:
            c.type = FieldType(value)
        elif col == COL_FORMAT:
            c.date_format = str(value).strip()
        elif col == COL_TRANSFORM:
            c.transform = Transform(value)
        elif col == COL_ERROR:
            c.on_error = OnError(value)
        elif col == COL_DEFAULT:
            c.default = str(value)
        elif col == COL_REMAP:
            c.remap = parse_remap(str(value))
        elif col == COL_WIDTH:
            text = str(value).strip()
            c.width = int(text) if text.isdigit() and int(text) > 0 else None
        else:
            return False
        self.dataChanged.emit(index.siblingAtColumn(0), index.siblingAtColumn(len(HEADERS) - 1))
        self.changed.emit()
        return True

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return tr(HEADERS[section]) if 0 <= section < len(HEADERS) else None
        return None
