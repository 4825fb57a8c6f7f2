"""The job editor's Rejects tab: the rejected lines, the selected one's raw line and field messages."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from campaign_desktop.domain.job import Reject
from campaign_desktop.gui.i18n import tr
from campaign_desktop.gui.icons import icon
from campaign_desktop.gui.jobs.rejects_model import RejectsModel, reject_details_model
from campaign_desktop.gui.models.item_table import format_count


class RejectsTab(QWidget):
    """Rejected records (paged), the selected one's details, Export and Re-import buttons.

    Signals:
        export_requested: **Export rejects…** was clicked.
        reimport_requested: **Re-import fixed rejects…** was clicked.
    """

    export_requested = Signal()
    reimport_requested = Signal()

    def __init__(self, model: RejectsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rejects_tab")
        self.model = model
        self.view = QTableView(self)
        self.view.setObjectName("rejects_view")
        self.view.setModel(model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.view.horizontalHeader().setStretchLastSection(True)
        for col, width in enumerate((80, 130, 110, 180)):
            self.view.setColumnWidth(col, width)
        self.view.selectionModel().selectionChanged.connect(self._on_selection)

        self.counter = QLabel(self)
        self.counter.setObjectName("rejects_counter")
        self.counter.setToolTip(tr("Rejects loaded / rejects of the job"))
        self.export_button = QPushButton(icon("export"), tr("Export rejects…"), self)
        self.export_button.setObjectName("export_rejects_button")
        self.export_button.setToolTip(tr("Write the rejected lines to a file you can fix and import again"))
        self.export_button.clicked.connect(self.export_requested)
        self.reimport_button = QPushButton(icon("import"), tr("Re-import fixed rejects…"), self)
        self.reimport_button.setObjectName("reimport_button")
        self.reimport_button.setToolTip(tr("Import a corrected rejects file with the same template; "
                                           "the new job is linked to this one"))
        self.reimport_button.clicked.connect(self.reimport_requested)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("Rejected records"), self))
        bar.addStretch(1)
        bar.addWidget(self.counter)
        bar.addSpacing(12)
        bar.addWidget(self.export_button)
        bar.addWidget(self.reimport_button)

        self.raw_line = QLineEdit(self)
        self.raw_line.setObjectName("reject_raw_line")
        self.raw_line.setReadOnly(True)
        self.raw_line.setPlaceholderText(tr("Select a rejected record to see its line as read"))
        self.details = QTreeView(self)
        self.details.setObjectName("reject_details")
        self.details_model = reject_details_model(None, self)
        self.details.setModel(self.details_model)
        self.details.setRootIsDecorated(True)
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        raw_row = QHBoxLayout()
        raw_row.addWidget(QLabel(tr("Line as read:"), lower))
        raw_row.addWidget(self.raw_line, 1)
        lower_layout.addLayout(raw_row)
        lower_layout.addWidget(self.details, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.view)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)

        for signal in (model.rowsInserted, model.modelReset, model.total_changed):
            signal.connect(self._update_counter)
        self._update_counter()

    def selected_reject(self) -> Reject | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.reject(rows[0].row()) if rows else None

    def _on_selection(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        self.show_details(self.selected_reject())

    def show_details(self, reject: Reject | None) -> None:
        self.raw_line.setText(reject.raw if reject is not None else "")
        self.raw_line.setCursorPosition(0)
        old = self.details_model
        self.details_model = reject_details_model(reject, self)
        self.details.setModel(self.details_model)
        old.deleteLater()
        self.details.expandAll()
        for col in range(2):
            self.details.resizeColumnToContents(col)

    def _update_counter(self, *args: object) -> None:
        total = self.model.total
        shown = self.model.rowCount()
        self.counter.setText(f"{format_count(shown)} / {format_count(total) if total is not None else '?'}")
        has = bool(total) or shown > 0
        self.export_button.setEnabled(has)
        self.reimport_button.setEnabled(has)
        if not shown:
            self.show_details(None)
