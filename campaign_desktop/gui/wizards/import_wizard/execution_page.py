"""Screen 6, "Data import execution" (spec §4.10): Test (a dry run) and Start.

*Test* runs the job as a dry run (the engine rolls everything back) and shows what would
happen. *Start* stores the job, emits ``job_started`` and runs it in a worker: the wizard
can be closed, the job goes on and its tracking view follows it. Both report progress
through a queued signal, never by touching a widget from the worker.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QStringListModel, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QWidget,
    QWizard,
)

from campaign_desktop.domain.job import Counters, JobStatus, JournalEntry, Progress, format_duration
from campaign_desktop.domain.template import Operation
from campaign_desktop.domain.validation import import_problems, label_problems, source_problems
from campaign_desktop.gui.errors import error_text
from campaign_desktop.gui.i18n import tr
from campaign_desktop.gui.wizards.import_wizard.page_base import ImportPage
from campaign_desktop.gui.wizards.import_wizard.reconciliation_page import describe_reconciliation

LARGE_CHANGES = 1000
"""Updates + deletes from which Start asks for a confirmation naming them (spec §4.10)."""

COUNTERS = (("processed", "Processed"), ("inserted", "Inserted"), ("updated", "Updated"), ("deleted", "Deleted"),
            ("ignored", "Ignored"), ("rejected", "Rejects"))


@dataclass
class RunResult:
    """What a worker hands back after a test or a run."""

    job_id: int
    status: str
    counters: Counters
    message: str = ""
    journal: list[JournalEntry] = field(default_factory=list)


class ProgressRelay(QObject):
    """Carries the engine's progress snapshots from the worker to the GUI thread (queued signal)."""

    progressed = Signal(object)


class ExecutionPage(ImportPage):
    """Test, Start, live counters and the run's messages."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("Data import execution"), tr("Click 'Test' to see what the import would do without "
                                                          "writing anything, then 'Start' to launch it."), parent)
        self.large_changes = LARGE_CHANGES
        self.last_test: RunResult | None = None
        self.running = False
        self.summary = QLabel(self)
        self.summary.setObjectName("summary_label")
        self.summary.setWordWrap(True)
        self.test_button = QPushButton(tr("Test"), self)
        self.test_button.setObjectName("test_button")
        self.test_button.clicked.connect(self.test)
        self.start_button = QPushButton(tr("Start"), self)
        self.start_button.setObjectName("start_button")
        self.start_button.clicked.connect(self.start)
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setObjectName("progress_bar")
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setValue(0)
        self.outcome_label = QLabel(self)
        self.outcome_label.setObjectName("outcome_label")
        self.outcome_label.setWordWrap(True)
        self.counter_labels: dict[str, QLabel] = {}
        grid = QGridLayout()
        for i, (name, caption) in enumerate([*COUNTERS, ("elapsed", "Elapsed"), ("left", "Estimated left")]):
            value = QLabel("–", self)
            value.setObjectName(f"counter_{name}")
            self.counter_labels[name] = value
            grid.addWidget(QLabel(tr(caption) + ":", self), i // 4, (i % 4) * 2)
            grid.addWidget(value, i // 4, (i % 4) * 2 + 1)
        self.log_model = QStringListModel(self)
        self.log_view = QListView(self)
        self.log_view.setObjectName("log_view")
        self.log_view.setModel(self.log_model)
        self.relay = ProgressRelay(self)
        self.relay.progressed.connect(self._show_progress)

        buttons = QHBoxLayout()
        buttons.addWidget(self.test_button)
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.progress_bar, 1)
        self.layout_.addWidget(self.summary)
        self.layout_.addLayout(buttons)
        self.layout_.addLayout(grid)
        self.layout_.addWidget(self.outcome_label)
        self.layout_.addWidget(self.log_view, 1)
        self.finish_layout()

    def load(self) -> None:
        s = self.settings
        p = self.import_wizard.preview
        lines = tr("about {n:,} lines").format(n=p.line_count_estimate) if p and p.line_count_estimate else ""
        self.summary.setText(tr("File: {path} {lines}\n{sentence}").format(
            path=s.source_path, lines=f"({lines})" if lines else "", sentence=describe_reconciliation(s)))
        self._enable()

    def problems(self) -> list[str]:
        return label_problems(self.draft.label) + source_problems(self.settings) + import_problems(self.settings)

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return self.attached() and self.import_wizard.started

    def _enable(self) -> None:
        ok = not self.problems() and not self.running and not self.import_wizard.started
        self.test_button.setEnabled(ok)
        self.start_button.setEnabled(ok)

    # --- Test -------------------------------------------------------------------------------------

    def test(self) -> None:
        """A dry run of the draft: the counters of what would happen, nothing written."""
        w = self.import_wizard
        service, snapshot, path = w.service, w.draft.copy(), self.settings.source_path
        snapshot.id = w.template_id
        label = tr("{label} (test)").format(label=w.draft.label)
        sink = self._progress_sink()

        def run() -> RunResult:
            job_id = service.create_import_job(path, snapshot, dry_run=True, label=label)
            outcome = service.run_job(job_id, progress=sink)
            return RunResult(job_id, outcome.status.value, outcome.counters, outcome.message,
                             [e for _, e in service.jobs.journal(job_id)])

        self._begin(tr("Testing…"))
        w.runner.run(run, on_done=self._test_done, on_error=self._failed, owner=self)

    def _test_done(self, result: RunResult) -> None:
        self.running = False
        self.last_test = result
        c = result.counters
        self._show_counters(c)
        self._show_journal(result.journal)
        self.outcome_label.setStyleSheet("")
        self.outcome_label.setText(tr(
            "Test finished, nothing was written: {processed} lines would give {inserted} new recipients, "
            "{updated} updates, {deleted} deletions, {ignored} ignored and {rejected} rejects.").format(
            **c.as_dict()) + (f"\n{result.message}" if result.message else ""))
        self.progress_bar.setValue(1000)
        self._enable()

    # --- Start --------------------------------------------------------------------------------------

    def confirmation_text(self) -> str:
        """The question to ask before a run that changes many recipients ('' when no need to ask)."""
        op = self.settings.reconciliation.operation
        if self.last_test is not None:
            c = self.last_test.counters
            if c.updated + c.deleted >= self.large_changes:
                return tr("The test shows this import will update {updated:,} and delete {deleted:,} existing "
                          "recipients. Start it?").format(updated=c.updated, deleted=c.deleted)
            return ""
        if op is Operation.DELETE:
            return tr("This import DELETES the recipients that match the file, and it was not tested. Start it?")
        return ""

    def confirm(self, text: str) -> bool:
        answer = QMessageBox.question(self, tr("Start the import"), text,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def start(self) -> None:
        """Store the job, then run it in a worker; ``job_started`` as soon as it exists."""
        text = self.confirmation_text()
        if text and not self.confirm(text):
            return
        w = self.import_wizard
        store = w.job_writer()
        doc = w.draft.to_document()
        self._begin(tr("Starting…"))

        def stored(job_id: int) -> None:
            w.job_id = job_id
            w._saved_doc = doc  # noqa: SLF001 - the job now holds exactly this draft
            w.started = True
            w.draft_edited()
            self._lock_wizard()
            service, sink = w.service, self._progress_sink()

            def run() -> RunResult:
                outcome = service.run_job(job_id, progress=sink)
                return RunResult(job_id, outcome.status.value, outcome.counters, outcome.message,
                                 [e for _, e in service.jobs.journal(job_id)])

            w.runner.run(run, on_done=self._run_done, on_error=self._failed, owner=self)
            w.job_started.emit(job_id)

        w.runner.run(store, on_done=stored, on_error=self._failed, owner=self, writes=True)

    def _progress_sink(self) -> Callable[[Progress], None]:
        """For the worker: hand each snapshot to the GUI thread; the job goes on if the wizard is gone."""
        relay = self.relay

        def sink(progress: Progress) -> None:
            try:
                relay.progressed.emit(progress)
            except RuntimeError:  # the wizard was deleted: nobody to show it to
                pass

        return sink

    def _lock_wizard(self) -> None:
        """After Start: no way back, no more saving; Close instead of Cancel (spec §4.10)."""
        w = self.import_wizard
        w.setOption(QWizard.WizardOption.DisabledBackButtonOnLastPage, True)
        w.button(QWizard.WizardButton.BackButton).setEnabled(False)
        w.button(QWizard.WizardButton.CustomButton1).setEnabled(False)
        w.setButtonText(QWizard.WizardButton.CancelButton, tr("Close"))
        self.completeChanged.emit()
        self._enable()

    def _run_done(self, result: RunResult) -> None:
        self.running = False
        self._show_counters(result.counters)
        self._show_journal(result.journal)
        self.progress_bar.setValue(1000)
        self.outcome_label.setStyleSheet("")
        self.outcome_label.setText(tr("Job {id} ended: {status}. {message}").format(
            id=result.job_id, status=tr(JobStatus(result.status).label), message=result.message))

    # --- shared ---------------------------------------------------------------------------------------

    def _begin(self, text: str) -> None:
        self.running = True
        self.progress_bar.setValue(0)
        self.outcome_label.setStyleSheet("")
        self.outcome_label.setText(text)
        self.log_model.setStringList([])
        self._enable()

    def _failed(self, exc: Exception) -> None:
        self.running = False
        self.outcome_label.setStyleSheet("color: #b00020;")
        self.outcome_label.setText(error_text(exc))
        self._enable()

    def _show_progress(self, progress: Progress) -> None:
        self._show_counters(progress.counters)
        self.progress_bar.setValue(int(progress.fraction * 1000))
        self.counter_labels["elapsed"].setText(format_duration(progress.elapsed_s))
        self.counter_labels["left"].setText(format_duration(progress.seconds_left) or "–")

    def _show_counters(self, c: Counters) -> None:
        for name, _caption in COUNTERS:
            self.counter_labels[name].setText(f"{getattr(c, name):,}")

    def _show_journal(self, entries: list[JournalEntry]) -> None:
        self.log_model.setStringList([f"{e.code + ' ' if e.code else ''}{e.message}" for e in entries])

    def counters_shown(self) -> dict[str, Any]:
        return {name: label.text() for name, label in self.counter_labels.items()}
