"""Jobs in the main window: the list's model, the editor, the pool, the actions and their dialogs.

The main window owns one :class:`JobsWorkspace` and wires it in a few lines (the Jobs list's
model and reader, the editor in the detail pane, the quit question); everything about jobs
lives here, so the explorer stays about browsing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QToolBar

from campaign_desktop.domain import explorer
from campaign_desktop.domain.explorer import JobItem, NodeKind
from campaign_desktop.domain.job import JobStatus, Progress
from campaign_desktop.domain.template import JobKind
from campaign_desktop.gui.i18n import tr
from campaign_desktop.gui.jobs.job_actions import JobActions
from campaign_desktop.gui.jobs.job_editor import JobEditor
from campaign_desktop.gui.jobs.job_filters import JobFiltersMenu
from campaign_desktop.gui.jobs.job_pool import JobPool
from campaign_desktop.gui.jobs.jobs_model import JobsModel
from campaign_desktop.gui.jobs.start_dialog import StartChoice, StartJobDialog
from campaign_desktop.gui.models.item_table import format_count

if TYPE_CHECKING:
    from campaign_desktop.gui.explorer.main_window import MainWindow

WATCH_MS = 2000
"""How often jobs running in another process are read again."""


def open_start_dialog(workspace: JobsWorkspace, kind: JobKind) -> None:
    """The default *Start an import/export…* entry point: a file and a template (the wizard replaces it)."""
    app = workspace.window.app

    def show(templates: list) -> None:  # type: ignore[type-arg]
        dialog = StartJobDialog(kind, templates, workspace.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: workspace.create_and_start(kind, dialog.choice()))
        workspace.start_dialog = dialog
        dialog.open()

    app.runner.run(app.service.templates.list, on_done=show, owner=workspace.window)


class JobsWorkspace(QObject):
    """Everything the window does with jobs.

    Attributes:
        import_entry: what *Start an import…* opens; the import wizard sets its own.
        export_entry: the same for *Start an export…*.
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        app = window.app
        self.service = app.service
        self.runner = app.runner
        self.pool = JobPool(app.service, self)
        self.model = JobsModel(self)
        self.model.live_status = self._live_status
        self.editor = JobEditor(app.service, app.runner, window)
        self.actions = JobActions(self)
        self.filters = JobFiltersMenu(self.model, window)
        self.import_entry: Callable[[JobsWorkspace], None] = (
            (lambda ws: ws.window.open_import_wizard()) if hasattr(window, "open_import_wizard")
            else (lambda ws: open_start_dialog(ws, JobKind.IMPORT)))
        self.export_entry: Callable[[JobsWorkspace], None] = (
            (lambda ws: ws.window.open_export_wizard()) if hasattr(window, "open_export_wizard")
            else (lambda ws: open_start_dialog(ws, JobKind.EXPORT)))
        self.start_dialog: StartJobDialog | None = None
        self.confirm_box: QMessageBox | None = None
        self._requested: dict[int, JobStatus] = {}
        self._elsewhere: set[int] = set()  # jobs this process runs outside the pool (the import wizard's)
        # Jobs another process runs (the CLI, another window) have no snapshots here: re-read them.
        self._watch = QTimer(self)
        self._watch.setInterval(WATCH_MS)
        self._watch.timeout.connect(self._watch_others)

    def install(self) -> None:
        """Add the Jobs toolbar and menu, the editor and the home cards; read the jobs once."""
        w = self.window
        a = self.actions
        self.toolbar = QToolBar(tr("Jobs"), w)
        self.toolbar.setObjectName("jobs_toolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toolbar.addWidget(self.filters.button)
        self.toolbar.addActions([a.new_import, a.edit, a.start, a.pause, a.resume, a.stop, a.export_rejects])
        w.addToolBarBreak()  # a row of its own: the window keeps its width on a small screen
        w.addToolBar(self.toolbar)
        self.menu = QMenu(tr("&Jobs"), w)
        self.menu.setObjectName("jobs_menu")
        self.menu.setToolTipsVisible(True)
        self.menu.addActions([a.new_import, a.new_export])
        self.menu.addSeparator()
        self.menu.addActions([a.edit, a.start, a.pause, a.resume, a.stop])
        self.menu.addSeparator()
        self.menu.addAction(a.export_rejects)
        bar = w.menuBar()
        help_action = bar.actions()[-1] if bar.actions() else None
        bar.insertMenu(help_action, self.menu) if help_action is not None else bar.addMenu(self.menu)
        w.detail.addWidget(self.editor)

        from campaign_desktop.gui.jobs.home_jobs import HomeJobs

        self.home = HomeJobs(self, w.home)
        w.home.add_section(self.home)

        a.new_import.triggered.connect(self.new_import)
        a.new_export.triggered.connect(self.new_export)
        a.edit.triggered.connect(lambda: self._on_selected(self.edit_job))
        w.list_pane.view.doubleClicked.connect(lambda _index: self._on_selected(self._edit_if_being_edited))
        a.start.triggered.connect(lambda: self._on_selected(lambda job: self.start_job(job.id)))
        a.resume.triggered.connect(lambda: self._on_selected(lambda job: self.start_job(job.id, resume=True)))
        a.pause.triggered.connect(lambda: self._on_selected(lambda job: self.pool.pause(job.id)))
        a.stop.triggered.connect(lambda: self._on_selected(self.ask_stop))
        a.export_rejects.triggered.connect(lambda: self._on_selected(lambda job: self.export_rejects(job.id)))
        self.editor.export_rejects_requested.connect(self.export_rejects)
        self.editor.reimport_requested.connect(self.reimport_rejects)
        self.pool.progress_changed.connect(self._on_progress)
        self.pool.status_requested.connect(self._on_requested)
        self.pool.finished.connect(self._on_finished)
        self.pool.failed.connect(self._on_failed)
        self.model.job_changed.connect(self._on_job_changed)
        if hasattr(w, "job_started"):  # the import wizard runs its job itself: follow it here
            w.job_started.connect(self.track_job)
        self._watch.start()
        self.refresh_jobs()

    # --- reading -----------------------------------------------------------------------------

    def read_jobs(self) -> list[JobItem]:
        """Worker thread: the jobs as stored (the model then keeps this window's live statuses)."""
        return self.service.browse().jobs()

    def _live_status(self, item: JobItem) -> JobItem:
        """A stored row may lag behind what this window knows (not yet claimed, a Pause asked)."""
        if not self.pool.is_running(item.id):
            return item
        wanted = self._requested.get(item.id, JobStatus.RUNNING)
        if item.status.is_active and item.status is not JobStatus.RUNNING:
            return item
        return dataclasses.replace(item, status=wanted, ended_at=None)

    def refresh_jobs(self, select: int | None = None) -> None:
        node = self.window.current_node
        if node is not None and node.kind is NodeKind.JOBS:
            self.window.load_list(select)
        else:
            self.runner.run(self.read_jobs, on_done=self.model.set_items, owner=self.window)

    def track_job(self, job_id: int) -> None:
        """A job started elsewhere in this window (the wizard): list it and follow it."""
        self._elsewhere.add(job_id)
        self.refresh_jobs()

    def _watch_others(self) -> None:
        # The wizard's jobs until they end (one may still read "Being edited" before its run claims it).
        self._elsewhere = {j for j in self._elsewhere if (job := self.model.job(j)) is None
                           or job.status is JobStatus.BEING_EDITED or job.status.is_active}
        others = {it.id for it in self.model.items if it.status.is_active and not self.pool.is_running(it.id)}
        others |= self._elsewhere
        if not others:
            # Jobs created meanwhile by another process (the CLI, a colleague's workstation): list them.
            if self.window.isVisible():
                self.runner.run(self.window.app.service.jobs.newest, on_done=self._list_new_jobs,
                                owner=self.window)
            return
        self.refresh_jobs()
        if self.editor.job_id in others:
            self.editor.refresh()

    def _list_new_jobs(self, newest: tuple[int, int]) -> None:
        ids = [it.id for it in self.model.items]
        if newest != (len(ids), max(ids, default=0)) and len(ids) < 1000:
            self.refresh_jobs()

    def selected_job(self) -> JobItem | None:
        item = self.window.selected_item()
        return item if isinstance(item, JobItem) else None

    def _on_selected(self, action: Callable[[JobItem], None]) -> None:
        job = self.selected_job()
        if job is not None:
            action(job)

    def show_job(self, job: JobItem) -> None:
        """The list's selection moved to ``job``: show it in the editor."""
        self.editor.show_job(job.id)
        self.actions.update_for(job)

    def row_actions(self) -> list[QAction]:
        """The right-click menu of a job's row."""
        a = self.actions
        return [a.edit, a.start, a.pause, a.resume, a.stop, a.export_rejects]

    def update_actions(self) -> None:
        self.actions.update_for(self.selected_job())

    def edit_job(self, job: JobItem) -> None:
        """Edit…: a job saved in Being edited reopens in its wizard, every page as saved."""
        opener = getattr(self.window, "open_import_wizard" if job.kind is JobKind.IMPORT else "open_export_wizard",
                         None)
        if opener is not None:
            opener(job_id=job.id)

    def _edit_if_being_edited(self, job: JobItem) -> None:
        """Double-click on a job: the saved draft opens in its wizard (other jobs are just shown)."""
        if job.status is JobStatus.BEING_EDITED:
            self.edit_job(job)

    # --- running -----------------------------------------------------------------------------

    def start_job(self, job_id: int, *, resume: bool = False) -> None:
        self._requested.pop(job_id, None)
        try:
            self.pool.start(job_id, resume=resume)
        except Exception as exc:  # noqa: BLE001 - already running: say so
            self.window.app.show_error(self.window, exc)
            return
        self.model.set_status(job_id, JobStatus.RUNNING)
        if self.editor.job_id == job_id:
            self.editor.show_requested(job_id, JobStatus.RUNNING)
        self.update_actions()

    def create_and_start(self, kind: JobKind, choice: StartChoice) -> None:
        """Create a job from the start dialog's choice (on the writer thread), then run it."""
        service = self.service
        if kind is JobKind.IMPORT:
            def create() -> int:
                return service.create_import_job(choice.path, choice.template_id, label=choice.label or None)
        else:
            def create() -> int:
                return service.create_export_job(choice.path, choice.template_id,  # type: ignore[attr-defined]
                                                 label=choice.label or None)
        self.runner.run(create, on_done=self._created, on_error=lambda exc: self.window.app.show_error(
            self.window, exc), owner=self.window, writes=True)

    def _created(self, job_id: int) -> None:
        self.start_job(job_id)
        self.window.select_node(explorer.JOBS)
        self.window.load_list(job_id)

    def new_import(self) -> None:
        self.import_entry(self)

    def new_export(self) -> None:
        if not hasattr(self.service, "create_export_job"):
            self.window.statusBar().showMessage(tr("Exports arrive with the export engine."), 8000)
            return
        self.export_entry(self)

    def ask_stop(self, job: JobItem) -> None:
        """Stop asks first (Campaign's "Do you really want to cancel this job?")."""
        box = QMessageBox(QMessageBox.Icon.Question, tr("Stop the job"),
                          tr("Do you really want to cancel this job?"),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self.window)
        box.setObjectName("confirm_stop")
        box.setInformativeText(tr("“{label}” stops after the current batch; what it has written stays, "
                                  "and its counters say exactly what.").format(label=job.label))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        job_id = job.id
        box.finished.connect(lambda result: self.pool.cancel(job_id)
                             if box.clickedButton() is box.button(QMessageBox.StandardButton.Yes) else None)
        self.confirm_box = box
        box.open()

    # --- the pool's news ---------------------------------------------------------------------

    def _on_progress(self, job_id: int, progress: Progress) -> None:
        self.model.apply_progress(job_id, progress)
        self.editor.apply_progress(job_id, progress)

    def _on_requested(self, job_id: int, status: JobStatus) -> None:
        if self.pool.is_running(job_id):
            self._requested[job_id] = status
        self.model.set_status(job_id, status)
        self.editor.show_requested(job_id, status)
        jobs = self.service.jobs
        # Recorded in the database too: a job run by another process (the CLI) obeys it there.
        self.runner.run(lambda: jobs.request(job_id, status), writes=True, owner=self.window,
                        on_done=lambda _: None if self.pool.is_running(job_id) else self.refresh_jobs())
        self.update_actions()

    def _on_finished(self, job_id: int, outcome: object) -> None:
        self._requested.pop(job_id, None)
        status = getattr(outcome, "status", None)
        message = getattr(outcome, "message", "")
        if isinstance(status, JobStatus):
            self.model.set_status(job_id, status)
            job = self.model.job(job_id)
            label = job.label if job is not None else str(job_id)
            self.window.statusBar().showMessage(
                tr("Job “{label}”: {status}. {message}").format(label=label, status=tr(status.label),
                                                               message=message), 15000)
        self.editor.job_ended(job_id)
        self.refresh_jobs()
        self.update_actions()

    def _on_failed(self, job_id: int, exc: object) -> None:
        self._requested.pop(job_id, None)
        self.refresh_jobs()
        self.editor.job_ended(job_id)
        if isinstance(exc, BaseException):
            self.window.app.show_error(self.window, exc)

    def _on_job_changed(self, job: JobItem) -> None:
        selected = self.selected_job()
        if selected is not None and selected.id == job.id:
            self.actions.update_for(job)

    # --- rejects -----------------------------------------------------------------------------

    def export_rejects(self, job_id: int) -> None:
        """Ask where, then write the job's rejects there (off the GUI thread)."""
        job = self.model.job(job_id)
        folder = Path(job.source_path).parent if job is not None and job.source_path else Path.home()
        name = f"{Path(job.source_path).stem if job is not None and job.source_path else 'job'}-rejects.csv"
        dialog = QFileDialog(self.window, tr("Export rejects"), str(folder / name))
        dialog.setObjectName("export_rejects_dialog")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        service = self.service

        def write(path: str) -> None:
            self.runner.run(lambda: service.export_rejects(job_id, path), owner=self.window,
                            on_done=lambda n: self.window.statusBar().showMessage(
                                tr("{count} rejected line(s) written to {path}").format(
                                    count=format_count(n), path=path), 15000),
                            on_error=lambda exc: self.window.app.show_error(self.window, exc))

        dialog.fileSelected.connect(write)
        self.file_dialog = dialog
        dialog.open()

    def reimport_rejects(self, job_id: int) -> None:
        """Import a corrected rejects file with the job's own template; the new job points to this one."""
        job = self.model.job(job_id)
        folder = Path(job.source_path).parent if job is not None and job.source_path else Path.home()
        dialog = QFileDialog(self.window, tr("Re-import fixed rejects"), str(folder))
        dialog.setObjectName("reimport_dialog")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        service = self.service

        def create(path: str) -> int:
            record = service.jobs.get(job_id)
            return service.create_import_job(path, record.template, parent_job_id=job_id,
                                             label=tr("{label} (fixed rejects)").format(label=record.label))

        dialog.fileSelected.connect(lambda path: self.runner.run(
            lambda: create(path), on_done=self._created, writes=True, owner=self.window,
            on_error=lambda exc: self.window.app.show_error(self.window, exc)))
        self.file_dialog = dialog
        dialog.open()

    # --- quitting ----------------------------------------------------------------------------

    def confirm_quit(self) -> bool:
        """Quitting while jobs run asks first; if the user goes on, the jobs pause (resumable later)."""
        elsewhere = [j for j in self._elsewhere if (job := self.model.job(j)) is not None and job.status.is_active]
        running = self.pool.running() + elsewhere
        if not running:
            return True
        box = QMessageBox(QMessageBox.Icon.Warning, tr("Quit Campaign Desktop"),
                          tr("{count} job(s) are running. Quit anyway?").format(count=len(running)),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self.window)
        box.setObjectName("confirm_quit")
        box.setInformativeText(tr("The jobs pause after their current batch; Resume continues them later."))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        self.confirm_box = box
        if box.exec() != QMessageBox.StandardButton.Yes:
            return False
        self.pool.pause_all()
        for job_id in elsewhere:  # obeyed at their next batch; the app waits for its workers before closing
            self.service.jobs.request(job_id, JobStatus.PAUSING)
        self.pool.wait()
        return True
