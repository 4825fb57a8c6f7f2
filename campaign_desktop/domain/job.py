"""Jobs as the engine, the CLI and the GUI share them: statuses, counters, progress, rejects.

These are plain values so that a worker thread can hand a snapshot to the GUI (or print it
on a terminal) without either side knowing about the other.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime
from enum import StrEnum


class JobStatus(StrEnum):
    """Campaign's statuses (spec §6.4, icon-legend labels) plus Interrupted for a dead process."""

    BEING_EDITED = "being_edited"
    RUNNING = "running"
    PAUSING = "pausing"
    PAUSED = "paused"
    CANCELLING = "cancelling"
    CANCELLED = "cancelled"
    FINISHED = "finished"
    FINISHED_WITH_ERRORS = "finished_with_errors"
    INTERRUPTED = "interrupted"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def is_active(self) -> bool:
        """A process is (or should be) working on the job right now."""
        return self in (JobStatus.RUNNING, JobStatus.PAUSING, JobStatus.CANCELLING)

    @property
    def is_resumable(self) -> bool:
        return self in (JobStatus.PAUSED, JobStatus.INTERRUPTED)


STATUS_LABELS: dict[JobStatus, str] = {
    JobStatus.BEING_EDITED: "Being edited",
    JobStatus.RUNNING: "Execution in progress",
    JobStatus.PAUSING: "Pause in progress",
    JobStatus.PAUSED: "Paused",
    JobStatus.CANCELLING: "Cancel in progress",
    JobStatus.CANCELLED: "Cancelled",
    JobStatus.FINISHED: "Finished",
    JobStatus.FINISHED_WITH_ERRORS: "Finished with errors",
    JobStatus.INTERRUPTED: "Interrupted",
}


@dataclass
class Counters:
    """Spec §6.1 counters plus the four outcomes every line ends in.

    Invariant once a job has read its whole source: ``processed == inserted + updated +
    ignored + rejected`` (each input record ends as exactly one of those four; ``deleted``
    counts as updated-in-place for accounting and is reported apart). ``empty`` lines are
    part of ``ignored``; ``doubles`` and ``duplicates`` are reasons, counted again here.
    """

    total: int = 0  # records in the source (known when the reader reaches the end)
    processed: int = 0
    success: int = 0  # inserted + updated (+ deleted)
    inserted: int = 0
    updated: int = 0
    deleted: int = 0
    ignored: int = 0
    unchanged: int = 0  # matched a recipient that already held the same values (part of ignored)
    rejected: int = 0  # == rejects
    empty: int = 0
    errors: int = 0
    warnings: int = 0
    doubles: int = 0
    duplicates: int = 0
    denylist_kept: int = 0  # rows where the consent guard kept an existing denylist flag

    @property
    def rejects(self) -> int:
        return self.rejected

    def balanced(self) -> bool:
        return self.processed == self.inserted + self.updated + self.deleted + self.ignored + self.rejected

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def add(self, other: Counters) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


@dataclass
class Progress:
    """A snapshot of a running job, sent to the progress sink after each batch."""

    job_id: int | None
    status: JobStatus
    counters: Counters
    lines_read: int = 0
    bytes_read: int = 0
    bytes_total: int = 0
    elapsed_s: float = 0.0
    message: str = ""

    @property
    def fraction(self) -> float:
        if self.bytes_total <= 0:
            return 0.0
        return min(1.0, self.bytes_read / self.bytes_total)

    @property
    def lines_per_second(self) -> float:
        return self.lines_read / self.elapsed_s if self.elapsed_s > 0 else 0.0

    @property
    def seconds_left(self) -> float | None:
        f = self.fraction
        if f <= 0 or self.elapsed_s <= 0:
            return None
        return self.elapsed_s * (1 - f) / f


ProgressSink = Callable[[Progress], None]


class RunControl:
    """Cancel / pause token shared by whoever runs a job and whoever watches it.

    The engine checks it between batches (never mid-batch), so a stop always leaves the
    database on a batch boundary.
    """

    def __init__(self) -> None:
        self._cancel = threading.Event()
        self._pause = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def pause(self) -> None:
        self._pause.set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    @property
    def pause_requested(self) -> bool:
        return self._pause.is_set()


class Connector(StrEnum):
    TEXT = "text"  # reading or converting a line
    DATABASE = "database"  # reconciliation or writing


@dataclass
class FieldError:
    field: str
    value: str
    message: str


@dataclass
class Reject:
    """A rejected input line, kept whole so it can be fixed and imported again."""

    line_no: int
    raw: str
    reason_code: str
    message: str
    connector: Connector = Connector.TEXT
    field: str = ""
    value: str = ""
    field_errors: list[FieldError] = dataclasses.field(default_factory=list)
    values: dict[str, str] = dataclasses.field(default_factory=dict)


class Level(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"
    TRACE = "trace"


@dataclass
class JournalEntry:
    level: Level
    message: str
    code: str = ""
    at: datetime | None = None


def format_duration(seconds: float | None) -> str:
    """Campaign's durations: '57s', '1m 17s', '2h 03m'."""
    if seconds is None:
        return ""
    s = int(round(seconds))
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m {s % 60:02d}s"
    return f"{s // 3600}h {(s % 3600) // 60:02d}m"
