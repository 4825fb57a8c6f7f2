"""Job execution: the single entry point :func:`run_job` and the import/export runs.

The names are loaded on first use: the import's reading process starts from this package too, and
must not pay for the database layer it never touches (a third of a second before the first batch).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from campaign_desktop.jobs.execution import JobOutcome
    from campaign_desktop.jobs.runner import run_job

__all__ = ["JobOutcome", "run_job"]


def __getattr__(name: str) -> Any:
    if name == "JobOutcome":
        from campaign_desktop.jobs.execution import JobOutcome

        return JobOutcome
    if name == "run_job":
        from campaign_desktop.jobs.runner import run_job

        return run_job
    raise AttributeError(name)
