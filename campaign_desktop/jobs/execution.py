"""What an import run and an export run share: the job they execute, its controls, and how it ends.

Both claim the job (refused if another process runs it), report progress snapshots to a sink,
obey pause/cancel between batches, and always let go of the job in this process at the end —
even when the database could not record that end (see ``JobRepository.release``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import Engine

from campaign_desktop.domain.job import Counters, JobStatus, ProgressSink, RunControl
from campaign_desktop.storage.jobs_repo import JobRecord, JobRepository


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
