"""The Recipients list: pages of 200 loaded on demand, counted, filtered and sorted by the database.

A recipients table can hold millions of rows. The view asks for more rows when the user
scrolls near the end (``canFetchMore``/``fetchMore``); each page is read on a worker thread
and appended when it arrives. Pages continue after the last row shown (keyset paging, see
:mod:`campaign_desktop.storage.recipient_query`), so page 5,000 costs what page 1 costs.
Sorting and the quick search re-read from the first page, so a sort by last name or a search
covers every recipient, not only the pages already loaded. The count runs beside the first
page, never before it: the rows show at once and "200 / …" becomes "200 / 1,000,000".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal

from campaign_desktop.domain.explorer import RecipientItem
from campaign_desktop.gui.i18n import tr
from campaign_desktop.gui.models.item_table import ITEM_ROLE, SORT_ROLE, Column, Index
from campaign_desktop.gui.workers import TaskRunner
from campaign_desktop.storage.browse import RECIPIENT_PAGE, Browser
from campaign_desktop.storage.recipient_query import Cursor, RecipientFilter, RecipientPage

_ROOT = QModelIndex()

# (column, the order key storage.browse understands)
RECIPIENT_COLUMNS: list[tuple[Column[RecipientItem], str]] = [
    (Column("Email", lambda it: it.email), "email"),
    (Column("First name", lambda it: it.first_name), "first_name"),
    (Column("Last name", lambda it: it.last_name), "last_name"),
    (Column("Account #", lambda it: it.account), "account"),
    (Column("City", lambda it: it.city), "city"),
    (Column("Denylisted", lambda it: it.denylisted), "denylisted"),
    (Column("Creation date", lambda it: it.created), "created"),
    (Column("Modification date", lambda it: it.last_modified), "last_modified"),
]


class RecipientsModel(QAbstractTableModel):
    """Recipients, paged from the database.

    Signals:
        total_changed: ``(int)`` the number of recipients in the database is known.
        page_loaded: a page has been appended (or the last, short one has arrived).
        failed: ``(Exception)`` a page or the count could not be read.
    """

    total_changed = Signal(int)
    page_loaded = Signal()
    failed = Signal(object)

    sorts_in_database = True

    def __init__(self, browser: Callable[[], Browser], runner: TaskRunner, parent: QObject | None = None,
                 page_size: int = RECIPIENT_PAGE) -> None:
        super().__init__(parent)
        self._browser = browser
        self._runner = runner
        self._page_size = page_size
        self.columns = [c for c, _ in RECIPIENT_COLUMNS]
        self._rows: list[RecipientItem] = []
        self._total: int | None = None
        self._loading = False
        self._exhausted = True  # nothing to fetch before the first reload()
        self._order: tuple[str, bool] = ("id", False)
        self._filter = RecipientFilter()
        self._cursor: Cursor | None = None  # where the next page starts
        self._generation = 0  # results of a previous reload, sort or search are dropped

    # --- Qt API --------------------------------------------------------------------------

    def rowCount(self, parent: Index = _ROOT) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        item = self._rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.display(item)
        if role == SORT_ROLE:
            return index.row()  # already in the database's order
        if role == ITEM_ROLE:
            return item
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt override
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self.columns)):
            return tr(self.columns[section].title)
        return super().headerData(section, orientation, role)

    def canFetchMore(self, parent: Index = _ROOT) -> bool:  # noqa: N802 - Qt override
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: Index = _ROOT) -> None:  # noqa: N802 - Qt override
        if not self.canFetchMore(parent):
            return
        self._loading = True
        generation, offset, (order, descending) = self._generation, len(self._rows), self._order
        size, flt, cursor = self._page_size, self._filter, self._cursor
        browser = self._browser()
        self._runner.run(lambda: browser.recipients_after(flt, order, descending, cursor, size),
                         on_done=lambda page: self._on_page(generation, offset, page),
                         on_error=lambda exc: self._on_error(generation, exc), owner=self)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = RECIPIENT_COLUMNS[column][1] if 0 <= column < len(RECIPIENT_COLUMNS) else "id"
        wanted = (key, order == Qt.SortOrder.DescendingOrder)
        if wanted != self._order:
            self._order = wanted
            self.reload(count=False)

    # --- our API -------------------------------------------------------------------------

    @property
    def total(self) -> int | None:
        """Recipients in the database, None until counted."""
        return self._total

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def filter(self) -> RecipientFilter:
        return self._filter

    def set_filter(self, flt: RecipientFilter) -> None:
        """Show the recipients ``flt`` selects (a search, a folder, a list's members), counted anew."""
        if flt != self._filter:
            self._filter = flt
            self.reload()

    @property
    def order(self) -> tuple[str, bool]:
        """The database order: (sort key, descending)."""
        return self._order

    def item(self, row: int) -> RecipientItem | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, key: object) -> int:
        return next((n for n, it in enumerate(self._rows) if it.id == key), -1)

    def reload(self, count: bool = True) -> None:
        """Forget the loaded pages, then read the first page (and the count, off the GUI thread)."""
        self._generation += 1
        generation = self._generation
        self.beginResetModel()
        self._rows = []
        self._cursor = None
        self._loading = False
        self._exhausted = False
        if count:
            self._total = None
        self.endResetModel()
        self.fetchMore(_ROOT)  # the first page first: it is what the user waits for
        if count:
            browser, flt = self._browser(), self._filter
            self._runner.run(lambda: browser.count_recipients(flt), on_done=lambda n: self._on_count(generation, n),
                             on_error=lambda exc: self._on_error(generation, exc), owner=self)

    # --- results ---------------------------------------------------------------------------

    def _on_page(self, generation: int, offset: int, page: RecipientPage) -> None:
        if generation != self._generation or offset != len(self._rows):
            return  # an answer to a question nobody asks any more (reloaded, re-sorted)
        rows = page.rows
        self._cursor = page.next
        if page.next is None:
            self._exhausted = True
        if rows:
            # Still "loading" while the rows go in: a view (or the model tester) that asks for
            # more from its rowsInserted handler must not start a second read of this page.
            self.beginInsertRows(_ROOT, offset, offset + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        self._loading = False
        self.page_loaded.emit()

    def _on_count(self, generation: int, total: int) -> None:
        if generation == self._generation:
            self._total = total
            self.total_changed.emit(total)

    def _on_error(self, generation: int, exc: Exception) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self._exhausted = True  # don't retry in a loop; Refresh tries again
        self.failed.emit(exc)
