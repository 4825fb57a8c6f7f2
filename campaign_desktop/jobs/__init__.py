"""Job execution: the single entry point :func:`run_job` and the import/export runs."""

from campaign_desktop.jobs.execution import JobOutcome
from campaign_desktop.jobs.runner import run_job

__all__ = ["JobOutcome", "run_job"]
