"""Screens 8-9 of the export wizard (spec §5.8-5.9): data preview, then execution.

The preview and the export run on the wizard's :class:`TaskRunner`; progress snapshots cross to
the GUI thread through a queued signal, never by touching a widget from the worker.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QStringListModel, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QWidget,
    QWizard,
)

from campaign_desktop.domain.job import Counters, JobStatus, JournalEntry, Progress, format_duration
from campaign_desktop.export.preview import ExportPreview, export_problems, preview_export
from campaign_desktop.gui.errors import error_text
from campaign_desktop.gui.i18n import tr
from campaign_desktop.gui.wizards.export.models import PreviewModel
from campaign_desktop.gui.wizards.export.page_base import ExportPage


class PreviewPage(ExportPage):
    """Data preview: the first lines as the file will hold them, and the generated SQL."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("Data preview"), tr("The first lines of the export, formatted as in the file."), parent)
        self.lines_spin = QSpinBox(self)
        self.lines_spin.setObjectName("lines_spin")
        self.lines_spin.setRange(1, 10_000)
        self.lines_spin.setValue(200)
        self.start_button = QPushButton(tr("Start the preview of the data"), self)
        self.start_button.setObjectName("preview_button")
        self.start_button.clicked.connect(self.refresh)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("preview_status")
        self.model = PreviewModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("preview_table")
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.sql_text = QPlainTextEdit(self)
        self.sql_text.setObjectName("sql_text")
        self.sql_text.setReadOnly(True)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.table, tr("Column results"))
        self.tabs.addTab(self.sql_text, tr("Generated SQL queries"))
        top = QHBoxLayout()
        top.addWidget(self.start_button)
        top.addWidget(QLabel(tr("Lines to display:"), self))
        top.addWidget(self.lines_spin)
        top.addWidget(self.status_label, 1)
        self.layout_.addLayout(top)
        self.layout_.addWidget(self.tabs, 1)
        self.finish_layout()
        self.loading = False

    def load(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        w = self.export_wizard
        engine, settings, lines = w.service.engine, w.draft.copy().export_settings, self.lines_spin.value()
        self.loading = True
        self.status_label.setText(tr("Reading…"))
        w.runner.run(lambda: preview_export(engine, settings, lines), on_done=self._shown, on_error=self._failed,
                     owner=self)

    def _shown(self, preview: ExportPreview) -> None:
        self.loading = False
        self.model.show(preview.headers, preview.rows)
        self.sql_text.setPlainText(preview.sql)
        shown = tr("{shown:,} of {total:,} line(s)").format(shown=len(preview.rows), total=preview.count)
        self.status_label.setText("; ".join([shown, *preview.notes]))

    def _failed(self, exc: Exception) -> None:
        self.loading = False
        self.model.show([], [])
        self.status_label.setText(error_text(exc))

    def problems(self) -> list[str]:
        return export_problems(self.settings)


@dataclass
class RunResult:
    job_id: int
    status: JobStatus
    counters: Counters
    message: str = ""
    journal: list[JournalEntry] = field(default_factory=list)


class ProgressRelay(QObject):
    """Carries the engine's progress snapshots from the worker to the GUI thread (queued signal)."""

    progressed = Signal(object)


class ExecutionPage(ExportPage):
    """Data export execution: Start, a progress bar, Processed / Elapsed / Estimated left, the journal."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("Data export execution"), tr("Click 'Start' to export."), parent)
        self.start_button = QPushButton(tr("Start"), self)
        self.start_button.setObjectName("start_button")
        self.start_button.clicked.connect(self.start)
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setObjectName("progress_bar")
        self.progress_bar.setRange(0, 1000)
        self.counts_label = QLabel(self)
        self.counts_label.setObjectName("counts_label")
        self.outcome_label = QLabel(self)
        self.outcome_label.setObjectName("outcome_label")
        self.outcome_label.setWordWrap(True)
        self.log_model = QStringListModel(self)
        self.log_view = QListView(self)
        self.log_view.setObjectName("log_view")
        self.log_view.setModel(self.log_model)
        self.relay = ProgressRelay(self)
        self.relay.progressed.connect(self._show_progress)
        self.running = False
        row = QHBoxLayout()
        row.addWidget(self.start_button)
        row.addWidget(self.progress_bar, 1)
        self.layout_.addLayout(row)
        self.layout_.addWidget(self.counts_label)
        self.layout_.addWidget(self.outcome_label)
        self.layout_.addWidget(self.log_view, 1)
        self.finish_layout()

    def load(self) -> None:
        self.outcome_label.setText(tr("Export to: {path}").format(path=self.export_wizard.out_path))
        self.start_button.setEnabled(not self.running and not self.export_wizard.started)

    def problems(self) -> list[str]:
        return export_problems(self.settings) + ([] if self.export_wizard.out_path else
                                                 [tr("Choose the file to export to.")])

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return self.attached() and self.export_wizard.started

    def start(self) -> None:
        """Store the job (the saved one when the wizard reopened it), then run it in a worker.

        As in the import wizard: a job saved in Being edited is updated and run, never copied.
        """
        w = self.export_wizard
        if self.problems() or self.running or w.started:
            return
        store = w.job_writer()
        self.running = True
        w.started = True
        self.start_button.setEnabled(False)
        self.outcome_label.setText(tr("Export in progress…"))
        relay = self.relay

        def sink(progress: Progress) -> None:
            try:
                relay.progressed.emit(progress)
            except RuntimeError:  # the wizard was deleted: the export goes on, nobody to show it to
                pass

        def stored(job_id: int) -> None:
            w.job_id = job_id
            w.mark_saved()
            self._lock_wizard()
            service = w.service

            def run() -> RunResult:
                outcome = service.run_job(job_id, progress=sink)
                return RunResult(job_id, outcome.status, outcome.counters, outcome.message,
                                 [e for _, e in service.jobs.journal(job_id)])

            w.runner.run(run, on_done=self._done, on_error=self._failed, owner=self, writes=True)
            w.job_started.emit(job_id)

        w.runner.run(store, on_done=stored, on_error=self._store_failed, owner=self, writes=True)
        self.completeChanged.emit()

    def _lock_wizard(self) -> None:
        """After Start: no way back and no more saving (the job is history once it runs)."""
        w = self.export_wizard
        w.setOption(QWizard.WizardOption.DisabledBackButtonOnLastPage, True)
        w.button(QWizard.WizardButton.BackButton).setEnabled(False)
        w.button(QWizard.WizardButton.CustomButton1).setEnabled(False)
        # Close (Finish) ends the wizard from now on, the export going on if it still runs: no Cancel beside it.
        w.setButtonLayout([QWizard.WizardButton.CustomButton2, QWizard.WizardButton.Stretch,
                           QWizard.WizardButton.BackButton, QWizard.WizardButton.FinishButton,
                           QWizard.WizardButton.CustomButton1])
        self.completeChanged.emit()

    def _show_progress(self, p: Progress) -> None:
        self.progress_bar.setValue(int(p.fraction * 1000))
        left = p.seconds_left
        self.counts_label.setText(tr("Processed: {n:,}   Elapsed: {elapsed}   Estimated left: {left}").format(
            n=p.counters.processed, elapsed=format_duration(p.elapsed_s), left=format_duration(left) or "–"))

    def _done(self, result: RunResult) -> None:
        self.running = False
        self.export_wizard.job_id = result.job_id
        self.progress_bar.setValue(1000 if result.status is JobStatus.FINISHED else self.progress_bar.value())
        self.counts_label.setText(tr("Processed: {n:,}").format(n=result.counters.processed))
        self.outcome_label.setText(f"{tr(result.status.label)}: {result.message}")
        self.log_model.setStringList([f"{e.code} {e.message}".strip() for e in result.journal])
        self.export_wizard.job_finished.emit(result.job_id)
        self.completeChanged.emit()

    def _store_failed(self, exc: Exception) -> None:
        """The job could not be stored: nothing ran, Start may be pressed again."""
        self.running = False
        self.export_wizard.started = False
        self.start_button.setEnabled(True)
        self.outcome_label.setText(error_text(exc))
        self.completeChanged.emit()

    def _failed(self, exc: Exception) -> None:
        """The run hit a bug after the job was stored: say so (the job's status tells the rest)."""
        self.running = False
        self.outcome_label.setText(error_text(exc))
        self.completeChanged.emit()
