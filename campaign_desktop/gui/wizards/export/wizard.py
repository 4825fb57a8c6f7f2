"""The Data export wizard (spec §5): eight pages over a draft copy of an export template.

Nothing reaches the database until the user presses *Save* (the job, status Being edited),
*Save as template* (a user template) or *Start* (the job, then its run, on the wizard's
:class:`TaskRunner`), exactly as in the import wizard. The title says "Data export '<label>'"
with a ``*`` while the draft (or the destination file) differs from what was last saved.
Screens 4 (Data to extract) and 7 (Data formatting) share one page: each output column's label,
order and case transformation are edited in the same grid.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMessageBox, QWidget, QWizard

from campaign_desktop.domain.template import Condition, JobTemplate
from campaign_desktop.gui.errors import error_text
from campaign_desktop.gui.i18n import tr
from campaign_desktop.gui.icons import icon
from campaign_desktop.gui.wizards.export.data_pages import ColumnsPage, SortPage
from campaign_desktop.gui.wizards.export.filter_page import FilterPage
from campaign_desktop.gui.wizards.export.run_pages import ExecutionPage, PreviewPage
from campaign_desktop.gui.wizards.export.setup_pages import FilePage, FormatPage, TemplatePage
from campaign_desktop.gui.workers import TaskRunner
from campaign_desktop.services import CampaignService

SAVE_BUTTON = QWizard.WizardButton.CustomButton1
SAVE_AS_TEMPLATE_BUTTON = QWizard.WizardButton.CustomButton2


def resolved_out_path(out_path: str) -> str:
    """The destination as the job stores it (absolute; a trailing '/' means a folder), '' when not chosen."""
    if not out_path.strip():
        return ""
    return str(Path(out_path).expanduser().resolve()) + ("/" if out_path.endswith("/") else "")


class ExportWizard(QWizard):
    """The export wizard window.

    Signals:
        job_started: ``(job_id)`` Start stored the job and its run began (the jobs view follows it).
        job_finished: ``(job_id)`` the export ran (whatever its outcome: the job's status says it).
        draft_changed: a page edited the draft.
        saved: ``(job_id)`` Save stored the job in Being edited.
        template_saved: ``(template_id)`` Save as template stored a user template.

    Attributes:
        draft: the template being edited (a copy: the original is never touched).
        out_path: the destination file as typed (the job keeps it as its path).
        job_id: the job saved or started from this wizard, None until then.
    """

    job_started = Signal(int)
    job_finished = Signal(int)
    draft_changed = Signal()
    saved = Signal(int)
    template_saved = Signal(int)

    def __init__(self, service: CampaignService, draft: JobTemplate, *, out_path: str = "",
                 list_names: list[str] | None = None, job_id: int | None = None, saved: bool = False,
                 runner: TaskRunner | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("export_wizard")
        self.service = service
        self.runner = runner or TaskRunner(self)
        self.draft = draft
        self.template_id = draft.id
        self.out_path = out_path
        self.list_names = list_names or []
        self.job_id = job_id
        self.started = False
        self.saving = False
        s = draft.export_settings
        if s is not None and (s.filter is None or s.filter.op not in ("and", "or")):
            # The builder edits a top group: wrap now, so showing the page never reads as an edit.
            s.filter = Condition("and", [s.filter] if s.filter is not None else [])
        self._saved_state: dict[str, Any] | None = self._state() if saved else None
        self.enum_labels = all(c.enum_labels for c in s.columns) if s is not None else True
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setWindowIcon(icon("export"))
        self.setPixmap(QWizard.WizardPixmap.LogoPixmap, icon("export").pixmap(40, 40))
        self.setOption(QWizard.WizardOption.HaveCustomButton1, True)
        self.setOption(QWizard.WizardOption.HaveCustomButton2, True)
        self.setOption(QWizard.WizardOption.HaveFinishButtonOnEarlyPages, False)
        self.setButtonText(QWizard.WizardButton.BackButton, tr("< &Previous"))
        self.setButtonText(QWizard.WizardButton.NextButton, tr("&Next >"))
        self.setButtonText(QWizard.WizardButton.FinishButton, tr("Close"))
        self.setButtonText(QWizard.WizardButton.CancelButton, tr("Cancel"))
        self.setButtonText(SAVE_BUTTON, tr("&Save"))
        self.setButtonText(SAVE_AS_TEMPLATE_BUTTON, tr("Save as &template"))
        self.setButtonLayout([SAVE_AS_TEMPLATE_BUTTON, QWizard.WizardButton.Stretch,
                              QWizard.WizardButton.BackButton, QWizard.WizardButton.NextButton,
                              QWizard.WizardButton.FinishButton, SAVE_BUTTON, QWizard.WizardButton.CancelButton])
        self.button(SAVE_BUTTON).setObjectName("save_button")
        self.button(SAVE_AS_TEMPLATE_BUTTON).setObjectName("save_as_template_button")
        self.customButtonClicked.connect(self._on_custom_button)
        self.template_page = TemplatePage(self)
        self.file_page = FilePage(self)
        self.format_page = FormatPage(self)
        self.columns_page = ColumnsPage(self)
        self.sort_page = SortPage(self)
        self.filter_page = FilterPage(self)
        self.preview_page = PreviewPage(self)
        self.execution_page = ExecutionPage(self)
        for page in (self.template_page, self.file_page, self.format_page, self.columns_page, self.sort_page,
                     self.filter_page, self.preview_page, self.execution_page):
            self.addPage(page)
        self.resize(980, 720)
        self._update_title()

    # --- the draft ---------------------------------------------------------------------------

    def _state(self) -> dict[str, Any]:
        """What Save stores: the draft and the destination (the job keeps it as its path)."""
        return {"draft": self.draft.to_document(), "out": self.out_path}

    @property
    def is_dirty(self) -> bool:
        return self._saved_state is None or self._state() != self._saved_state

    def mark_saved(self) -> None:
        """The job now holds exactly what the pages show (after Save or Start)."""
        self._saved_state = self._state()
        self._update_title()

    def draft_edited(self) -> None:
        self._update_title()
        self.draft_changed.emit()

    def _update_title(self) -> None:
        star = "*" if self.is_dirty else ""
        self.setWindowTitle(tr("Data export '{label}'").format(label=self.draft.label) + star)

    # --- Save, Save as template --------------------------------------------------------------

    def _on_custom_button(self, which: int) -> None:
        if which == SAVE_BUTTON.value:
            self.save()
        elif which == SAVE_AS_TEMPLATE_BUTTON.value:
            self.save_as_template()

    def save(self) -> None:
        """Store the job in Being edited (created the first time), in the background; ``saved`` follows."""
        if not self.draft.label.strip():
            self._warn(tr("Give the export a label before saving it."))
            return
        if self.saving or self.started:
            return  # a second click while the first save runs would create the job twice
        state = self._state()
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
            self._saved_state = state
            self._update_title()
            self.saved.emit(job_id)

        self.runner.run(store, on_done=done, on_error=failed, owner=self, writes=True)

    def job_writer(self) -> Callable[[], int]:
        """A worker-safe call that writes the draft as a Being edited job and returns its id."""
        snapshot = self.draft.copy()
        snapshot.id = self.template_id
        label, path, job_id, service = self.draft.label, resolved_out_path(self.out_path), self.job_id, self.service

        def store() -> int:
            if job_id is None:
                return int(service.jobs.create(snapshot, label=label, source_path=path,
                                               created_by=service.operator))
            service.jobs.update_definition(job_id, snapshot, label=label, source_path=path)
            return job_id

        return store

    def save_as_template(self) -> None:
        """Store the draft as a new user template (in the background); ``template_saved`` follows."""
        if not self.draft.label.strip():
            self._warn(tr("Give the export a label first."))
            return
        snapshot = self.draft.copy()
        snapshot.id = None
        snapshot.read_only = False
        snapshot.folder = "Job templates"
        templates, operator = self.service.templates, self.service.operator

        def store() -> int:
            snapshot.internal_name = templates.unique_internal_name("exportTemplate")
            snapshot.label = templates.unique_label(snapshot.label)
            snapshot.created_by = operator
            saved = templates.add(snapshot)
            assert saved.id is not None
            return saved.id

        def failed(exc: Exception) -> None:
            self._warn(tr("The template could not be saved: {reason}").format(reason=error_text(exc)))

        self.runner.run(store, on_done=self.template_saved.emit, on_error=failed, owner=self, writes=True)

    def _warn(self, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, tr("Data export"), text, QMessageBox.StandardButton.Ok, self)
        box.setObjectName("wizard_message")
        box.open()

    # --- leaving -------------------------------------------------------------------------------

    def reject(self) -> None:
        """Cancel: offer to drop unsaved changes (never asked once the export has started)."""
        if self.is_dirty and not self.started and not self.confirm_discard():
            return
        super().reject()

    def confirm_discard(self) -> bool:
        answer = QMessageBox.question(
            self, tr("Unsaved changes"),
            tr("Close the export '{label}' without saving your changes?").format(label=self.draft.label),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Discard

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.is_dirty and not self.started and not self.confirm_discard():
            event.ignore()
            return
        super().closeEvent(event)
