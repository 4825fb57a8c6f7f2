"""Screen 1, "Template selection" (spec §4.1): the template, the label, the description, the folder."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from campaign_desktop.domain.template import JobKind, JobTemplate
from campaign_desktop.domain.validation import advanced_problems, label_problems
from campaign_desktop.gui.i18n import tr
from campaign_desktop.gui.wizards.import_wizard.advanced_dialog import AdvancedParametersDialog
from campaign_desktop.gui.wizards.import_wizard.page_base import ImportPage
from campaign_desktop.storage.builtins import JOBS_FOLDER

FOLDERS = (JOBS_FOLDER,)


class TemplatePage(ImportPage):
    """Choosing a template fills in every later screen; the label is mandatory."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("Template selection"),
                         tr("The import can be based on parameters saved as an import template. Choose "
                            "'New text import' to start a brand new import."), parent)
        self._templates: list[JobTemplate] = []
        self.template_combo = QComboBox(self)
        self.template_combo.setObjectName("template_combo")
        self.template_combo.activated.connect(self._on_template_chosen)
        self.label_edit = QLineEdit(self)
        self.label_edit.setObjectName("label_edit")
        self.label_edit.textEdited.connect(self._on_label)
        self.description_edit = QPlainTextEdit(self)
        self.description_edit.setObjectName("description_edit")
        self.description_edit.setMaximumHeight(90)
        self.description_edit.textChanged.connect(self._on_description)
        self.folder_combo = QComboBox(self)
        self.folder_combo.setObjectName("folder_combo")
        self.folder_combo.setEditable(True)
        self.folder_combo.addItems(list(FOLDERS))
        self.folder_combo.currentTextChanged.connect(self._on_folder)
        self.advanced_button = QPushButton(tr("Advanced parameters…"), self)
        self.advanced_button.setObjectName("advanced_button")
        self.advanced_button.clicked.connect(self.open_advanced)
        self.advanced_summary = QLabel(self)
        self.advanced_summary.setObjectName("advanced_summary")

        label_caption = QLabel(tr("Label:"), self)
        label_caption.setStyleSheet("color: #b00020;")  # Campaign shows mandatory fields in red
        form = QFormLayout()
        form.addRow(tr("Import template:"), self.template_combo)
        form.addRow(label_caption, self.label_edit)
        form.addRow(tr("Description:"), self.description_edit)
        form.addRow(tr("Import type:"), QLabel(tr("Simple import (one file)"), self))
        form.addRow(tr("Folder:"), self.folder_combo)
        advanced = QHBoxLayout()
        advanced.addWidget(self.advanced_button)
        advanced.addWidget(self.advanced_summary, 1)
        form.addRow(advanced)
        self.layout_.addLayout(form)
        self.layout_.addStretch(1)
        self.finish_layout()

    def load(self) -> None:
        d = self.draft
        self.label_edit.setText(d.label)
        self.description_edit.setPlainText(d.description)
        if self.folder_combo.findText(d.folder) < 0:
            self.folder_combo.addItem(d.folder)
        self.folder_combo.setCurrentText(d.folder)
        self._show_current_template()
        self._show_advanced()
        if not self._templates:
            w = self.import_wizard
            w.runner.run(lambda: w.service.templates.list(JobKind.IMPORT), on_done=self._set_templates, owner=self)

    def _set_templates(self, templates: list[JobTemplate]) -> None:
        self._templates = list(templates)
        self._show_current_template()

    def _show_current_template(self) -> None:
        current = self.import_wizard.template_id
        self.template_combo.clear()
        for t in self._templates:
            self.template_combo.addItem(t.label, t.id)
        i = self.template_combo.findData(current)
        if i < 0:
            self.template_combo.addItem(tr("(no template)") if current is None else str(current), current)
            i = self.template_combo.count() - 1
        self.template_combo.setCurrentIndex(i)

    def _on_template_chosen(self, index: int) -> None:
        tid = self.template_combo.itemData(index)
        chosen = next((t for t in self._templates if t.id == tid), None)
        if chosen is None or tid == self.import_wizard.template_id:
            return
        draft = chosen.copy()
        draft.folder = self.folder_combo.currentText() or JOBS_FOLDER
        self.import_wizard.replace_draft(draft)
        self.initializePage()

    def _on_label(self, text: str) -> None:
        self.draft.label = text
        self.edited()

    def _on_description(self) -> None:
        if not self._loading:
            self.draft.description = self.description_edit.toPlainText()
            self.edited()

    def _on_folder(self, text: str) -> None:
        if not self._loading:
            self.draft.folder = text
            self.edited()

    def open_advanced(self) -> AdvancedParametersDialog:
        dialog = AdvancedParametersDialog(self.settings.advanced, self)
        dialog.accepted.connect(lambda: self._apply_advanced(dialog))
        dialog.open()
        return dialog

    def _apply_advanced(self, dialog: AdvancedParametersDialog) -> None:
        self.settings.advanced = dialog.parameters()
        self._show_advanced()
        self.edited()

    def _show_advanced(self) -> None:
        a = self.settings.advanced
        parts = [tr("stop after {n} rejects").format(n=a.max_rejects) if a.stop_on_rejects
                 else tr("never stop on rejects")]
        if a.trace:
            parts.append(tr("trace mode"))
        if a.start_line > 1 or a.line_limit:
            parts.append(tr("lines {first} to {last}").format(
                first=a.start_line, last=a.start_line + a.line_limit - 1 if a.line_limit else tr("end")))
        parts.append(tr("batches of {n}").format(n=a.batch_size))
        self.advanced_summary.setText(", ".join(parts))

    def problems(self) -> list[str]:
        return label_problems(self.draft.label) + advanced_problems(self.settings)
