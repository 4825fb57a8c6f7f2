"""The proxy between every explorer list and its view: sorting on any column, and a source's own filter."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt

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

    def setSourceModel(self, model: QAbstractItemModel | None) -> None:  # noqa: N802 - Qt override
        """A source with ``accepts_row(row)`` filters its rows (the jobs list's status and type filter)."""
        old = self.sourceModel()
        if old is not None and hasattr(old, "filter_changed"):
            old.filter_changed.disconnect(self.refilter)
        super().setSourceModel(model)
        if model is not None and hasattr(model, "filter_changed"):
            model.filter_changed.connect(self.refilter)

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        accepts = getattr(self.sourceModel(), "accepts_row", None)
        return bool(accepts(row)) if accepts is not None and not parent.isValid() else True

    def refilter(self) -> None:
        """Apply a changed filter (Qt 6.10+ spelling of the deprecated ``invalidateFilter``)."""
        self.beginFilterChange()
        self.endFilterChange()
