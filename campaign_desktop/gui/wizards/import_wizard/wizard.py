"""The Data import wizard (spec §4): six pages over a draft copy of a job template.

Nothing reaches the database until the user presses *Save* (the job, status Being edited),
*Save as template* (a user template) or *Start* (the job, then its run). The title says
"Data import '<label>'" with a ``*`` while the draft differs from what was last saved.
Slow work (file preview, test run, the job itself) runs on a :class:`TaskRunner`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QMessageBox, QWidget, QWizard

from campaign_desktop.domain.template import JobTemplate
from campaign_desktop.files.preview import Preview
from campaign_desktop.gui.errors import error_text
from campaign_desktop.gui.i18n import tr
from campaign_desktop.gui.icons import icon
from campaign_desktop.gui.wizards.import_wizard.execution_page import ExecutionPage
from campaign_desktop.gui.wizards.import_wizard.file_page import FilePage
from campaign_desktop.gui.wizards.import_wizard.mapping_page import MappingPage
from campaign_desktop.gui.wizards.import_wizard.recipients_page import RecipientsPage
from campaign_desktop.gui.wizards.import_wizard.reconciliation_page import ReconciliationPage
from campaign_desktop.gui.wizards.import_wizard.template_page import TemplatePage
from campaign_desktop.gui.workers import TaskRunner
from campaign_desktop.services import CampaignService

log = logging.getLogger(__name__)

SAVE_BUTTON = QWizard.WizardButton.CustomButton1
SAVE_AS_TEMPLATE_BUTTON = QWizard.WizardButton.CustomButton2


class ImportWizard(QWizard):
    """The import wizard window.

    Signals:
        job_started: ``(job_id)`` the job was created and its run began (the wizard may close).
        draft_changed: any page edited the draft.
        preview_changed: a new preview of the file arrived (or failed: ``preview`` is None).
        saved: ``(job_id)`` the job was stored in Being edited.
        template_saved: ``(template_id)`` Save as template stored a user template.

    Attributes:
        draft: the template being edited (a copy: the original is never touched).
        job_id: the job saved or started from this wizard, None until then.
        preview: the last preview of the chosen file.
    """

    job_started = Signal(int)
    draft_changed = Signal()
    preview_changed = Signal()
    saved = Signal(int)
    template_saved = Signal(int)

    def __init__(self, service: CampaignService, draft: JobTemplate, *, job_id: int | None = None,
                 saved: bool = False, runner: TaskRunner | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("import_wizard")
        self.service = service
        self.runner = runner or TaskRunner(self)
        self.draft = draft
        self.job_id = job_id
        self.template_id = draft.id  # the template the job comes from
        self.preview: Preview | None = None
        self.preview_error = ""
        self.started = False
        self.saving = False
        self._saved_doc: dict[str, Any] | None = draft.to_document() if saved else None
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setWindowIcon(icon("import"))
        self.setPixmap(QWizard.WizardPixmap.LogoPixmap, icon("import").pixmap(40, 40))
        self.setOption(QWizard.WizardOption.HaveCustomButton1, True)
        self.setOption(QWizard.WizardOption.HaveCustomButton2, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, False)
        self.setOption(QWizard.WizardOption.HaveFinishButtonOnEarlyPages, False)
        self.setButtonText(QWizard.WizardButton.BackButton, tr("< &Previous"))
        self.setButtonText(QWizard.WizardButton.NextButton, tr("&Next >"))
        self.setButtonText(SAVE_BUTTON, tr("&Save"))
        self.setButtonText(SAVE_AS_TEMPLATE_BUTTON, tr("Save as &template"))
        self.setButtonText(QWizard.WizardButton.CancelButton, tr("Cancel"))
        self.setButtonLayout([QWizard.WizardButton.CustomButton2, QWizard.WizardButton.Stretch,
                              QWizard.WizardButton.BackButton, QWizard.WizardButton.NextButton,
                              SAVE_BUTTON, QWizard.WizardButton.CancelButton])
        self.button(SAVE_BUTTON).setObjectName("save_button")
        self.button(SAVE_AS_TEMPLATE_BUTTON).setObjectName("save_as_template_button")
        self.customButtonClicked.connect(self._on_custom_button)
        self.setAcceptDrops(True)

        self.template_page = TemplatePage(self)
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.reconciliation_page = ReconciliationPage(self)
        self.recipients_page = RecipientsPage(self)
        self.execution_page = ExecutionPage(self)
        for page in (self.template_page, self.file_page, self.mapping_page, self.reconciliation_page,
                     self.recipients_page, self.execution_page):
            self.addPage(page)
        self.resize(980, 720)
        self._update_title()

    # --- the draft ---------------------------------------------------------------------------

    @property
    def is_dirty(self) -> bool:
        return self._saved_doc is None or self.draft.to_document() != self._saved_doc

    def draft_edited(self) -> None:
        self._update_title()
        self.draft_changed.emit()

    def replace_draft(self, template: JobTemplate) -> None:
        """Start again from another template (screen 1's combo): every page shows its settings."""
        source = self.draft.import_settings.source_path if self.draft.import_settings else ""
        self.draft = template.copy()
        self.template_id = template.id
        if self.draft.import_settings is not None and not self.draft.import_settings.source_path:
            self.draft.import_settings.source_path = source
        self.draft_edited()

    def _update_title(self) -> None:
        star = "*" if self.is_dirty else ""
        self.setWindowTitle(tr("Data import '{label}'").format(label=self.draft.label) + star)

    # --- preview (asked by the file page, read by the mapping page) -------------------------------

    def set_preview(self, preview: Preview | None, error: str = "") -> None:
        self.preview = preview
        self.preview_error = error
        self.preview_changed.emit()

    # --- drop a file on the window ----------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        files = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if files:
            event.acceptProposedAction()
            self.file_page.choose_file(files[0])
            if self.currentPage() is self.template_page and self.template_page.isComplete():
                self.next()

    # --- Save, Save as template -------------------------------------------------------------------

    def _on_custom_button(self, which: int) -> None:
        if which == SAVE_BUTTON.value:
            self.save()
        elif which == SAVE_AS_TEMPLATE_BUTTON.value:
            self.save_as_template()

    def _source_path(self) -> str:
        s = self.draft.import_settings
        return str(Path(s.source_path).resolve()) if s is not None and s.source_path else ""

    def save(self) -> None:
        """Store the job in Being edited (created the first time), in the background; ``saved`` follows."""
        if not self.draft.label.strip():
            self._warn(tr("Give the import a label before saving it."))
            return
        if self.saving:
            return  # a second click while the first save runs would create the job twice
        doc = self.draft.to_document()
        store = self.job_writer()
        self.saving = True
        self.button(SAVE_BUTTON).setEnabled(False)

        def finished() -> None:
            self.saving = False
            self.button(SAVE_BUTTON).setEnabled(not self.started)

        def failed(exc: Exception) -> None:
            finished()
            self._warn(tr("The job could not be saved: {reason}").format(reason=error_text(exc)))

        def done(job_id: int) -> None:
            finished()
            self.job_id = job_id
            self._saved_doc = doc
            self._update_title()
            self.saved.emit(job_id)

        self.runner.run(store, on_done=done, on_error=failed, owner=self, writes=True)

    def job_writer(self) -> Callable[[], int]:
        """A worker-safe call that writes the draft as a Being edited job and returns its id."""
        snapshot = self.draft.copy()
        snapshot.id = self.template_id
        label, path, job_id, service = self.draft.label, self._source_path(), self.job_id, self.service

        def store() -> int:
            if job_id is None:
                return int(service.jobs.create(snapshot, label=label, source_path=path,
                                               created_by=service.operator))
            service.jobs.update_definition(job_id, snapshot, label=label, source_path=path)
            return job_id

        return store

    def save_as_template(self) -> None:
        """Store the draft as a new user template under Job templates; ``template_saved`` follows."""
        tpl = self.draft.copy()
        tpl.id = None
        tpl.read_only = False
        tpl.folder = "Job templates"
        tpl.created_by = self.service.operator
        tpl.created_at = None
        base = self.draft.label.strip() or tr("Import template")
        templates = self.service.templates

        def store() -> int:
            tpl.label = templates.unique_label(base)
            tpl.internal_name = tpl.label
            stored = templates.add(tpl)
            assert stored.id is not None
            return stored.id

        self.runner.run(store, on_done=self.template_saved.emit, on_error=lambda exc: self._warn(
            tr("The template could not be saved: {reason}").format(reason=error_text(exc))), owner=self, writes=True)

    def _warn(self, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, tr("Data import"), text, QMessageBox.StandardButton.Ok, self)
        box.setObjectName("wizard_message")
        box.open()

    # --- leaving -------------------------------------------------------------------------------------

    def reject(self) -> None:
        """Cancel: offer to save unsaved changes (never asked once the job has started)."""
        if self.is_dirty and not self.started and not self.confirm_discard():
            return
        super().reject()

    def confirm_discard(self) -> bool:
        answer = QMessageBox.question(
            self, tr("Unsaved changes"),
            tr("Close the import '{label}' without saving your changes?").format(label=self.draft.label),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Discard

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.is_dirty and not self.started and not self.confirm_discard():
            event.ignore()
            return
        super().closeEvent(event)
