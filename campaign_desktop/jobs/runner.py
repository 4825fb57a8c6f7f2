"""``run_job``: the one entry point the CLI and the GUI use to execute a job."""

from __future__ import annotations

import subprocess

from sqlalchemy import Engine

from campaign_desktop.domain.job import ProgressSink, RunControl
from campaign_desktop.domain.template import JobKind
from campaign_desktop.jobs.execution import JobOutcome
from campaign_desktop.storage.jobs_repo import JobRepository


def run_job(engine: Engine, job_id: int, *, control: RunControl | None = None,
            progress: ProgressSink | None = None, resume: bool = False,
            reader: subprocess.Popen[bytes] | None = None) -> JobOutcome:
    """Run (or resume) a job synchronously in the calling thread; never prints, never touches Qt.

    ``progress`` receives a snapshot after every batch; ``control`` is checked between batches.
    ``reader``: an import's reading process started early (``reader_spawn.early_reader``), which the
    job uses or ends.
    """
    job = JobRepository(engine).get(job_id)
    if job.kind is JobKind.IMPORT:
        from campaign_desktop.jobs.import_job import ImportRun  # imported on use: an export never loads it

        return ImportRun(engine, job_id, control, progress, reader).run(resuming=resume)
    from campaign_desktop.jobs.export_job import ExportRun  # arrives with the export engine
    from campaign_desktop.jobs.reader_spawn import discard

    discard(reader)

    return ExportRun(engine, job_id, control, progress).run(resuming=resume)
