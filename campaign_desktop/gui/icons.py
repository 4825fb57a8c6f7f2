"""The application's icons, by name, from the compiled resources (``resources/icons/*.svg``)."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtGui import QIcon

from campaign_desktop.domain.job import JobStatus
from campaign_desktop.gui import resources_rc  # noqa: F401 - registers the ":/icons" resources

STATUS_ICONS: dict[JobStatus, str] = {
    JobStatus.BEING_EDITED: "status-edited",
    JobStatus.RUNNING: "status-running",
    JobStatus.PAUSING: "status-paused",
    JobStatus.PAUSED: "status-paused",
    JobStatus.CANCELLING: "status-cancelled",
    JobStatus.CANCELLED: "status-cancelled",
    JobStatus.FINISHED: "status-finished",
    JobStatus.FINISHED_WITH_ERRORS: "status-warning",
    JobStatus.INTERRUPTED: "status-interrupted",
}


@lru_cache(maxsize=64)
def icon(name: str) -> QIcon:
    """The icon ``resources/icons/<name>.svg`` (SVG, so it stays sharp at any size)."""
    return QIcon(f":/icons/{name}.svg")


def status_icon(status: JobStatus) -> QIcon:
    return icon(STATUS_ICONS[status])
