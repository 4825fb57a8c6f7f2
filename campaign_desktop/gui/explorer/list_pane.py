"""The list of the selected explorer folder, with Campaign's "shown / total" counter under it."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QItemSelectionModel, QModelIndex, QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from campaign_desktop.domain.explorer import ExplorerItem
from campaign_desktop.gui.i18n import tr
from campaign_desktop.gui.models.item_table import ITEM_ROLE, format_count
from campaign_desktop.gui.models.proxy import ListProxyModel

MAX_COLUMN_WIDTH = 320


def fit_widths(widths: list[int], elastic: list[bool], available: int, floor: int = 130) -> list[int]:
    """Shrink the elastic columns (never below ``floor``) so that all columns fit in ``available`` pixels.

    Only long free text is cut (a description reads fine from its start); an email or a date
    keeps its width and the list scrolls sideways instead.
    """
    excess = sum(widths) - available
    shrinkable = sum(max(0, w - floor) for w, e in zip(widths, elastic, strict=True) if e)
    if excess <= 0 or available < 200 or shrinkable <= 0:
        return widths
    ratio = min(1.0, excess / shrinkable)
    return [w - int(max(0, w - floor) * ratio + 0.999) if e else w
            for w, e in zip(widths, elastic, strict=True)]


class ListPane(QWidget):
    """A sortable table over one explorer model at a time.

    Signals:
        current_item_changed: ``(ExplorerItem | None)`` the selected row changed.
        context_menu_requested: ``(QPoint)`` right-click on a row, in global coordinates
            (the row is selected first).
    """

    current_item_changed = Signal(object)
    context_menu_requested = Signal(QPoint)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.proxy = ListProxyModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("explorer_list")
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        self.view.setAlternatingRowColors(True)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.setStyleSheet("QTableView::item { padding-left: 3px; padding-right: 9px; }")
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the source order until a click
        self.view.setSortingEnabled(True)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._on_context_menu)
        # A click sets the current index before it selects the row: follow both.
        self.view.selectionModel().currentRowChanged.connect(self._emit_current_item)
        self.view.selectionModel().selectionChanged.connect(self._emit_current_item)

        self.counter = QLabel(self)
        self.counter.setObjectName("list_counter")
        self.counter.setToolTip(tr("Items shown / items in total"))
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.view)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(4, 0, 4, 2)
        bottom.addStretch(1)
        bottom.addWidget(self.counter)
        layout.addLayout(bottom)

        self._wanted_key: object = None
        self._last_item: ExplorerItem | None = None  # what current_item_changed said last
        self._fitted = False  # columns fitted to the rows since the last reset
        self.refit_on_reset = True
        """Fit the columns again after each reset; a paged list that reloads often keeps its first fit."""

    # --- the model ---------------------------------------------------------------------------

    @property
    def source(self) -> QAbstractItemModel | None:
        return self.proxy.sourceModel()

    def set_model(self, model: QAbstractItemModel) -> None:
        """Show ``model`` (the view keeps its settings; the selection starts empty)."""
        old = self.source
        if old is model:
            return
        if old is not None:
            old.modelReset.disconnect(self._on_reset)
            for signal in (old.modelReset, old.rowsInserted, old.rowsRemoved, old.layoutChanged):
                signal.disconnect(self._on_rows_changed)
            if hasattr(old, "total_changed"):
                old.total_changed.disconnect(self._update_counter)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.proxy.setSourceModel(model)
        self._fitted = False
        model.modelReset.connect(self._on_reset)
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.layoutChanged):
            signal.connect(self._on_rows_changed)
        if hasattr(model, "total_changed"):
            model.total_changed.connect(self._update_counter)
        self._fit_columns()
        self._update_counter()
        self._emit_current_item()

    # --- selection -----------------------------------------------------------------------

    def current_item(self) -> ExplorerItem | None:
        index = self.view.selectionModel().currentIndex()
        if not index.isValid() or not self.view.selectionModel().isRowSelected(index.row(), QModelIndex()):
            return None
        item = index.siblingAtColumn(0).data(ITEM_ROLE)
        return item if isinstance(item, ExplorerItem) else None

    def select_key(self, key: object, *, when_loaded: bool = True) -> bool:
        """Select the row of the item with ``key``; if it is not loaded yet, as soon as it is."""
        self._wanted_key = None
        source = self.source
        row = source.row_of(key) if source is not None and hasattr(source, "row_of") else -1
        if row < 0:
            self._wanted_key = key if when_loaded else None
            return False
        index = self.proxy.mapFromSource(source.index(row, 0))
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.view.scrollTo(index)
        return True

    def edit_current_label(self) -> None:
        """Open the in-place editor on the selected row's first column (Rename)."""
        index = self.view.selectionModel().currentIndex()
        if index.isValid():
            self.view.setFocus()
            self.view.edit(index.siblingAtColumn(0))

    # --- slots -----------------------------------------------------------------------------

    def _emit_current_item(self, *args: object) -> None:
        item = self.current_item()
        if item is not self._last_item:
            self._last_item = item
            self.current_item_changed.emit(item)

    def _on_rows_changed(self, *args: object) -> None:
        if self._wanted_key is not None:
            self.select_key(self._wanted_key)
        self._fit_columns()
        self._update_counter()
        self._emit_current_item()

    def _on_reset(self) -> None:
        if self.refit_on_reset:
            self._fitted = False  # a reset puts the header back to default widths

    def _on_context_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if not index.isValid():
            return
        if not self.view.selectionModel().isRowSelected(index.row(), QModelIndex()):  # keep a multi-selection
            self.view.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.context_menu_requested.emit(self.view.viewport().mapToGlobal(pos))

    def _fit_columns(self) -> None:
        source = self.source
        if source is None or source.rowCount() == 0 or self._fitted:
            return
        self._fitted = True
        header = self.view.horizontalHeader()
        # Content widths, not section sizes: the last section is stretched to fill the view.
        widths = [min(max(self.view.sizeHintForColumn(c), header.sectionSizeHint(c)) + 12, MAX_COLUMN_WIDTH)
                  for c in range(header.count())]
        columns = getattr(source, "columns", [])
        elastic = [bool(getattr(c, "elastic", False)) for c in columns] or [False] * len(widths)
        widths = fit_widths(widths, elastic[:len(widths)], self.view.viewport().width())
        for col, width in enumerate(widths):
            header.resizeSection(col, width)

    def _update_counter(self, *args: object) -> None:
        source = self.source
        if source is None:
            self.counter.setText("")
            return
        total = getattr(source, "total", None)
        shown = self.proxy.rowCount()
        self.counter.setText(f"{format_count(shown)} / {format_count(total) if total is not None else '…'}")
