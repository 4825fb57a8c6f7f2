"""Helpers for the jobs stories: a window on a given service, selecting and driving jobs."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

from sqlalchemy import update

from campaign_desktop.domain import explorer
from campaign_desktop.domain.job import JobStatus, Progress, RunControl
from campaign_desktop.storage.schema import jobs
from tests.gui.helpers import make_app, open_window

RUN_TIMEOUT_MS = 60_000


def jobs_window(qtbot, service, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The main window on ``service`` (SQLite or PostgreSQL), showing the jobs list."""
    app = make_app(service, tmp_path)
    window = open_window(qtbot, app)
    window.select_node(explorer.JOBS)
    return window


def close_window(window) -> None:  # type: ignore[no-untyped-def]
    assert window.jobs.pool.wait(RUN_TIMEOUT_MS), "a job was still running at the end of the test"
    window.close()
    assert window.app.runner.wait_for_idle()


def select_job(qtbot, window, job_id: int) -> None:  # type: ignore[no-untyped-def]
    """Click the job's row once it is listed; wait for the editor to show its stored record."""
    qtbot.waitUntil(lambda: window.jobs.model.row_of(job_id) >= 0)
    assert window.list_pane.select_key(job_id)
    editor = window.jobs.editor
    qtbot.waitUntil(lambda: editor.record is not None and editor.record.id == job_id)


def status_of(window, job_id: int) -> JobStatus | None:  # type: ignore[no-untyped-def]
    job = window.jobs.model.job(job_id)
    return job.status if job is not None else None


def wait_until_ended(qtbot, window, job_id: int, status: JobStatus) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not window.jobs.pool.is_running(job_id) and status_of(window, job_id) is status,
                    timeout=RUN_TIMEOUT_MS)


def run_until_first_batch_then_pause(service, job_id: int) -> None:  # type: ignore[no-untyped-def]
    """Run a job headless and pause it after its first committed batch (a partial run)."""
    control = RunControl()

    def pause_at_once(progress: Progress) -> None:
        control.pause()

    service.run_job(job_id, control=control, progress=pause_at_once)


def leave_as_crashed(service, job_id: int) -> None:  # type: ignore[no-untyped-def]
    """Make the job look like it was running in a process that has since died."""
    dead = subprocess.Popen(["true"])
    dead.wait()  # reaped: its pid belongs to no process now
    with service.engine.begin() as conn:
        conn.execute(update(jobs).where(jobs.c.id == job_id).values(
            status=JobStatus.RUNNING.value, owner=f"{socket.gethostname()}:{dead.pid}", ended_at=None))
