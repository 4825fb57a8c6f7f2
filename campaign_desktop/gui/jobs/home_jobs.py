"""The home page's *Profiles and targets > Jobs* cards and its *Supervision* box (spec §2.4).

The cards show the most recent jobs from the jobs model the list uses, so a running job's
badge changes here too; each card's *Actions* menu offers what applies to that job.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QMenu, QToolButton, QVBoxLayout, QWidget

from campaign_desktop.domain import explorer
from campaign_desktop.domain.explorer import JobItem
from campaign_desktop.domain.job import JobStatus
from campaign_desktop.gui.i18n import tr
from campaign_desktop.gui.icons import icon, status_icon
from campaign_desktop.gui.jobs.job_actions import export_engine_available, job_action_states
from campaign_desktop.gui.models.browse_models import kind_label
from campaign_desktop.gui.models.item_table import format_datetime

if TYPE_CHECKING:
    from campaign_desktop.gui.jobs.workspace import JobsWorkspace

CARDS = 6
BADGE_COLORS = {
    JobStatus.BEING_EDITED: "#7f8c8d", JobStatus.RUNNING: "#2e86c1", JobStatus.PAUSING: "#d68910",
    JobStatus.PAUSED: "#d68910", JobStatus.CANCELLING: "#922b21", JobStatus.CANCELLED: "#922b21",
    JobStatus.FINISHED: "#1e8449", JobStatus.FINISHED_WITH_ERRORS: "#c0392b", JobStatus.INTERRUPTED: "#6c3483",
}
BOX_STYLE = ("#{name} {{ background: palette(base); border: 1px solid palette(mid); border-radius: 4px; }}")


def _card_signature(job: JobItem) -> tuple[object, ...]:
    return (job.id, job.job_label, job.status, job.started_at, job.ended_at)


class HomeJobs(QWidget):
    """Jobs cards (left) and the Supervision box (right) under the home page's boxes."""

    def __init__(self, workspace: JobsWorkspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("home_jobs")
        self.workspace = workspace
        self.cards: list[QFrame] = []
        self._shown: list[tuple[object, ...]] | None = None

        jobs_box = QFrame(self)
        jobs_box.setObjectName("home_jobs_box")
        jobs_box.setStyleSheet(BOX_STYLE.format(name="home_jobs_box"))
        header = QLabel(f"<img src=':/icons/job.svg' width='16' height='16'>&nbsp; "
                        f"<b>{html.escape(tr('Profiles and targets › Jobs'))}</b>", jobs_box)
        self.create_button = QToolButton(jobs_box)
        self.create_button.setObjectName("home_jobs_create")
        self.create_button.setText(tr("Create"))
        self.create_button.setIcon(icon("new"))
        self.create_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.create_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        create_menu = QMenu(self.create_button)
        create_menu.setToolTipsVisible(True)
        self.new_import_action = create_menu.addAction(icon("import"), tr("New import"), workspace.new_import)
        self.new_export_action = create_menu.addAction(icon("export"), tr("New export"), workspace.new_export)
        self.create_button.setMenu(create_menu)
        top = QHBoxLayout()
        top.addWidget(header, 1)
        top.addWidget(self.create_button)
        self.empty = QLabel(tr("No job yet: Create ▸ New import starts one."), jobs_box)
        self.empty.setEnabled(False)
        self.grid = QGridLayout()
        self.grid.setSpacing(8)
        jobs_layout = QVBoxLayout(jobs_box)
        jobs_layout.setContentsMargins(14, 10, 14, 12)
        jobs_layout.addLayout(top)
        jobs_layout.addWidget(self.empty)
        jobs_layout.addLayout(self.grid)
        jobs_layout.addStretch(1)

        supervision = QFrame(self)
        supervision.setObjectName("home_supervision")
        supervision.setStyleSheet(BOX_STYLE.format(name="home_supervision"))
        sup_header = QLabel(f"<img src=':/icons/status-running.svg' width='16' height='16'>&nbsp; "
                            f"<b>{html.escape(tr('Supervision'))}</b>", supervision)
        self.import_link = self._link("import", tr("Import"), supervision)
        self.import_link.setObjectName("home_start_import")
        self.import_link.setToolTip(tr("Choose a file and an import template, then run the import"))
        self.export_link = self._link("export", tr("Export"), supervision)
        self.export_link.setObjectName("home_start_export")
        self.jobs_link = self._link("jobs", tr("Follow the jobs"), supervision)
        sup_layout = QVBoxLayout(supervision)
        sup_layout.setContentsMargins(14, 10, 14, 12)
        sup_layout.addWidget(sup_header)
        sup_layout.addWidget(QLabel(tr("Create:"), supervision))
        for link in (self.import_link, self.export_link, self.jobs_link):
            link.setContentsMargins(22, 0, 0, 0)
            sup_layout.addWidget(link)
        sup_layout.addStretch(1)
        self.set_export_available(export_engine_available())

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 10, 0, 0)
        layout.setSpacing(16)
        layout.addWidget(jobs_box, 3)
        layout.addWidget(supervision, 1)

        model = workspace.model
        self._rebuild_timer = QTimer(self)
        self._rebuild_timer.setSingleShot(True)
        self._rebuild_timer.setInterval(0)
        self._rebuild_timer.timeout.connect(self.rebuild)
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.job_changed):
            signal.connect(self._rebuild_timer.start)
        self.rebuild()

    def _link(self, href: str, text: str, parent: QWidget) -> QLabel:
        label = QLabel(f"<a href='{href}' style='text-decoration:none'>{html.escape(text)}</a>", parent)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.linkActivated.connect(self._on_link)
        return label

    def set_export_available(self, available: bool) -> None:
        text = html.escape(tr("Export"))
        self.export_link.setText(f"<a href='export' style='text-decoration:none'>{text}</a>" if available
                                 else f"<span style='color: gray'>{text}</span>")
        self.export_link.setEnabled(available)
        self.new_export_action.setEnabled(available)
        tip = (tr("Choose an export template and the file to write, then run the export") if available
               else tr("Exports arrive with the export engine"))
        self.export_link.setToolTip(tip)
        self.new_export_action.setToolTip(tip)

    def _on_link(self, href: str) -> None:
        if href == "import":
            self.workspace.new_import()
        elif href == "export":
            self.workspace.new_export()
        else:
            self.workspace.window.select_node(explorer.JOBS)

    # --- cards -------------------------------------------------------------------------------

    def rebuild(self) -> None:
        jobs = self.workspace.model.items[:CARDS]
        signature = [_card_signature(j) for j in jobs]
        if signature == self._shown:
            return
        self._shown = signature
        for card in self.cards:
            self.grid.removeWidget(card)
            card.deleteLater()
        self.cards = [self._card(job) for job in jobs]
        for n, card in enumerate(self.cards):
            self.grid.addWidget(card, n // 3, n % 3)
        self.empty.setVisible(not jobs)

    def _card(self, job: JobItem) -> QFrame:
        card = QFrame(self)
        card.setObjectName("job_card")
        card.setProperty("job_id", job.id)
        card.setFrameShape(QFrame.Shape.StyledPanel)
        title = QLabel(card)
        title.setText(f"<b>{html.escape(job.job_label)}</b>")
        title.setToolTip(job.job_label)
        title.setMinimumWidth(40)
        head = QHBoxLayout()
        status = QLabel(card)
        status.setPixmap(status_icon(job.status).pixmap(16, 16))
        head.addWidget(status)
        head.addWidget(title, 1)
        badge = QLabel(tr(job.status.label), card)
        badge.setObjectName("job_badge")
        badge.setStyleSheet(f"background: {BADGE_COLORS[job.status]}; color: white; border-radius: 3px;"
                            " padding: 1px 6px;")
        actions = QToolButton(card)
        actions.setObjectName("job_card_actions")
        actions.setText(tr("Actions"))
        actions.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(actions)
        menu.addAction(tr("Open"), lambda: self._open(job.id))
        states = job_action_states(job)
        ws = self.workspace
        for name, text, slot in (("edit", tr("Edit…"), lambda: ws.edit_job(job)),
                                 ("start", tr("Start"), lambda: ws.start_job(job.id)),
                                 ("pause", tr("Pause"), lambda: ws.pool.pause(job.id)),
                                 ("resume", tr("Resume"), lambda: ws.start_job(job.id, resume=True)),
                                 ("stop", tr("Stop"), lambda: ws.ask_stop(job))):
            if states[name].enabled:
                menu.addAction(text, slot)
        actions.setMenu(menu)
        badge_row = QHBoxLayout()
        badge_row.addWidget(badge)
        badge_row.addStretch(1)
        badge_row.addWidget(actions)
        small = [tr("Job type: {kind}").format(kind=kind_label(job.kind)),
                 tr("Profiles and Targets › Jobs › Generic imports and exports"),
                 tr("Created on {date}").format(date=format_datetime(job.created_at))]
        last = job.ended_at or job.started_at
        if last is not None:
            small.append(tr("Last modified {date}").format(date=format_datetime(last)))
        details = QLabel("<br>".join(html.escape(s) for s in small), card)
        details.setStyleSheet("color: palette(dark);")
        layout = QVBoxLayout(card)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(3)
        layout.addLayout(head)
        layout.addWidget(details)
        layout.addLayout(badge_row)
        return card

    def _open(self, job_id: int) -> None:
        window = self.workspace.window
        window.select_node(explorer.JOBS)
        window.list_pane.select_key(job_id, when_loaded=True)
