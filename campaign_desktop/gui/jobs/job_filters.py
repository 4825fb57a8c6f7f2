"""Campaign's *Filters ▾* button of the jobs list: by status and by job type."""

from __future__ import annotations

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from campaign_desktop.domain.job import JobStatus
from campaign_desktop.domain.template import JobKind
from campaign_desktop.gui.i18n import tr
from campaign_desktop.gui.icons import status_icon
from campaign_desktop.gui.jobs.jobs_model import JobsModel

STATUS_GROUPS: list[tuple[str, frozenset[JobStatus] | None]] = [
    ("All statuses", None),
    ("Running or paused", frozenset({JobStatus.RUNNING, JobStatus.PAUSING, JobStatus.PAUSED,
                                     JobStatus.CANCELLING})),
    ("Needs attention", frozenset({JobStatus.FINISHED_WITH_ERRORS, JobStatus.INTERRUPTED})),
]


class JobFiltersMenu:
    """A tool button whose menu sets the jobs model's status and type filter."""

    def __init__(self, model: JobsModel, parent: QWidget) -> None:
        self.model = model
        self.menu = QMenu(tr("Filters"), parent)
        self.menu.setObjectName("jobs_filters_menu")
        self.status_actions: dict[str, QAction] = {}
        status_group = QActionGroup(self.menu)
        self.menu.addSection(tr("Status"))
        options: list[tuple[str, str, frozenset[JobStatus] | None]] = [
            (f"group:{n}", tr(title), statuses) for n, (title, statuses) in enumerate(STATUS_GROUPS)]
        options += [(s.value, tr(s.label), frozenset({s})) for s in JobStatus]
        for key, text, statuses in options:
            action = QAction(text, self.menu)
            action.setCheckable(True)
            action.setData(key)
            if statuses is not None and len(statuses) == 1:
                action.setIcon(status_icon(next(iter(statuses))))
            status_group.addAction(action)
            self.menu.addAction(action)
            self.status_actions[key] = action
            action.triggered.connect(lambda checked=False, st=statuses: self._set(statuses=st))
        self.status_actions["group:0"].setChecked(True)
        self.menu.addSection(tr("Job type"))
        kind_group = QActionGroup(self.menu)
        self.kind_actions: dict[str, QAction] = {}
        for key, text, kind in (("all", tr("Imports and exports"), None), ("import", tr("Imports"), JobKind.IMPORT),
                                ("export", tr("Exports"), JobKind.EXPORT)):
            action = QAction(text, self.menu)
            action.setCheckable(True)
            kind_group.addAction(action)
            self.menu.addAction(action)
            self.kind_actions[key] = action
            action.triggered.connect(lambda checked=False, k=kind: self._set(kind=k, kind_given=True))
        self.kind_actions["all"].setChecked(True)
        self.button = QToolButton(parent)
        self.button.setObjectName("jobs_filters_button")
        self.button.setText(tr("Filters"))
        self.button.setToolTip(tr("Show only the jobs of a status or a type"))
        self.button.setMenu(self.menu)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)

    def _set(self, statuses: frozenset[JobStatus] | None | str = "keep", kind: JobKind | None = None,
             kind_given: bool = False) -> None:
        new_statuses = self.model.status_filter if statuses == "keep" else statuses
        new_kind = kind if kind_given else self.model.kind_filter
        self.model.set_filter(new_statuses, new_kind)  # type: ignore[arg-type]
        filtered = new_statuses is not None or new_kind is not None
        self.button.setText(tr("Filters (on)") if filtered else tr("Filters"))
