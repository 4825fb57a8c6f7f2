"""The Advanced parameters dialog of screen 1 (spec §4.2): rejects limit, trace, part of the file, batches."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from campaign_desktop.domain.template import AdvancedParameters, ImportSettings
from campaign_desktop.domain.validation import advanced_problems
from campaign_desktop.gui.i18n import tr


class AdvancedParametersDialog(QDialog):
    """Edits a copy of the job's advanced parameters; OK stays disabled while they are invalid."""

    def __init__(self, params: AdvancedParameters, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("advanced_dialog")
        self.setWindowTitle(tr("Advanced parameters"))
        self._params = replace(params)
        self.stop_check = QCheckBox(tr("Stop execution if there are too many rejects"), self)
        self.stop_check.setObjectName("stop_check")
        self.max_rejects = self._spin("max_rejects", 0, 10_000_000)
        self.trace_check = QCheckBox(tr("Trace mode (log the processing of each line)"), self)
        self.trace_check.setObjectName("trace_check")
        self.update_enums = QCheckBox(tr("Add new values to open enumerations (city, company…)"), self)
        self.start_line = self._spin("start_line", 0, 2_000_000_000)
        self.line_limit = self._spin("line_limit", 0, 2_000_000_000)
        self.line_limit.setSpecialValueText(tr("No limit"))
        self.batch_size = self._spin("batch_size", 1, 1_000_000)
        self.batch_size.setSingleStep(500)
        self.problems_label = QLabel(self)
        self.problems_label.setObjectName("problems_label")
        self.problems_label.setStyleSheet("color: #b00020;")
        self.problems_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(self.stop_check)
        form.addRow(tr("Stop after this many rejects:"), self.max_rejects)
        form.addRow(self.trace_check)
        form.addRow(self.update_enums)
        form.addRow(tr("Start at data line:"), self.start_line)
        form.addRow(tr("Import at most (lines):"), self.line_limit)
        form.addRow(tr("Lines per batch (transaction):"), self.batch_size)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.buttons)

        self.stop_check.setChecked(params.stop_on_rejects)
        self.max_rejects.setValue(params.max_rejects)
        self.trace_check.setChecked(params.trace)
        self.update_enums.setChecked(params.update_enumerations)
        self.start_line.setValue(params.start_line)
        self.line_limit.setValue(params.line_limit)
        self.batch_size.setValue(params.batch_size)
        for box in (self.stop_check, self.trace_check, self.update_enums):
            box.toggled.connect(self._check)
        self._check()

    def _spin(self, name: str, low: int, high: int) -> QSpinBox:
        spin = QSpinBox(self)
        spin.setObjectName(name)
        spin.setRange(low, high)
        spin.setGroupSeparatorShown(True)
        spin.valueChanged.connect(self._check)
        return spin

    def parameters(self) -> AdvancedParameters:
        return AdvancedParameters(
            stop_on_rejects=self.stop_check.isChecked(), max_rejects=self.max_rejects.value(),
            trace=self.trace_check.isChecked(), start_line=self.start_line.value(),
            line_limit=self.line_limit.value(), batch_size=self.batch_size.value(),
            update_enumerations=self.update_enums.isChecked())

    def _check(self) -> None:
        self.max_rejects.setEnabled(self.stop_check.isChecked())
        problems = advanced_problems(ImportSettings(advanced=self.parameters()))
        self.problems_label.setText("\n".join(f"⚠ {p}" for p in problems))
        self.problems_label.setVisible(bool(problems))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problems)
