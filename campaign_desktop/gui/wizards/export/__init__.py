"""The Data export wizard (spec §5): ``open_export_wizard`` is its one entry point."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from campaign_desktop.domain.errors import UserError
from campaign_desktop.domain.job import JobStatus
from campaign_desktop.domain.template import JobKind, JobTemplate, OutputFormat
from campaign_desktop.gui.i18n import tr
from campaign_desktop.gui.wizards.export.wizard import ExportWizard
from campaign_desktop.gui.workers import TaskRunner
from campaign_desktop.services import CampaignService
from campaign_desktop.storage.builtins import JOBS_FOLDER


def open_export_wizard(parent: QWidget | None, service: CampaignService,
                       template: JobTemplate | str | int | None = None, *, list_name: str | None = None,
                       out_path: str = "", job_id: int | None = None,
                       runner: TaskRunner | None = None) -> ExportWizard:
    """Build and show the wizard: a new export from ``template`` (New text export by default) or a saved job.

    Args:
        parent: the window it belongs to.
        service: the open database.
        template: the template (or its id / internal name) the export starts from.
        list_name: pre-fill the document type with this list's members (right-click > Export on a list).
        out_path: the destination file to propose.
        job_id: a job saved in Being edited to reopen (every page shows it as saved; Start runs that
            job); a job that already ran opens as a new job with its definition, as in the import wizard.
        runner: where background work runs (default: the wizard's own).

    Raises:
        UserError: the template or the job does not exist, or is not an export.
    """
    if job_id is not None:
        wizard = _wizard_on_job(parent, service, job_id, runner)
        _followed_by(parent, wizard)
        wizard.show()
        return wizard
    tpl = template if isinstance(template, JobTemplate) else service.templates.get(template or "newExport")
    if tpl.kind is not JobKind.EXPORT:
        raise UserError(f"'{tpl.label}' is an import template; choose an export template.")
    draft = tpl.copy()
    draft.folder = JOBS_FOLDER
    draft.read_only = False
    s = draft.export_settings
    assert s is not None
    if list_name:
        s.document_type = f"list:{list_name}"
    if out_path.lower().endswith(".xlsx"):
        s.output.format = OutputFormat.XLSX
    wizard = ExportWizard(service, draft, out_path=out_path, list_names=_list_names(service), runner=runner,
                          parent=parent)
    _followed_by(parent, wizard)
    wizard.show()
    return wizard


def _followed_by(parent: QWidget | None, wizard: ExportWizard) -> None:
    """Whichever menu opened the wizard (New, a template, a list, a selection), the window's jobs
    view follows the job it starts."""
    window = parent.window() if parent is not None else None
    if window is not None and hasattr(window, "job_started"):
        wizard.job_started.connect(window.job_started)


def _wizard_on_job(parent: QWidget | None, service: CampaignService, job_id: int,
                   runner: TaskRunner | None) -> ExportWizard:
    job = service.jobs.get(job_id)
    if job.kind is not JobKind.EXPORT:
        raise UserError(f"'{job.label}' is not an export job.")
    draft = job.template.copy()
    draft.label = job.label
    editing = job.status is JobStatus.BEING_EDITED  # a job that ran is history: its definition starts a new job
    wizard = ExportWizard(service, draft, out_path=job.source_path, list_names=_list_names(service),
                          job_id=job_id if editing else None, saved=editing, runner=runner, parent=parent)
    wizard.template_id = job.template_id
    return wizard


MAX_SELECTED_IDS = 30_000
"""Above this, *Export…* exports the view (its list) rather than the selection (bound-parameter limits)."""


def export_requested(page: QWidget, app: Any, selection: Any) -> ExportWizard:
    """The recipients view's *Export…* (right-click): a new export of the selected recipients.

    Args:
        page: the recipients page (the wizard's parent window is its window).
        app: the application (its service and runner).
        selection: a :class:`~campaign_desktop.gui.explorer.recipient_actions.RecipientSelection`.
    """
    from campaign_desktop.domain.recipient_fields import FIELDS_BY_NAME
    from campaign_desktop.domain.template import Condition, SortKey

    tpl = app.service.templates.get("newExport").copy()
    s = tpl.export_settings
    assert s is not None
    ids = list(selection.ids)
    list_name = None
    if len(ids) <= MAX_SELECTED_IDS:
        s.filter = Condition("and", [Condition("in", field="id", value=ids)])
    elif selection.filter.list_id is not None:
        list_name = _list_name_of(app.service, selection.filter.list_id)
    if selection.order_by in FIELDS_BY_NAME and selection.order_by != "id":
        s.sort = [SortKey(selection.order_by, selection.descending)]
    tpl.label = tr("Export of {n:,} recipients").format(n=len(ids))
    return open_export_wizard(page.window(), app.service, tpl, list_name=list_name, runner=app.runner)


def _list_name_of(service: CampaignService, list_id: int) -> str | None:
    from sqlalchemy import select

    from campaign_desktop.storage.schema import lists

    with service.engine.connect() as conn:
        return conn.execute(select(lists.c.name).where(lists.c.id == list_id)).scalar()


def _list_names(service: CampaignService) -> list[str]:
    from sqlalchemy import select

    from campaign_desktop.storage.schema import lists

    with service.engine.connect() as conn:
        return [r.name for r in conn.execute(select(lists.c.name).order_by(lists.c.name).limit(500))]


__all__ = ["ExportWizard", "export_requested", "open_export_wizard"]
