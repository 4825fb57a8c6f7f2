"""A table model over a list of explorer items, described by its columns.

Every explorer list (templates, lists, services, jobs) is this model with its own columns,
so header labels, icons, tooltips and sort keys are declared once per column, and sorting
by any column works through ``QSortFilterProxyModel`` on :data:`SORT_ROLE`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QLocale, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QIcon

from campaign_desktop.domain.explorer import ExplorerItem
from campaign_desktop.gui.i18n import tr

T = TypeVar("T", bound=ExplorerItem)
Index = QModelIndex | QPersistentModelIndex

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
"""A value of one type per column (text lower-cased, numbers, ISO dates) that sorts like the user expects."""
ITEM_ROLE = Qt.ItemDataRole.UserRole + 2
"""The :class:`ExplorerItem` behind a row."""

_ROOT = QModelIndex()


def format_datetime(value: datetime | date | None) -> str:
    """Dates as the user's locale writes them in short form (Campaign shows '10/15/2024 3:02 PM')."""
    if value is None:
        return ""
    locale = QLocale()
    if locale.language() == QLocale.Language.C:  # no locale configured: unambiguous ISO dates
        return value.strftime("%Y-%m-%d %H:%M" if isinstance(value, datetime) else "%Y-%m-%d")
    return locale.toString(value, QLocale.FormatType.ShortFormat)


def format_count(value: int) -> str:
    return QLocale().toString(value)


def _sort_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str):
        return value.casefold()
    return value


@dataclass(frozen=True)
class Column(Generic[T]):
    """One column of a list.

    Attributes:
        title: the English header, translated when shown.
        value: the raw value of the column for an item (what it sorts on).
        text: how the value reads; by default dates and counts in the user's locale.
        icon: a decoration for the cell.
        tooltip: a tooltip for the cell.
        align_right: counts line up on the right (their header too).
        elastic: long free text (a description) that may be cut to fit the view; other
            columns keep their width and the list scrolls sideways instead.
    """

    title: str
    value: Callable[[T], Any]
    text: Callable[[T], str] | None = None
    icon: Callable[[T], QIcon | None] | None = None
    tooltip: Callable[[T], str] | None = None
    align_right: bool = False
    elastic: bool = False

    def display(self, item: T) -> str:
        if self.text is not None:
            return self.text(item)
        value = self.value(item)
        if value is None:
            return ""
        if isinstance(value, datetime | date):
            return format_datetime(value)
        if isinstance(value, bool):
            return tr("Yes") if value else tr("No")
        if isinstance(value, int):
            return format_count(value)
        return str(value)


class ItemTableModel(QAbstractTableModel, Generic[T]):
    """Rows of explorer items; replaced as a whole by :meth:`set_items` (lists are small)."""

    def __init__(self, columns: Sequence[Column[T]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._items: list[T] = []

    # --- Qt API --------------------------------------------------------------------------

    def rowCount(self, parent: Index = _ROOT) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = _ROOT) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._items):
            return None
        item = self._items[index.row()]
        column = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return column.display(item)
        if role == Qt.ItemDataRole.DecorationRole:
            return column.icon(item) if column.icon else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip(item) if column.tooltip else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == SORT_ROLE:
            return _sort_value(column.value(item))
        if role == ITEM_ROLE:
            return item
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt override
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            column = self.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return tr(column.title)
            if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return super().headerData(section, orientation, role)

    # --- our API -------------------------------------------------------------------------

    @property
    def items(self) -> list[T]:
        return list(self._items)

    def set_items(self, items: Sequence[T]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def item(self, row: int) -> T | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def row_of(self, key: object) -> int:
        """The row of the item with ``key``, or -1."""
        return next((n for n, it in enumerate(self._items) if it.key == key), -1)

    @property
    def total(self) -> int:
        """How many items exist (the right-hand number of the 'N / N' counter)."""
        return len(self._items)
