"""The proxy between every explorer list and its view: sorting on any column."""

from __future__ import annotations

from PySide6.QtCore import QObject, QSortFilterProxyModel, Qt

from campaign_desktop.gui.models.item_table import SORT_ROLE


class ListProxyModel(QSortFilterProxyModel):
    """Sorts on :data:`SORT_ROLE`; a source that pages from the database sorts there instead.

    A paged list (recipients) holds only the pages loaded so far, so sorting them here would
    show the first 200 rows in order and hide the others. Such a source declares
    ``sorts_in_database = True``; this proxy then hands it the sort and keeps its order.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setDynamicSortFilter(True)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if source is not None and getattr(source, "sorts_in_database", False):
            super().sort(-1, Qt.SortOrder.AscendingOrder)  # -1 descending would reverse the source
            source.sort(column, order)
            return
        super().sort(column, order)
