"""The "Import calculated field definition" dialog (spec §4.6): a virtual column computed from the line."""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from campaign_desktop.domain.errors import UserError
from campaign_desktop.domain.template import CalculatedField, CalculatedKind, OtherCases
from campaign_desktop.gui.i18n import tr
from campaign_desktop.gui.wizards.import_wizard.columns_model import parse_remap, remap_text
from campaign_desktop.mapping.calculated import compile_calculated
from campaign_desktop.mapping.expression import CalcError, Getter

KINDS = ((CalculatedKind.FIXED, "Fixed string"), (CalculatedKind.TEMPLATE, "String with {column} tags"),
         (CalculatedKind.EXPRESSION, "Expression"), (CalculatedKind.ENUMERATION, "Enumeration"))
OTHER = ((OtherCases.KEEP, "Keep the source value"), (OtherCases.VALUE, "Use the following value"),
         (OtherCases.WARNING, "Generate a warning"), (OtherCases.ERROR, "Generate an error"))


def column_resolver(refs: Sequence[str], labels: Sequence[str]):  # type: ignore[no-untyped-def]
    """A resolve(name) -> getter over a line's values, by engine name ('#N' or label) or label."""
    index = {r: i for i, r in enumerate(refs)}
    index.update({lab: i for i, lab in enumerate(labels) if lab not in index})

    def resolve(name: str) -> Getter | None:
        i = index.get(name)
        if i is None and re.fullmatch(r"#\d+", name.strip()) and 1 <= int(name.strip()[1:]) <= len(refs):
            i = int(name.strip()[1:]) - 1
        if i is None:
            return None
        j = i
        return lambda values: values[j].strip() if j < len(values) else ""

    return resolve


def compute_samples(calc: CalculatedField, refs: Sequence[str], labels: Sequence[str],
                    lines: Sequence[Sequence[str]]) -> list[str]:
    """The calculated field's value on the first lines (raises UserError if it cannot work at all)."""
    compute = compile_calculated(calc, column_resolver(refs, labels), lambda value, message: None)
    out = []
    for values in lines:
        try:
            out.append(str(compute(values)))
        except CalcError as exc:
            out.append(f"⚠ {exc.message}")
    return out


class CalculatedFieldDialog(QDialog):
    """Defines one calculated field; OK is enabled once it compiles against the file's columns."""

    def __init__(self, refs: Sequence[str], labels: Sequence[str], lines: Sequence[Sequence[str]],
                 taken: set[str], calc: CalculatedField | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("calculated_dialog")
        self.setWindowTitle(tr("Import calculated field definition"))
        self._refs, self._labels, self._lines, self._taken = list(refs), list(labels), lines, taken
        self.label_edit = QLineEdit(self)
        self.label_edit.setObjectName("calc_label")
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("calc_name")
        self.kind_combo = QComboBox(self)
        self.kind_combo.setObjectName("calc_kind")
        for kind, text in KINDS:
            self.kind_combo.addItem(tr(text), kind.value)
        self.body_edit = QLineEdit(self)
        self.body_edit.setObjectName("calc_body")
        self.source_combo = QComboBox(self)
        self.source_combo.addItems(self._labels)
        self.values_edit = QLineEdit(self)
        self.values_edit.setPlaceholderText(tr("0=not registered; 1=registered"))
        self.other_combo = QComboBox(self)
        for value, text in OTHER:
            self.other_combo.addItem(tr(text), value.value)
        self.other_value = QLineEdit(self)
        self.preview_label = QLabel(self)
        self.preview_label.setObjectName("calc_preview")
        self.preview_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(tr("Label:"), self.label_edit)
        form.addRow(tr("Internal name:"), self.name_edit)
        form.addRow(tr("Type:"), self.kind_combo)
        form.addRow(tr("Value / expression:"), self.body_edit)
        form.addRow(tr("Source column:"), self.source_combo)
        form.addRow(tr("Values (source=destination; …):"), self.values_edit)
        form.addRow(tr("For the other cases:"), self.other_combo)
        form.addRow(tr("Other value:"), self.other_value)
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.preview_label)
        layout.addWidget(self.buttons)
        if calc is not None:
            self.label_edit.setText(calc.label)
            self.name_edit.setText(calc.name)
            self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(calc.kind.value)))
            self.body_edit.setText(calc.body)
            self.source_combo.setCurrentText(calc.source)
            self.values_edit.setText(remap_text(calc.values))
            self.other_combo.setCurrentIndex(max(0, self.other_combo.findData(calc.other_cases.value)))
            self.other_value.setText(calc.other_value)
        for edit in (self.label_edit, self.name_edit, self.body_edit, self.values_edit, self.other_value):
            edit.textChanged.connect(self._check)
        for combo in (self.kind_combo, self.source_combo, self.other_combo):
            combo.currentIndexChanged.connect(self._check)
        self.label_edit.textEdited.connect(self._name_from_label)
        self._check()

    def _name_from_label(self, text: str) -> None:
        self.name_edit.setText(re.sub(r"\W+", "_", text.strip()).strip("_").lower())

    def calculated_field(self) -> CalculatedField:
        return CalculatedField(
            name=self.name_edit.text().strip(), label=self.label_edit.text().strip(),
            kind=CalculatedKind(self.kind_combo.currentData()), body=self.body_edit.text(),
            source=self.source_combo.currentText(), values=parse_remap(self.values_edit.text()),
            other_cases=OtherCases(self.other_combo.currentData()), other_value=self.other_value.text())

    def _check(self) -> None:
        calc = self.calculated_field()
        enum = calc.kind is CalculatedKind.ENUMERATION
        for w in (self.source_combo, self.values_edit, self.other_combo):
            w.setEnabled(enum)
        self.other_value.setEnabled(enum and calc.other_cases is OtherCases.VALUE)
        self.body_edit.setEnabled(not enum)
        problem = ""
        if not calc.label:
            problem = tr("The label is mandatory.")
        elif not calc.name:
            problem = tr("The internal name is mandatory.")
        elif calc.name in self._taken:
            problem = tr("A column or calculated field is already named '{name}'.").format(name=calc.name)
        if not problem:
            try:
                samples = compute_samples(calc, self._refs, self._labels, self._lines[:5])
            except UserError as exc:
                problem = str(exc)
            else:
                self.preview_label.setStyleSheet("")
                self.preview_label.setText(tr("Preview: {values}").format(values=", ".join(samples)))
        if problem:
            self.preview_label.setStyleSheet("color: #b00020;")
            self.preview_label.setText(f"⚠ {problem}")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)
