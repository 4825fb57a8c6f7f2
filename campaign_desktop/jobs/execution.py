"""What an import run and an export run share: the job they execute, its controls, and how it ends.

Both claim the job (refused if another process runs it), report progress snapshots to a sink,
obey pause/cancel between batches, and always let go of the job in this process at the end —
even when the database could not record that end (see ``JobRepository.release``).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from campaign_desktop.domain.job import Counters, JobStatus, ProgressSink, RunControl
from campaign_desktop.storage.jobs_repo import JobRecord, JobRepository

log = logging.getLogger(__name__)


@dataclass
class JobOutcome:
    """How a run ended, for the CLI's exit code and the GUI's final message."""

    job_id: int
    status: JobStatus
    counters: Counters
    message: str = ""
    bad_input: bool = False  # the file or the template could not be used (CLI exit code 2)


class JobExecution:
    """One execution (or resumption) of a job; subclasses implement :meth:`execute`."""

    def __init__(self, engine: Engine, job_id: int, control: RunControl | None = None,
                 progress: ProgressSink | None = None) -> None:
        self.engine = engine
        self.repo = JobRepository(engine)
        self.job_id = job_id
        self.control = control or RunControl()
        self.progress = progress
        self.started = time.monotonic()

    def run(self, resuming: bool = False) -> JobOutcome:
        job = self.repo.claim(self.job_id, resuming=resuming)
        try:
            return self.execute(job, resuming)
        finally:
            self.repo.release(self.job_id)

    def execute(self, job: JobRecord, resuming: bool) -> JobOutcome:
        """Run the claimed ``job`` to its end (status recorded, outcome returned)."""
        raise NotImplementedError


def with_retries(action: Any, attempts: int = 20, pause_s: float = 0.5) -> None:
    """Write the job's own state even through a short database outage (a server restart).

    If the database stays away, the job row keeps its running status and dead owner, and the
    next start of the app marks it Interrupted: still true, and resumable.
    """
    for attempt in range(attempts):
        try:
            action()
            return
        except DBAPIError as exc:
            if "readonly" in str(exc).lower() or attempt == attempts - 1:  # waiting won't make it writable
                log.error("could not record the job's final state", exc_info=True)
                return
            time.sleep(pause_s)


def database_message(exc: Exception) -> str:
    """What went wrong with the database, for a marketer, from SQLAlchemy's or the driver's error."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    text = (str(orig).strip() or type(orig).__name__).splitlines()[0]
    lowered = text.lower()
    if "disk is full" in lowered or "no space" in lowered:
        return f"The disk is full: the database could not save the last batch ({text}). Free some space, then resume."
    if "readonly" in lowered or "read-only" in lowered:
        return f"The database is read-only ({text}). Fix its permissions, then resume."
    if getattr(exc, "connection_invalidated", False) or "terminat" in lowered or "connection" in lowered:
        return f"The database server stopped answering ({text}). Resume once it is back."
    return f"The database refused the last batch: {text}. Nothing of that batch was saved."
