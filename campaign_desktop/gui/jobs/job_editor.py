"""The job editor below the jobs list ("Batch job '<label>'", spec §6): progress, counters, Log, Rejects.

It reads the job's stored record when shown, then follows the pool's snapshots while the
job runs (counters, bar, speed, time left) and reads the journal's new entries at most
once a second. Every database read runs on the app's runner; nothing here blocks.
"""

from __future__ import annotations

import time
from datetime import datetime

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from campaign_desktop.domain.job import Counters, JobStatus, Level, Progress, format_duration
from campaign_desktop.gui.i18n import tr
from campaign_desktop.gui.icons import status_icon
from campaign_desktop.gui.jobs.log_model import JournalModel, LevelFilterProxy
from campaign_desktop.gui.jobs.outcome_chart import OutcomeChart
from campaign_desktop.gui.jobs.rejects_model import RejectsModel
from campaign_desktop.gui.jobs.rejects_tab import RejectsTab
from campaign_desktop.gui.models.browse_models import kind_label
from campaign_desktop.gui.models.item_table import format_count, format_datetime
from campaign_desktop.gui.workers import TaskRunner
from campaign_desktop.services import CampaignService
from campaign_desktop.storage.jobs_repo import JobRecord
from campaign_desktop.storage.rejects_page import rejects_page

COUNTERS: list[tuple[str, str]] = [
    ("total", "Total"), ("processed", "Processed"), ("success", "Success"),
    ("empty", "Empty"), ("errors", "Errors"), ("warnings", "Warnings"),
    ("rejected", "Rejects"), ("doubles", "Doubles"), ("duplicates", "Duplicates"),
]
RED_COUNTERS = {"errors", "rejected"}
LOG_LEVELS: list[tuple[str, frozenset[Level] | None]] = [
    ("All levels", None),
    ("Errors", frozenset({Level.ERROR})),
    ("Warnings and errors", frozenset({Level.ERROR, Level.WARNING})),
    ("Information", frozenset({Level.INFO})),
]
JOURNAL_EVERY_S = 1.0


class JobEditor(QWidget):
    """The selected job's General section and its Log and Rejects tabs.

    Signals:
        export_rejects_requested: ``(job_id)``.
        reimport_requested: ``(job_id)`` Re-import fixed rejects.
    """

    export_rejects_requested = Signal(int)
    reimport_requested = Signal(int)

    def __init__(self, service: CampaignService, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("job_editor")
        self._service = service
        self._runner = runner
        self.job_id: int | None = None
        self.record: JobRecord | None = None
        self.status: JobStatus | None = None
        self._journal_reading = False
        self._journal_again = False
        self._journal_read_at = 0.0
        self._rejected = 0
        self._build()

    # --- construction ----------------------------------------------------------------------

    def _build(self) -> None:
        self.title = QLabel(self)
        self.title.setObjectName("job_title")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.title.setFont(font)

        self.status_icon = QLabel(self)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("job_status")
        self.facts = QLabel(self)
        self.facts.setObjectName("job_facts")
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("job_progress")
        self.progress.setRange(0, 1000)
        # The percentage is a label of its own (see _show_fraction).
        self.progress.setTextVisible(False)
        self.percent = QLabel("0%", self)
        self.percent.setObjectName("job_percent")
        self.percent.setMinimumWidth(self.fontMetrics().horizontalAdvance("100%") + 4)
        self.percent.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.speed = QLabel(self)
        self.speed.setObjectName("job_speed")
        self.message = QLabel(self)
        self.message.setObjectName("job_message")
        self.message.setWordWrap(True)

        status_row = QHBoxLayout()
        status_row.addWidget(self.status_icon)
        status_row.addWidget(self.status_label)
        status_row.addSpacing(16)
        status_row.addWidget(self.facts, 1)
        progress_row = QHBoxLayout()
        progress_row.addWidget(QLabel(tr("Job progress:"), self))
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.percent)
        progress_row.addSpacing(12)
        progress_row.addWidget(self.speed)

        counters = QGridLayout()
        counters.setHorizontalSpacing(10)
        counters.setVerticalSpacing(2)
        self.counter_labels: dict[str, QLabel] = {}
        for n, (key, title) in enumerate(COUNTERS):
            value = QLabel("0", self)
            value.setObjectName(f"counter_{key}")
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            value.setMinimumWidth(self.fontMetrics().horizontalAdvance("0,000,000"))
            self.counter_labels[key] = value
            counters.addWidget(QLabel(tr(title) + ":", self), n % 3, (n // 3) * 2)
            counters.addWidget(value, n % 3, (n // 3) * 2 + 1)
        self.chart = OutcomeChart(self)
        counters_row = QHBoxLayout()
        counters_row.addLayout(counters)
        counters_row.addSpacing(24)
        counters_row.addWidget(self.chart, 1, Qt.AlignmentFlag.AlignTop)

        general = QFrame(self)
        general.setObjectName("job_general")
        general_layout = QVBoxLayout(general)
        general_layout.setContentsMargins(0, 0, 0, 0)
        general_layout.setSpacing(4)
        general_layout.addLayout(status_row)
        general_layout.addLayout(progress_row)
        general_layout.addLayout(counters_row)
        general_layout.addWidget(self.message)

        # Log tab
        self.journal = JournalModel(self)
        self.journal_proxy = LevelFilterProxy(self)
        self.journal_proxy.setSourceModel(self.journal)
        self.log_view = QTableView(self)
        self.log_view.setObjectName("log_view")
        self.log_view.setModel(self.journal_proxy)
        self.log_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.log_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.log_view.verticalHeader().hide()
        self.log_view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.log_view.setShowGrid(False)
        self.log_view.setWordWrap(False)
        self.log_view.horizontalHeader().setStretchLastSection(True)
        self.log_view.setColumnWidth(0, 90)
        self.log_view.setColumnWidth(1, 130)
        self.level_filter = QComboBox(self)
        self.level_filter.setObjectName("log_level_filter")
        for title, _ in LOG_LEVELS:
            self.level_filter.addItem(tr(title))
        self.level_filter.currentIndexChanged.connect(lambda n: self.journal_proxy.set_levels(LOG_LEVELS[n][1]))
        self.journal.rowsInserted.connect(self._follow_log)
        log_tab = QWidget(self)
        log_layout = QVBoxLayout(log_tab)
        log_layout.setContentsMargins(6, 6, 6, 6)
        log_bar = QHBoxLayout()
        log_bar.addWidget(QLabel(tr("Show:"), log_tab))
        log_bar.addWidget(self.level_filter)
        log_bar.addStretch(1)
        log_layout.addLayout(log_bar)
        log_layout.addWidget(self.log_view, 1)

        # Rejects tab
        self.rejects = RejectsModel(lambda job, after, n: rejects_page(self._service.engine, job, after, n),
                                    self._service.jobs.count_rejects, self._runner, self)
        self.rejects_tab = RejectsTab(self.rejects, self)
        self.rejects_tab.export_requested.connect(lambda: self._emit_for_job(self.export_rejects_requested))
        self.rejects_tab.reimport_requested.connect(lambda: self._emit_for_job(self.reimport_requested))

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("job_tabs")
        self.tabs.addTab(log_tab, tr("Log"))
        self.tabs.addTab(self.rejects_tab, tr("Rejects"))
        self.tabs.currentChanged.connect(lambda _: self.tabs.currentWidget() is self.rejects_tab
                                         and self.rejects.look_for_more(self._rejected))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(6)
        layout.addWidget(self.title)
        layout.addWidget(general)
        layout.addWidget(self.tabs, 1)

    def _emit_for_job(self, signal: Signal) -> None:  # type: ignore[type-arg]
        if self.job_id is not None:
            signal.emit(self.job_id)

    # --- showing a job -----------------------------------------------------------------------

    def show_job(self, job_id: int) -> None:
        """Show ``job_id`` (re-reading it if it is already shown)."""
        if job_id != self.job_id:
            self.job_id = job_id
            self.record = None
            self._rejected = 0
            self.journal.reset_for(job_id)
            self.rejects.reload(job_id)
        self.refresh()

    def refresh(self) -> None:
        """Read the shown job's record and its new journal entries again."""
        job_id = self.job_id
        if job_id is None:
            return
        self._runner.run(lambda: self._service.jobs.get(job_id), on_done=self._on_record, owner=self)
        self.read_journal(force=True)

    def job_ended(self, job_id: int) -> None:
        """A run of ``job_id`` ended: its final record, journal and rejects."""
        if job_id == self.job_id:
            self.refresh()
            self.rejects.reload(job_id)

    def _on_record(self, record: JobRecord) -> None:
        if record.id != self.job_id:
            return
        self.record = record
        self.title.setText(tr("Batch job “{label}”").format(label=record.label))
        self._show_status(record.status)
        self._show_counters(record.counters)
        self.chart.flush()
        fraction = 1.0 if record.status is JobStatus.FINISHED else (
            record.bytes_read / record.bytes_total if record.bytes_total else 0.0)
        self._show_fraction(fraction)
        self.speed.setText("")
        self.message.setText(record.message)
        self._show_facts(record.started_at, record.ended_at)
        self.rejects.look_for_more(record.counters.rejected)

    def _show_facts(self, started: datetime | None, ended: datetime | None) -> None:
        record = self.record
        if record is None:
            return
        seconds = ((ended or datetime.now()) - started).total_seconds() if started else None
        parts = [kind_label(record.kind),
                 tr("Start: {date}").format(date=format_datetime(started) or "—"),
                 tr("End: {date}").format(date=format_datetime(ended) or "—"),
                 tr("Duration: {d}").format(d=format_duration(seconds) or "—")]
        self.facts.setText("   ·   ".join(parts))
        self.facts.setToolTip(record.source_path)

    def _show_fraction(self, fraction: float) -> None:
        # QProgressBar.setValue repaints at once (with Python's lock held) when the bar grows by a
        # pixel; with updates off it only schedules a paint, which the event loop does without the lock.
        self.progress.setUpdatesEnabled(False)
        self.progress.setValue(int(fraction * 1000))
        self.progress.setUpdatesEnabled(True)
        self.percent.setText(f"{int(fraction * 100)}%")

    def _show_status(self, status: JobStatus) -> None:
        if status is self.status and self.status_label.text():
            return
        self.status = status
        self.status_icon.setPixmap(status_icon(status).pixmap(16, 16))
        self.status_label.setText(f"<b>{tr(status.label)}</b>")

    def _show_counters(self, counters: Counters) -> None:
        for key, label in self.counter_labels.items():
            value = int(getattr(counters, key))
            label.setText(format_count(value))
            style = ("color: #c0392b; font-weight: bold;" if key in RED_COUNTERS and value
                     else "color: #b9770e;" if key == "warnings" and value else "")
            if label.styleSheet() != style:  # a style sheet change re-polishes the widget: only when it changes
                label.setStyleSheet(style)
        self.chart.set_counters(counters)

    def _show_estimated_total(self, progress: Progress, status: JobStatus) -> None:
        """An import knows its total once it has read the whole file: meanwhile, "≈" the lines the share
        of the file read so far promises (rather than a Total of 0 while lines are processed)."""
        label = self.counter_labels["total"]
        fraction = progress.fraction
        if status.is_active and not progress.counters.total and progress.lines_read and fraction > 0.01:
            estimate = int(round(progress.lines_read / fraction, -2)) if fraction < 1 else progress.lines_read
            label.setText(tr("≈ {n}").format(n=format_count(estimate)))
            label.setToolTip(tr("Estimated from the part of the file read so far"))
        elif label.toolTip():
            label.setToolTip("")

    def show_requested(self, job_id: int, status: JobStatus) -> None:
        """Pause or Stop was asked for the job: show Pause / Cancel in progress at once."""
        if job_id == self.job_id:
            self._show_status(status)

    def apply_progress(self, job_id: int, progress: Progress) -> None:
        """A running job's snapshot (from the pool's timer)."""
        if job_id != self.job_id:
            return
        status = progress.status
        if status is JobStatus.RUNNING and self.status in (JobStatus.PAUSING, JobStatus.CANCELLING):
            status = self.status
        self._show_status(status)
        self._show_counters(progress.counters)
        self._show_estimated_total(progress, status)
        self._show_fraction(progress.fraction)
        left = progress.seconds_left
        self.speed.setText(tr("{speed} lines/s · {left} left").format(
            speed=format_count(int(progress.lines_per_second)),
            left=format_duration(left) if left is not None else "—") if status.is_active else "")
        if progress.message:
            self.message.setText(progress.message)
        if self.record is not None and status.is_active:
            if self.record.started_at is None:  # read before the run claimed the job
                self.record.started_at = datetime.now().replace(microsecond=0)
            self._show_facts(self.record.started_at, None)
        self._rejected = progress.counters.rejected
        self.read_journal()
        if self.tabs.currentWidget() is self.rejects_tab:  # new rejects are read only where they show
            self.rejects.look_for_more(self._rejected)

    # --- the journal -------------------------------------------------------------------------

    def read_journal(self, force: bool = False) -> None:
        """Read the entries written since the last read (at most once a second while a job runs)."""
        job_id = self.job_id
        if job_id is None:
            return
        if self._journal_reading:
            self._journal_again = self._journal_again or force  # the final entries must not be missed
            return
        if not force and time.monotonic() - self._journal_read_at < JOURNAL_EVERY_S:
            return
        self._journal_reading = True
        self._journal_read_at = time.monotonic()
        after = self.journal.last_id

        def done(rows: list) -> None:  # type: ignore[type-arg]
            self._journal_reading = False
            self.journal.append(job_id, rows)
            if self._journal_again:
                self._journal_again = False
                self.read_journal(force=True)

        def failed(exc: Exception) -> None:
            self._journal_reading = False

        self._runner.run(lambda: self._service.jobs.journal(job_id, after_id=after), on_done=done,
                         on_error=failed, owner=self)

    def _follow_log(self, parent: QModelIndex, first: int, last: int) -> None:
        bar = self.log_view.verticalScrollBar()
        if bar.value() >= bar.maximum() - 2:
            self.log_view.scrollToBottom()
