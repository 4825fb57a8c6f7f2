"""Screens 4-5 of the export wizard (spec §5.4-5.6): columns (with their formatting) and sorting.

The filter (screen 6) has its own module, filter_page.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from campaign_desktop.domain.template import ExportColumn, SortKey
from campaign_desktop.export.preview import export_problems
from campaign_desktop.gui.i18n import tr
from campaign_desktop.gui.wizards.export.models import (
    FIELD_CHOICES,
    TRANSFORMS,
    FieldsModel,
    OutputColumnsModel,
    SortModel,
)
from campaign_desktop.gui.wizards.export.page_base import ExportPage
from campaign_desktop.gui.wizards.import_wizard.combo_delegate import ComboDelegate

COUNT_DELAY_MS = 300


def _table(parent: QWidget, name: str) -> QTableView:
    view = QTableView(parent)
    view.setObjectName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    view.verticalHeader().hide()
    return view


def _button(parent: QWidget, name: str, text: str) -> QPushButton:
    b = QPushButton(tr(text), parent)
    b.setObjectName(name)
    return b


class _GridPage(ExportPage):
    """A page around one editable grid with Delete / Up / Down buttons."""

    def _grid_buttons(self, view: QTableView, model: OutputColumnsModel | SortModel) -> QVBoxLayout:
        side = QVBoxLayout()
        for name, text, action in (("delete_button", "Delete", lambda r: model.remove(r)),
                                   ("up_button", "Up", lambda r: self._reselect(view, model.move(r, -1))),
                                   ("down_button", "Down", lambda r: self._reselect(view, model.move(r, 1)))):
            b = _button(self, name, text)
            b.clicked.connect(lambda _=False, act=action: self._on_row(view, act))
            side.addWidget(b)
        side.addStretch(1)
        model.changed.connect(self.edited)
        return side

    @staticmethod
    def _on_row(view: QTableView, action) -> None:  # type: ignore[no-untyped-def]
        row = view.currentIndex().row()
        if row >= 0:
            action(row)

    @staticmethod
    def _reselect(view: QTableView, row: int) -> None:
        view.selectRow(row)


class ColumnsPage(_GridPage):
    """Data to extract + Data formatting: double-click a field to add it; label, order and case per column."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("Data to extract"), tr("Choose the columns to extract, their labels, order and "
                                                   "transformation. Double-click a field to add it."), parent)
        self.find_edit = QLineEdit(self)
        self.find_edit.setObjectName("find_edit")
        self.find_edit.setPlaceholderText(tr("Find:"))
        self.fields_model = FieldsModel(self)
        self.fields_view = QListView(self)
        self.fields_view.setObjectName("fields_view")
        self.fields_view.setModel(self.fields_model)
        self.columns_model = OutputColumnsModel([], self)
        self.columns_view = _table(self, "columns_view")
        self.columns_view.setModel(self.columns_model)
        self.columns_view.setItemDelegateForColumn(2, ComboDelegate([(t.value, lbl) for t, lbl in TRANSFORMS], self))
        self.distinct_check = QCheckBox(tr("Remove duplicate rows (DISTINCT)"), self)
        self.distinct_check.setObjectName("distinct_check")
        add_expression = _button(self, "add_expression_button", "Add an expression…")
        left = QVBoxLayout()
        left.addWidget(QLabel(tr("Available fields"), self))
        left.addWidget(self.find_edit)
        left.addWidget(self.fields_view, 1)
        side = self._grid_buttons(self.columns_view, self.columns_model)
        side.insertWidget(0, add_expression)
        right = QVBoxLayout()
        right.addWidget(QLabel(tr("Output columns"), self))
        grid = QHBoxLayout()
        grid.addWidget(self.columns_view, 1)
        grid.addLayout(side)
        right.addLayout(grid, 1)
        right.addWidget(self.distinct_check)
        body = QHBoxLayout()
        body.addLayout(left, 2)
        body.addLayout(right, 3)
        self.layout_.addLayout(body, 1)
        self.finish_layout()
        self.find_edit.textChanged.connect(self.fields_model.set_filter)
        self.fields_view.doubleClicked.connect(self._add_field)
        add_expression.clicked.connect(self._add_expression)
        self.distinct_check.toggled.connect(self._distinct)

    def load(self) -> None:
        self.columns_model.reset_to(self.settings.columns)
        self.distinct_check.setChecked(self.settings.distinct)

    def add_field(self, name: str) -> None:
        if self.columns_model.items is not self.settings.columns:  # the page was never shown
            self.columns_model.reset_to(self.settings.columns)
        self.columns_model.append(ExportColumn(expression=name, enum_labels=self.export_wizard.enum_labels))

    def _add_field(self, index: QModelIndex) -> None:
        self.add_field(self.fields_model.field_name(index.row()))

    def _add_expression(self) -> None:
        text, ok = QInputDialog.getText(self, tr("Add an expression"),
                                        tr("Expression (e.g. upper(last_name) & ' ' & first_name):"))
        if ok and text.strip():
            self.columns_model.append(ExportColumn(expression=text.strip(), label=tr("Calculated field")))

    def _distinct(self, on: bool) -> None:
        if not self._loading:
            self.settings.distinct = on
            self.edited()

    def problems(self) -> list[str]:
        if not self.settings.columns:
            return [tr("Add at least one column (double-click a field).")]
        return [p for p in export_problems(self.settings) if p.startswith("Column")]


class SortPage(_GridPage):
    """Sorting: the ORDER BY, in priority order."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("Sorting"), tr("The sort order of the lines; without one, recipients come in the "
                                           "order they were created."), parent)
        self.sort_model = SortModel([], self)
        self.sort_view = _table(self, "sort_view")
        self.sort_view.setModel(self.sort_model)
        self.sort_view.setItemDelegateForColumn(0, ComboDelegate(FIELD_CHOICES[1:], self))
        self.field_combo = QComboBox(self)
        self.field_combo.setObjectName("sort_field_combo")
        for value, label in FIELD_CHOICES[1:]:
            self.field_combo.addItem(tr(label), value)
        add = _button(self, "add_sort_button", "Add")
        add.clicked.connect(lambda: self.add_sort(self.field_combo.currentData()))
        top = QHBoxLayout()
        top.addWidget(self.field_combo, 1)
        top.addWidget(add)
        grid = QHBoxLayout()
        grid.addWidget(self.sort_view, 1)
        grid.addLayout(self._grid_buttons(self.sort_view, self.sort_model))
        self.layout_.addLayout(top)
        self.layout_.addLayout(grid, 1)
        self.finish_layout()

    def load(self) -> None:
        self.sort_model.reset_to(self.settings.sort)

    def add_sort(self, name: str, descending: bool = False) -> None:
        if self.sort_model.items is not self.settings.sort:  # the page was never shown
            self.sort_model.reset_to(self.settings.sort)
        self.sort_model.append(SortKey(expression=name, descending=descending))

    def problems(self) -> list[str]:
        return [p for p in export_problems(self.settings) if p.startswith("Sort")]
