"""The *Generic imports and exports* list: every job with its status, kept live while jobs run.

The rows are the explorer's :class:`JobItem` values with the explorer's job columns, so the
list sorts through the same proxy as every other list. Two things are particular to jobs:
rows change while a job runs (status, end date, duration), so a re-read that returns the
same jobs updates the rows in place instead of resetting the view (the selection and the
editor stay put); and the list filters by status and job type (Campaign's *Filters*).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics, QGuiApplication

from campaign_desktop.domain.explorer import JobItem
from campaign_desktop.domain.job import JobStatus, Progress, format_duration
from campaign_desktop.domain.template import JobKind
from campaign_desktop.gui.i18n import tr
from campaign_desktop.gui.models.browse_models import JOB_COLUMNS
from campaign_desktop.gui.models.item_table import Column, ItemTableModel

DURATION_COLUMN = 5


def _duration_s(item: JobItem) -> float | None:
    """Start to end; a running job counts up to now; a job that died has no known end, so no duration."""
    if item.ended_at is None and not item.status.is_active:
        return None
    return item.duration_s(datetime.now())


COLUMNS: list[Column[JobItem]] = [
    *JOB_COLUMNS[:DURATION_COLUMN],
    Column("Duration", lambda it: -1.0 if (d := _duration_s(it)) is None else d,
           text=lambda it: format_duration(_duration_s(it))),
]


class JobsModel(ItemTableModel[JobItem]):
    """Jobs, newest first, with a status/type filter the list's proxy asks through :meth:`accepts_row`.

    Signals:
        filter_changed: the status or type filter changed (the proxy filters again).
        job_changed: ``(JobItem)`` a row was updated in place (status, dates).
        total_changed: ``(int)`` the shown rows changed without a row signal (the list's counter).
    """

    filter_changed = Signal()
    job_changed = Signal(object)
    total_changed = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(COLUMNS, parent)
        self._statuses: frozenset[JobStatus] | None = None
        self._kind: JobKind | None = None
        self.live_status: Callable[[JobItem], JobItem] | None = None
        """Lets the window keep what it knows better than a stored row (a job it is starting)."""
        # Running jobs' durations count up: repaint that column once a second while any runs.
        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._tick)

    # --- filter --------------------------------------------------------------------------

    @property
    def status_filter(self) -> frozenset[JobStatus] | None:
        return self._statuses

    @property
    def kind_filter(self) -> JobKind | None:
        return self._kind

    def set_filter(self, statuses: frozenset[JobStatus] | None = None, kind: JobKind | None = None) -> None:
        """Show only jobs in ``statuses`` (None: all) of ``kind`` (None: imports and exports)."""
        self._statuses = statuses
        self._kind = kind
        self.filter_changed.emit()
        self.total_changed.emit(self.total)

    def accepts_row(self, row: int) -> bool:
        item = self.item(row)
        if item is None:
            return False
        if self._statuses is not None and item.status not in self._statuses:
            return False
        return self._kind is None or item.kind is self._kind

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt override
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The Status column is as wide as its longest label, whatever the rows shown at first."""
        if role == Qt.ItemDataRole.SizeHintRole and orientation == Qt.Orientation.Horizontal and section == 0:
            metrics = QFontMetrics(QGuiApplication.font())
            widest = max(metrics.horizontalAdvance(tr(s.label)) for s in JobStatus)
            return QSize(widest + 16 + 24, metrics.height() + 8)  # the icon and the cell padding
        return super().headerData(section, orientation, role)

    # --- rows ----------------------------------------------------------------------------

    def set_items(self, items: Sequence[JobItem]) -> None:
        """Replace the rows; the same jobs in the same order are updated in place (no reset)."""
        new = [self.live_status(it) for it in items] if self.live_status is not None else list(items)
        if [it.id for it in new] == [it.id for it in self._items] and new:
            for row, item in enumerate(new):
                if item != self._items[row]:
                    self._replace(row, item)
        else:
            super().set_items(new)
        self._update_clock()

    def job(self, job_id: int) -> JobItem | None:
        row = self.row_of(job_id)
        return self.item(row)

    def set_status(self, job_id: int, status: JobStatus) -> None:
        """Show a status the user just asked for (Pause / Cancel in progress) before the database says it."""
        row = self.row_of(job_id)
        item = self.item(row)
        if item is not None and item.status is not status:
            self._replace(row, dataclasses.replace(item, status=status))

    def apply_progress(self, job_id: int, progress: Progress) -> None:
        """A running job's snapshot: its status (keeping a pending Pause/Cancel) and counts."""
        row = self.row_of(job_id)
        item = self.item(row)
        if item is None:
            return
        status = progress.status
        if status is JobStatus.RUNNING and item.status in (JobStatus.PAUSING, JobStatus.CANCELLING):
            status = item.status
        started = item.started_at or datetime.now().replace(microsecond=0)
        ended = None if status.is_active else (item.ended_at or datetime.now().replace(microsecond=0))
        updated = dataclasses.replace(item, status=status, started_at=started, ended_at=ended,
                                      processed=progress.counters.processed, rejected=progress.counters.rejected,
                                      message=progress.message or item.message)
        if updated != item:
            self._replace(row, updated)
        self._update_clock()

    def _replace(self, row: int, item: JobItem) -> None:
        self._items[row] = item
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
        self.job_changed.emit(item)

    def _update_clock(self) -> None:
        if any(it.status.is_active for it in self._items):
            if not self._clock.isActive():
                self._clock.start()
        else:
            self._clock.stop()

    def _tick(self) -> None:
        for row, item in enumerate(self._items):
            if item.status.is_active:
                index = self.index(row, DURATION_COLUMN)
                self.dataChanged.emit(index, index)
        self._update_clock()
