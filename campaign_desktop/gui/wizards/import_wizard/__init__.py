"""The Data import wizard (spec §4): ``open_import_wizard`` is its one entry point."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from campaign_desktop.domain.job import JobStatus
from campaign_desktop.domain.template import JobKind, JobTemplate
from campaign_desktop.gui.wizards.import_wizard.wizard import ImportWizard
from campaign_desktop.gui.workers import TaskRunner
from campaign_desktop.services import CampaignService
from campaign_desktop.storage.builtins import JOBS_FOLDER


def open_import_wizard(parent: QWidget | None, service: CampaignService,
                       template: JobTemplate | str | int | None = None,
                       job_id: int | None = None, *, runner: TaskRunner | None = None) -> ImportWizard:
    """Build and show the wizard: a new job from ``template`` (New text import by default) or a saved job.

    Args:
        parent: the window it belongs to.
        service: the open database.
        template: the template (or its id / internal name) a new job starts from.
        job_id: a job saved in Being edited to reopen (every page shows it as saved); a job that
            already ran opens as a new job with its definition.
        runner: where background work runs; the application's runner keeps a started job
            going after the wizard closes. Default: the wizard's own.

    Raises:
        UserError: the template or the job does not exist, or is not an import.
    """
    from campaign_desktop.domain.errors import UserError

    if job_id is not None:
        job = service.jobs.get(job_id)
        if job.kind is not JobKind.IMPORT:
            raise UserError(f"'{job.label}' is not an import job.")
        draft = job.template.copy()
        draft.label = job.label
        assert draft.import_settings is not None
        draft.import_settings.source_path = draft.import_settings.source_path or job.source_path
        if job.status is JobStatus.BEING_EDITED:
            wizard = ImportWizard(service, draft, job_id=job_id, saved=True, runner=runner, parent=parent)
        else:  # a job that ran is history: its definition starts a new job
            wizard = ImportWizard(service, draft, runner=runner, parent=parent)
        wizard.template_id = job.template_id
    else:
        tpl = template if isinstance(template, JobTemplate) else service.templates.get(template or "newImport")
        if tpl.kind is not JobKind.IMPORT:
            raise UserError(f"'{tpl.label}' is an export template; choose an import template.")
        draft = tpl.copy()
        draft.folder = JOBS_FOLDER
        draft.read_only = False
        wizard = ImportWizard(service, draft, runner=runner, parent=parent)
    wizard.show()
    return wizard


__all__ = ["ImportWizard", "open_import_wizard"]
