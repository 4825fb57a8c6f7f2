"""Running jobs on worker threads while the window stays responsive.

Each job runs the core's :func:`~campaign_desktop.jobs.runner.run_job` on a thread of its
own pool (several jobs at once; the core's per-batch transactions serialise their writes).
The worker never touches Qt: its progress sink only stores the latest snapshot in a dict.
A timer on the GUI thread reads those snapshots (Anki's way), so progress costs the worker
nothing and the GUI at most one update per job per tick, however fast batches go. The end
of a run crosses back by a queued signal.

Python threads share one lock: while jobs run, the GUI thread is handed it every millisecond
(``sys.setswitchinterval``) and the objects alive at start are frozen out of the garbage
collector, whose full passes would otherwise stop the window for 50-100 ms each.

Pause and Stop set the job's :class:`RunControl` (obeyed at the next batch) and record the
request in the database, so another process running the job (the CLI) obeys it too.
"""

from __future__ import annotations

import gc
import logging
import sys

from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QObject, Qt, QThreadPool, QTimer, Signal

from campaign_desktop.domain.errors import UserError
from campaign_desktop.domain.job import JobStatus, Progress, RunControl
from campaign_desktop.services import CampaignService

log = logging.getLogger(__name__)

POLL_MS = 250
"""How often the GUI reads the running jobs' snapshots (4 updates a second look live and cost little)."""

SWITCH_INTERVAL_S = 0.001
"""While jobs run, Python hands the GIL to the GUI thread this often (the default 5 ms makes the window lag)."""


class _Relay(QObject):
    """Carries a run's end from its worker thread to the GUI thread (queued)."""

    ended = Signal(int, object, object)  # job id, JobOutcome | None, Exception | None


class JobPool(QObject):
    """The jobs this window runs.

    Signals:
        started: ``(job_id)`` a run (or resumption) began.
        progress_changed: ``(job_id, Progress)`` a newer snapshot of a running job.
        status_requested: ``(job_id, JobStatus)`` Pause or Stop was asked (Pause / Cancel in progress).
        finished: ``(job_id, JobOutcome)`` the run ended (finished, paused, cancelled, failed on bad input).
        failed: ``(job_id, Exception)`` the run could not start or hit a bug.
    """

    started = Signal(int)
    progress_changed = Signal(int, object)
    status_requested = Signal(int, object)
    finished = Signal(int, object)
    failed = Signal(int, object)

    def __init__(self, service: CampaignService, parent: QObject | None = None, max_jobs: int = 4,
                 poll_ms: int = POLL_MS) -> None:
        super().__init__(parent)
        self._service = service
        self._threads = QThreadPool(self)
        self._threads.setMaxThreadCount(max_jobs)
        self._controls: dict[int, RunControl] = {}
        self._latest: dict[int, Progress] = {}  # written by workers (one key each), read here
        self._delivered: dict[int, Progress] = {}
        self._relay = _Relay(self)
        self._relay.ended.connect(self._on_ended, Qt.ConnectionType.QueuedConnection)
        self._switch_before = sys.getswitchinterval()
        self._timer = QTimer(self)
        self._timer.setInterval(poll_ms)
        self._timer.timeout.connect(self.poll)

    # --- what runs ---------------------------------------------------------------------------

    def is_running(self, job_id: int) -> bool:
        return job_id in self._controls

    def running(self) -> list[int]:
        return list(self._controls)

    def latest(self, job_id: int) -> Progress | None:
        """The last snapshot delivered for a job of this pool (None before its first batch)."""
        return self._delivered.get(job_id)

    # --- commands ----------------------------------------------------------------------------

    def start(self, job_id: int, *, resume: bool = False) -> None:
        """Run (or resume) ``job_id`` on a worker thread; returns at once."""
        if job_id in self._controls:
            raise UserError(f"Job {job_id} is already running.")
        if not self._controls:
            self._switch_before = sys.getswitchinterval()
            sys.setswitchinterval(SWITCH_INTERVAL_S)
            # A full collection stops every thread, the GUI's too: leave the objects that already
            # exist (Qt wrappers, modules) out of it, so its pauses stay short while jobs run.
            gc.freeze()
        control = RunControl()
        self._controls[job_id] = control
        latest = self._latest
        service = self._service

        def sink(progress: Progress) -> None:  # worker thread: a dict store, nothing else
            latest[job_id] = progress

        relay = self._relay

        def work() -> None:  # worker thread
            try:
                outcome = service.run_job(job_id, control=control, progress=sink, resume=resume)
            except Exception as exc:  # noqa: BLE001 - every failure goes back to the GUI thread
                relay.ended.emit(job_id, None, exc)
            else:
                relay.ended.emit(job_id, outcome, None)

        # A plain callable: Qt owns (and deletes) the runnable it wraps it in. A Python-owned QRunnable
        # could be freed here, on the GUI thread, while its worker is still returning from run().
        self._threads.start(work)
        if not self._timer.isActive():
            self._timer.start()
        self.started.emit(job_id)

    def pause(self, job_id: int) -> None:
        """Pause at the next batch (Pause in progress, then Paused)."""
        self._request(job_id, JobStatus.PAUSING)

    def cancel(self, job_id: int) -> None:
        """Stop at the next batch (Cancel in progress, then Cancelled); what was written stays counted."""
        self._request(job_id, JobStatus.CANCELLING)

    def _request(self, job_id: int, status: JobStatus) -> None:
        control = self._controls.get(job_id)
        if control is not None:
            control.pause() if status is JobStatus.PAUSING else control.cancel()
        self.status_requested.emit(job_id, status)

    def pause_all(self) -> None:
        for job_id in list(self._controls):
            self.pause(job_id)

    def wait(self, timeout_ms: int = 60_000) -> bool:
        """Block until every run has ended and been delivered (quitting, tests)."""
        deadline = QDeadlineTimer(timeout_ms)
        while self._controls:
            if deadline.hasExpired():
                return False
            self._threads.waitForDone(50)
            QCoreApplication.processEvents()
        return True

    # --- GUI thread ----------------------------------------------------------------------------

    def poll(self) -> None:
        """Deliver each running job's newest snapshot, if it changed since the last tick."""
        for job_id, progress in list(self._latest.items()):
            if self._delivered.get(job_id) is not progress:
                self._delivered[job_id] = progress
                self.progress_changed.emit(job_id, progress)

    def _on_ended(self, job_id: int, outcome: object, exc: object) -> None:
        self.poll()  # the final snapshot first, so counters and status end true
        self._controls.pop(job_id, None)
        self._latest.pop(job_id, None)
        if not self._controls:
            self._timer.stop()
            sys.setswitchinterval(self._switch_before)
            gc.unfreeze()
        if exc is not None:
            log.info("job %s did not run: %r", job_id, exc)
            self.failed.emit(job_id, exc)
        else:
            self.finished.emit(job_id, outcome)
