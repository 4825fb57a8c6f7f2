"""The export wizard's grids: available fields, output columns, sort keys, preview (the filter: condition_tree).

Every grid edits the draft's own lists (the models hold a reference to them, never a copy), so
Save and Start see exactly the screen; ``changed`` tells the page to re-check and re-count.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from campaign_desktop.domain.recipient_fields import FIELDS_BY_NAME, RECIPIENT_FIELDS
from campaign_desktop.domain.template import ExportColumn, SortKey, Transform
from campaign_desktop.gui.i18n import tr

Index = QModelIndex | QPersistentModelIndex
DISPLAY, EDIT, CHECK = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.CheckStateRole
TRANSFORMS = ((Transform.NONE, "None"), (Transform.LOWER, "Switch to lower case"),
              (Transform.UPPER, "Switch to upper case"), (Transform.TITLE, "First letter in upper case"))
TRANSFORM_LABELS = dict(TRANSFORMS)


def field_caption(name: str) -> str:
    """'Birth date (@birthDate)' for a field, the text itself for an expression."""
    f = FIELDS_BY_NAME.get(name)
    return f"{tr(f.label)} ({f.xpath})" if f else name


class FieldsModel(QAbstractListModel):
    """The recipient schema's fields (Available fields), filtered by the Find box."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._fields = list(RECIPIENT_FIELDS)

    def set_filter(self, text: str) -> None:
        needle = text.strip().casefold()
        self.beginResetModel()
        self._fields = [f for f in RECIPIENT_FIELDS if not needle or needle in f.label.casefold()
                        or needle in f.name or needle in f.xpath.casefold()]
        self.endResetModel()

    def field_name(self, row: int) -> str:
        return self._fields[row].name

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self._fields)

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._fields):
            return None
        f = self._fields[index.row()]
        if role == DISPLAY:
            return f"{tr(f.label)} ({f.xpath})"
        if role == Qt.ItemDataRole.ToolTipRole:
            return tr("Field '{name}' of type '{type}' ({xpath})").format(name=f.name, type=f.type.value, xpath=f.xpath)
        return None


class _ListTable(QAbstractTableModel):
    """A table over one of the draft's lists, with add / remove / move."""

    changed = Signal()
    HEADERS: tuple[str, ...] = ()

    def __init__(self, items: list[Any], parent: Any = None) -> None:
        super().__init__(parent)
        self.items = items

    def reset_to(self, items: list[Any]) -> None:
        self.beginResetModel()
        self.items = items
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:  # noqa: N802
        if role == DISPLAY and orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.HEADERS):
            return tr(self.HEADERS[section])
        return None

    def append(self, item: Any) -> None:
        n = len(self.items)
        self.beginInsertRows(QModelIndex(), n, n)
        self.items.append(item)
        self.endInsertRows()
        self.changed.emit()

    def remove(self, row: int) -> None:
        if 0 <= row < len(self.items):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.items[row]
            self.endRemoveRows()
            self.changed.emit()

    def move(self, row: int, delta: int) -> int:
        """Move a row up (-1) or down (+1); returns its new row."""
        target = row + delta
        if not (0 <= row < len(self.items) and 0 <= target < len(self.items)):
            return row
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), target + (1 if delta > 0 else 0))
        self.items.insert(target, self.items.pop(row))
        self.endMoveRows()
        self.changed.emit()
        return target

    def _valid(self, index: Index) -> bool:
        return index.isValid() and 0 <= index.row() < len(self.items) and 0 <= index.column() < len(self.HEADERS)


class OutputColumnsModel(_ListTable):
    """Output columns (Data to extract / Data formatting): Label, Expression, Transformation."""

    HEADERS = ("Label", "Expression", "Transformation")

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not self._valid(index):
            return None
        c: ExportColumn = self.items[index.row()]
        col = index.column()
        if role in (DISPLAY, EDIT):
            if col == 0:
                f = FIELDS_BY_NAME.get(c.expression)
                return c.label or (tr(f.label) if f and role == DISPLAY else "")
            if col == 1:
                return field_caption(c.expression) if role == DISPLAY else c.expression
            return tr(TRANSFORM_LABELS[c.transform]) if role == DISPLAY else c.transform
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if self._valid(index) else base

    def setData(self, index: Index, value: Any, role: int = EDIT) -> bool:  # noqa: N802 - Qt API
        if not self._valid(index) or role != EDIT:
            return False
        c: ExportColumn = self.items[index.row()]
        if index.column() == 0:
            c.label = str(value or "").strip()
        elif index.column() == 1:
            if not str(value or "").strip():
                return False
            c.expression = str(value).strip()
        else:
            try:
                c.transform = Transform(value)
            except ValueError:
                return False
        self.dataChanged.emit(index, index)
        self.changed.emit()
        return True


class SortModel(_ListTable):
    """Sort columns: the field and whether the sort is descending (a check box)."""

    HEADERS = ("Expression", "Descending sort")

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not self._valid(index):
            return None
        k: SortKey = self.items[index.row()]
        if index.column() == 0 and role in (DISPLAY, EDIT):
            return field_caption(k.expression) if role == DISPLAY else k.expression
        if index.column() == 1:
            if role == CHECK:
                return Qt.CheckState.Checked.value if k.descending else Qt.CheckState.Unchecked.value
            if role == DISPLAY:
                return tr("Yes") if k.descending else tr("No")
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if not self._valid(index):
            return base
        return base | (Qt.ItemFlag.ItemIsUserCheckable if index.column() == 1 else Qt.ItemFlag.ItemIsEditable)

    def setData(self, index: Index, value: Any, role: int = EDIT) -> bool:  # noqa: N802 - Qt API
        if not self._valid(index):
            return False
        k: SortKey = self.items[index.row()]
        if index.column() == 1 and role == CHECK:
            k.descending = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2, True)
        elif index.column() == 0 and role == EDIT and str(value or "").strip():
            k.expression = str(value).strip()
        else:
            return False
        self.dataChanged.emit(index, index)
        self.changed.emit()
        return True


FIELD_CHOICES = [("", "(none)")] + [(f.name, f"{f.label} ({f.xpath})") for f in RECIPIENT_FIELDS]


class PreviewModel(QAbstractTableModel):
    """The first lines of the export as the file will show them (read-only)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.headers: list[str] = []
        self.rows: list[list[Any]] = []

    def show(self, headers: list[str], rows: list[list[Any]]) -> None:
        self.beginResetModel()
        self.headers, self.rows = list(headers), [list(r) for r in rows]
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:  # noqa: N802
        if role != DISPLAY:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.headers[section] if 0 <= section < len(self.headers) else None
        return section + 1

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if role != DISPLAY or not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        v = row[index.column()] if 0 <= index.column() < len(row) else None
        return "" if v is None else str(v)
