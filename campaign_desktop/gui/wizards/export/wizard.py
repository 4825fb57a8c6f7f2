"""The Data export wizard (spec §5): eight pages over a draft copy of an export template.

Nothing reaches the database until *Save as template* (a user template) or *Start* (the job,
then its run, on the wizard's :class:`TaskRunner`). The title says "Data export '<label>'".
Screens 4 (Data to extract) and 7 (Data formatting) share one page: each output column's label,
order and case transformation are edited in the same grid.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMessageBox, QWidget, QWizard

from campaign_desktop.domain.template import JobTemplate
from campaign_desktop.gui.errors import error_text
from campaign_desktop.gui.i18n import tr
from campaign_desktop.gui.wizards.export.data_pages import ColumnsPage, FilterPage, SortPage
from campaign_desktop.gui.wizards.export.run_pages import ExecutionPage, PreviewPage
from campaign_desktop.gui.wizards.export.setup_pages import FilePage, FormatPage, TemplatePage
from campaign_desktop.gui.workers import TaskRunner
from campaign_desktop.services import CampaignService

SAVE_AS_TEMPLATE_BUTTON = QWizard.WizardButton.CustomButton1


class ExportWizard(QWizard):
    """The export wizard window.

    Signals:
        job_finished: ``(job_id)`` the export ran (whatever its outcome: the job's status says it).
        draft_changed: a page edited the draft.
        template_saved: ``(template_id)`` Save as template stored a user template.
    """

    job_finished = Signal(int)
    draft_changed = Signal()
    template_saved = Signal(int)

    def __init__(self, service: CampaignService, draft: JobTemplate, *, out_path: str = "",
                 list_names: list[str] | None = None, runner: TaskRunner | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("export_wizard")
        self.service = service
        self.runner = runner or TaskRunner(self)
        self.draft = draft
        self.template_id = draft.id
        self.out_path = out_path
        self.list_names = list_names or []
        self.job_id: int | None = None
        self.started = False
        s = draft.export_settings
        self.enum_labels = all(c.enum_labels for c in s.columns) if s is not None else True
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.HaveCustomButton1, True)
        self.setOption(QWizard.WizardOption.HaveFinishButtonOnEarlyPages, False)
        self.setButtonText(QWizard.WizardButton.BackButton, tr("< &Previous"))
        self.setButtonText(QWizard.WizardButton.NextButton, tr("&Next >"))
        self.setButtonText(QWizard.WizardButton.FinishButton, tr("Close"))
        self.setButtonText(SAVE_AS_TEMPLATE_BUTTON, tr("Save as &template"))
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

    def draft_edited(self) -> None:
        self._update_title()
        self.draft_changed.emit()

    def _update_title(self) -> None:
        self.setWindowTitle(tr("Data export '{label}'").format(label=self.draft.label))

    def _on_custom_button(self, which: int) -> None:
        if which == SAVE_AS_TEMPLATE_BUTTON.value:
            self.save_as_template()

    def save_as_template(self) -> None:
        """Store the draft as a new user template (in the background); ``template_saved`` follows."""
        if not self.draft.label.strip():
            QMessageBox.warning(self, tr("Save as template"), tr("Give the export a label first."))
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
            QMessageBox.warning(self, tr("Save as template"),
                                tr("The template could not be saved: {reason}").format(reason=error_text(exc)))

        self.runner.run(store, on_done=self.template_saved.emit, on_error=failed, owner=self, writes=True)
