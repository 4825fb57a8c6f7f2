"""The job actions (Edit, Start, Pause, Resume, Stop, Export rejects) and when they apply.

:func:`job_action_states` is a pure function of the selected job, so tests can check the
rules without a window; the toolbar, the Jobs menu and the home cards share the actions.
"""

from __future__ import annotations

import importlib.util

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from campaign_desktop.domain.explorer import JobItem
from campaign_desktop.domain.job import JobStatus
from campaign_desktop.gui.explorer.actions import ActionState
from campaign_desktop.gui.i18n import tr
from campaign_desktop.gui.icons import icon

JOB_ACTIONS = ("edit", "start", "pause", "resume", "stop", "export_rejects")


def export_engine_available() -> bool:
    """The export engine arrives with another issue: offer exports once it is installed."""
    try:
        return importlib.util.find_spec("campaign_desktop.jobs.export_job") is not None
    except (ImportError, ValueError):
        return False


def job_action_states(job: JobItem | None) -> dict[str, ActionState]:
    """How Start, Pause, Resume, Stop and Export rejects look for the selected ``job``."""
    if job is None:
        nothing = tr("Select a job in the list first")
        return {name: ActionState(False, nothing) for name in JOB_ACTIONS}
    s = job.status
    label = job.label
    stoppable = s in (JobStatus.RUNNING, JobStatus.PAUSING)
    return {
        "edit": ActionState(s is JobStatus.BEING_EDITED,
                            tr("Reopen “{label}” in its wizard").format(label=label) if s is JobStatus.BEING_EDITED
                            else tr("Only a job being edited opens in its wizard")),
        "start": ActionState(s is JobStatus.BEING_EDITED,
                             tr("Run “{label}”").format(label=label) if s is JobStatus.BEING_EDITED
                             else tr("Only a job being edited can be started")),
        "pause": ActionState(s is JobStatus.RUNNING,
                             tr("Pause “{label}” after the current batch").format(label=label)
                             if s is JobStatus.RUNNING else tr("Only a running job can be paused")),
        "resume": ActionState(s.is_resumable,
                              tr("Continue “{label}” after its last saved batch").format(label=label)
                              if s.is_resumable else tr("Only a paused or interrupted job can be resumed")),
        "stop": ActionState(stoppable, tr("Cancel “{label}” after the current batch").format(label=label)
                            if stoppable else tr("Only a running job can be stopped")),
        "export_rejects": ActionState(job.rejected > 0,
                                      tr("Write the rejected lines of “{label}” to a file").format(label=label)
                                      if job.rejected > 0 else tr("This job has no rejects")),
    }


class JobActions(QObject):
    """The actions of the Jobs toolbar and menu; the workspace connects their ``triggered``."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.new_import = self._action("new_job_import", tr("Start an &import…"), "import",
                                       tr("Choose a file and an import template, then run the import"))
        self.new_export = self._action("new_job_export", tr("Start an e&xport…"), "export",
                                       tr("Choose an export template and the file to write, then run the export"))
        self.edit = self._action("job_edit", tr("&Edit…"), "status-edited")
        self.start = self._action("job_start", tr("&Start"), "start")
        self.pause = self._action("job_pause", tr("&Pause"), "status-paused")
        self.resume = self._action("job_resume", tr("Res&ume"), "start")
        self.stop = self._action("job_stop", tr("S&top"), "status-cancelled")
        self.export_rejects = self._action("job_export_rejects", tr("Export &rejects…"), "export")
        self.set_export_available(export_engine_available())
        self.update_for(None)

    def _action(self, name: str, text: str, icon_name: str, tip: str = "") -> QAction:
        action = QAction(icon(icon_name), text, self)
        action.setObjectName(name)
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        return action

    def set_export_available(self, available: bool) -> None:
        self.new_export.setEnabled(available)
        self.new_export.setToolTip(tr("Choose an export template and the file to write, then run the export")
                                   if available else tr("Exports arrive with the export engine"))

    def update_for(self, job: JobItem | None) -> None:
        for name, state in job_action_states(job).items():
            action: QAction = getattr(self, name)
            action.setEnabled(state.enabled)
            action.setToolTip(state.tooltip)
            action.setStatusTip(state.tooltip)
