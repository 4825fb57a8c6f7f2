"""Screen 3, "Field mapping" (spec §4.6): which column feeds which recipient field.

The first time the page is shown for a file and the template maps nothing, the wizard
guesses (what the engine would do anyway), so the user sees and checks the result instead of
discovering it in the journal. *Guess the destination fields* does it again on demand.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QWidget,
)

from campaign_desktop.domain.errors import UserError
from campaign_desktop.domain.validation import key_mapping_problems, mapping_problems
from campaign_desktop.gui.i18n import tr
from campaign_desktop.gui.wizards.import_wizard.calculated_dialog import CalculatedFieldDialog, compute_samples
from campaign_desktop.gui.wizards.import_wizard.combo_delegate import ComboDelegate
from campaign_desktop.gui.wizards.import_wizard.mapping_model import (
    COL_DESTINATION,
    COL_SOURCE,
    COL_TRANSFORM,
    DESTINATION_CHOICES,
    TRANSFORM_CHOICES,
    MappingModel,
    SourceRow,
    source_refs,
)
from campaign_desktop.gui.wizards.import_wizard.page_base import ImportPage
from campaign_desktop.mapping.guess import guess_mapping

SAMPLES = 3


class MappingPage(ImportPage):
    """The mapping grid over the previewed columns and the calculated fields."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("Field mapping"), tr("Select the destination schema and link the source fields to "
                                                  "the destination fields. Always check a guessed mapping."), parent)
        self.schema_combo = QComboBox(self)
        self.schema_combo.setObjectName("schema_combo")
        self.schema_combo.addItem(tr("Recipients (nms:recipient)"), "recipients")
        self.model = MappingModel(self)
        self.model.changed.connect(self._on_model_changed)
        self.view = QTableView(self)
        self.view.setObjectName("mapping_view")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.view.setItemDelegateForColumn(COL_DESTINATION, ComboDelegate(DESTINATION_CHOICES, self.view))
        self.view.setItemDelegateForColumn(COL_TRANSFORM, ComboDelegate(TRANSFORM_CHOICES, self.view))
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.guess_button = QPushButton(tr("Guess the destination fields"), self)
        self.guess_button.setObjectName("guess_button")
        self.guess_button.clicked.connect(self.guess)
        self.add_calc_button = QPushButton(tr("Add calculated field…"), self)
        self.add_calc_button.setObjectName("add_calc_button")
        self.add_calc_button.clicked.connect(self.add_calculated_field)
        self.delete_calc_button = QPushButton(tr("Delete calculated field"), self)
        self.delete_calc_button.setObjectName("delete_calc_button")
        self.delete_calc_button.clicked.connect(self.delete_calculated_field)

        form = QFormLayout()
        form.addRow(tr("Destination schema:"), self.schema_combo)
        tools = QHBoxLayout()
        tools.addWidget(self.guess_button)
        tools.addWidget(self.add_calc_button)
        tools.addWidget(self.delete_calc_button)
        tools.addStretch(1)
        self.layout_.addLayout(form)
        self.layout_.addLayout(tools)
        self.layout_.addWidget(self.view, 1)
        self.finish_layout()

    # --- sources --------------------------------------------------------------------------------

    def _columns(self) -> tuple[list[str], list[str], list[list[str]]]:
        p = self.import_wizard.preview
        if p is None:
            return [], [], []
        lines = [r.values for r in p.rows if r.values and not r.error]
        return source_refs(p.columns), list(p.columns), lines

    def _source_rows(self) -> list[SourceRow]:
        refs, labels, lines = self._columns()
        rows = []
        for j, (ref, label) in enumerate(zip(refs, labels, strict=True)):
            samples = [v[j].strip() for v in lines if j < len(v) and v[j].strip()][:SAMPLES]
            rows.append(SourceRow(ref, label, samples))
        for calc in self.settings.calculated_fields:
            try:
                samples = compute_samples(calc, refs, labels, lines[:SAMPLES])
            except UserError as exc:
                samples = [f"⚠ {exc}"]
            rows.append(SourceRow(calc.name, calc.label or calc.name, samples, calculated=True))
        return rows

    def load(self) -> None:
        s = self.settings
        preview = self.import_wizard.preview
        if preview is not None and not s.mapping and s.guess_mapping:
            s.mapping = guess_mapping(preview.columns)
            s.guess_mapping = False
            self.import_wizard.draft_edited()
        self.model.set_sources(self._source_rows(), s.mapping)
        self.view.resizeColumnsToContents()
        self.view.setColumnWidth(COL_DESTINATION, max(self.view.columnWidth(COL_DESTINATION), 240))

    def _on_model_changed(self) -> None:
        self.settings.mapping = self.model.mapping()
        self.settings.guess_mapping = False
        self.edited()

    # --- toolbar ------------------------------------------------------------------------------------

    def guess(self) -> None:
        """Map every column the app recognises (the user must check the result)."""
        p = self.import_wizard.preview
        if p is None:
            return
        self.model.set_mapping(guess_mapping(p.columns))

    def add_calculated_field(self) -> CalculatedFieldDialog:
        refs, labels, lines = self._columns()
        taken = set(refs) | set(labels) | {c.name for c in self.settings.calculated_fields}
        dialog = CalculatedFieldDialog(refs, labels, lines, taken, parent=self)
        dialog.accepted.connect(lambda: self._add_calculated(dialog))
        dialog.open()
        return dialog

    def _add_calculated(self, dialog: CalculatedFieldDialog) -> None:
        self.settings.calculated_fields.append(dialog.calculated_field())
        self.model.set_sources(self._source_rows(), self.settings.mapping)
        self.edited()

    def delete_calculated_field(self) -> None:
        index = self.view.currentIndex()
        if not index.isValid() or not self.model.row(index.row()).calculated:
            return
        name = self.model.row(index.row()).ref
        s = self.settings
        s.calculated_fields = [c for c in s.calculated_fields if c.name != name]
        s.mapping = [m for m in s.mapping if m.source != name]
        self.model.set_sources(self._source_rows(), s.mapping)
        self.edited()

    def map_column(self, label: str, destination: str) -> None:
        """Set a row's destination as the combo would (for keyboard users and tests)."""
        for i in range(self.model.rowCount()):
            if self.model.row(i).label == label or self.model.row(i).ref == label:
                self.model.setData(self.model.index(i, COL_DESTINATION), destination)
                return
        raise KeyError(label)

    def problems(self) -> list[str]:
        out = mapping_problems(self.settings)
        if self.import_wizard.preview is not None and not self.settings.mapping:
            out.append(tr("Map at least one column to a recipient field."))
        return out

    def warnings(self) -> list[str]:
        return key_mapping_problems(self.settings)


__all__ = ["COL_SOURCE", "MappingPage"]
