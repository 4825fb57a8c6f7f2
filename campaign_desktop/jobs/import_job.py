"""Running an import job: read, convert, reconcile, write — batch by batch, accounted exactly.

Each batch is one transaction holding its recipients' writes, its rejects, its journal
lines and the job's counters and resume point. So whatever stops the job (Stop, Pause, the
reject threshold, a killed process, a full disk), the database holds whole batches only
and the job's counters describe exactly what it holds; resuming starts after the last
committed batch. A dry run does the same work in one transaction that is rolled back.
"""

from __future__ import annotations

import json
import logging
import subprocess
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from campaign_desktop.domain.errors import SourceFileError, UserError
from campaign_desktop.domain.job import (
    Counters,
    JobStatus,
    JournalEntry,
    Level,
    Progress,
    ProgressSink,
    Reject,
    RunControl,
    format_duration,
)
from campaign_desktop.domain.serialization import to_jsonable
from campaign_desktop.domain.template import DoublesPolicy, FileType, FolderMode, ImportSettings, ListMode
from campaign_desktop.domain.validation import import_problems
from campaign_desktop.files import detect_column_formats, open_source
from campaign_desktop.jobs import staged_batches
from campaign_desktop.jobs.batch_writing import Audience, BatchWriting
from campaign_desktop.jobs.batches import LineReader, ReadBatch, gc_paused
from campaign_desktop.jobs.execution import JobExecution, JobOutcome
from campaign_desktop.jobs.execution import database_message as _database_message
from campaign_desktop.jobs.execution import with_retries as _with_retries
from campaign_desktop.jobs.reader_process import ReaderDied, ReaderJob, ReaderProcess, use_reader_process
from campaign_desktop.jobs.reader_spawn import discard
from campaign_desktop.jobs.staged_batches import rows_to_stage, unstage
from campaign_desktop.mapping import RowConverter
from campaign_desktop.reconcile.doubles import find_doubled_keys
from campaign_desktop.reconcile.fresh_keys import FreshTable
from campaign_desktop.reconcile.keys import KeyPlan
from campaign_desktop.reconcile.planner import Planner
from campaign_desktop.storage import audience
from campaign_desktop.storage.bulk_indexes import DeferredIndexes, lines_to_come
from campaign_desktop.storage.database import IMMEDIATE
from campaign_desktop.storage.date_form import date_storage
from campaign_desktop.storage.jobs_repo import JobRecord, now
from campaign_desktop.storage.recipients_writer import (
    bulk_write_settings,
    restore_write_settings,
)
from campaign_desktop.storage.wal_checkpoints import WalCheckpoints

log = logging.getLogger(__name__)

class ImportRun(BatchWriting, JobExecution):
    """One execution (or resumption) of an import job."""

    def __init__(self, engine: Engine, job_id: int, control: RunControl | None = None,
                 progress: ProgressSink | None = None, reader: subprocess.Popen[bytes] | None = None) -> None:
        """``reader``: a reading process started early for this job (``reader_spawn.early_reader``); the
        job gives it its file or, if it reads the file itself, ends it."""
        super().__init__(engine, job_id, control, progress)
        self.warnings_journaled = 0
        self.fresh: FreshTable | None = None
        self.early_reader = reader

    # --- entry point -----------------------------------------------------------------------

    def execute(self, job: JobRecord, resuming: bool) -> JobOutcome:
        self.job = job
        self.settings: ImportSettings = job.template.import_settings  # type: ignore[assignment]
        self.counters = replace(job.counters) if resuming else Counters()
        self.dry_run = job.dry_run
        self.state: dict[str, Any] = dict(job.resume_state) if resuming else {}
        self._journal(Level.INFO, "XDT-320029",
                      ("Resuming" if resuming else "Starting") + f" data import of '{Path(job.source_path).name}'"
                      + (" (test run: nothing will be written)" if self.dry_run else ""))
        try:
            return self._run()
        except (SourceFileError, UserError) as exc:
            return self._end(JobStatus.FINISHED_WITH_ERRORS, str(exc), bad_input=True)
        except DBAPIError as exc:
            log.warning("database failure in job %s", self.job_id, exc_info=True)
            return self._end(JobStatus.FINISHED_WITH_ERRORS, _database_message(exc))
        except OSError as exc:
            return self._end(JobStatus.FINISHED_WITH_ERRORS, f"Reading the file failed: {exc.strerror or exc}")
        except ReaderDied as exc:
            return self._end(JobStatus.FINISHED_WITH_ERRORS, f"{exc} Resume the job to continue.")
        except Exception as exc:  # noqa: BLE001 - a bug: the job must still end with a true status
            if isinstance(exc, self.engine.dialect.loaded_dbapi.Error):
                # The fast paths use the driver directly (executemany, COPY): its errors are the same
                # database failures as SQLAlchemy's, and end the job the same way.
                log.warning("database failure in job %s", self.job_id, exc_info=True)
                return self._end(JobStatus.FINISHED_WITH_ERRORS, _database_message(exc))
            log.exception("import job %s failed", self.job_id)
            self._end(JobStatus.FINISHED_WITH_ERRORS, f"Unexpected failure: {exc!r}")
            raise

    # --- the work --------------------------------------------------------------------------

    def _run(self) -> JobOutcome:
        try:
            return self._run_import()
        finally:
            discard(self.early_reader)  # not needed after all (a small file, a workbook, a failure)

    def _run_import(self) -> JobOutcome:
        s = self.settings
        problems = import_problems(s)
        if problems:
            raise UserError("The template cannot run: " + "; ".join(problems))
        path = self.job.source_path
        if not path:
            raise UserError("Choose the file to import.")
        with open_source(path, s.file_format) as source:
            formats = s.file_format.columns or detect_column_formats(path, source.file_format)
            converter = RowConverter(source.columns, s, formats, date_form=date_storage(self.engine.dialect.name))
            keys = KeyPlan(s.reconciliation, converter.destinations)
            self._journal(Level.INFO, "XDT-320035",
                          f"Columns: {', '.join(source.columns)}. Mapped to: "
                          f"{', '.join(converter.destinations) or 'nothing'}. "
                          f"Reconciliation: {s.reconciliation.operation.value} on "
                          f"{keys.describe(keys.key1) if keys.key1 else 'no key'}")
            unmapped = [c for c in source.columns if c not in converter.mapped_sources]
            if unmapped:
                self._journal(Level.WARNING, "UNMAPPED", f"Columns not imported: {', '.join(unmapped)}")
            doubled: set[str] = set()
            if s.reconciliation.doubles is not DoublesPolicy.UPDATE:
                doubled = self._find_doubles(path, source.file_format, converter, keys)
            self.bytes_total = source.bytes_total
            # What "Export rejects" needs to write a file in the source's own format.
            self.state["format"] = to_jsonable(source.file_format)
            self.state["columns"] = list(source.columns)
            self.formats = formats
            return self._import(source, converter, keys, doubled)

    def _find_doubles(self, path: str, fmt: Any, converter: RowConverter, keys: KeyPlan) -> set[str]:
        reader = LineReader(converter, keys, self.settings.advanced, 1)

        def all_keys() -> Iterator[tuple[Any, ...]]:
            with open_source(path, fmt) as again:
                for n, rec in enumerate(again.records(), start=1):
                    if not self._in_range(n) or rec.error or not rec.values:
                        continue
                    row, _, _ = reader.convert(rec.values)
                    if row is not None:
                        _, key = keys.key_of_row(row)
                        if key is not None:
                            yield key

        doubled = find_doubled_keys(all_keys())
        self._journal(Level.INFO, "DOUBLES", f"{len(doubled)} key value(s) appear more than once in the file")
        return doubled

    def _in_range(self, index: int) -> bool:
        adv = self.settings.advanced
        if index < max(adv.start_line, 1):
            return False
        return not (adv.line_limit and index >= max(adv.start_line, 1) + adv.line_limit)

    def _batches(self, source: Any, converter: RowConverter, keys: KeyPlan, batch_size: int,
                 closing: list[Any]) -> Iterator[ReadBatch]:
        """The source's batches, read here or, for a big file, by a second process meanwhile."""
        index = int(self.state.get("index", 0))
        offset, line = int(self.state.get("offset", 0)), int(self.state.get("line", 0))
        dialect = self.engine.dialect.name
        if use_reader_process(source.bytes_total, source.file_format):
            job = ReaderJob(self.job.source_path, source.file_format, self.settings, list(self.formats), dialect,
                            batch_size, index, offset, line, track_keys=self.fresh is not None,
                            stage_from=rows_to_stage(dialect, keys, self.dry_run),
                            stage_when_behind=staged_batches.WHEN_BEHIND)
            child = ReaderProcess(job, list(converter.destinations), started=self.early_reader)
            self.early_reader = None
            closing.append(child)
            return child.batches()
        reader = LineReader(converter, keys, self.settings.advanced, batch_size, track_keys=self.fresh is not None)
        return reader.batches(source.records(resume_offset=offset, resume_line=line), index)

    def _import(self, source: Any, converter: RowConverter, keys: KeyPlan, doubled: set[str]) -> JobOutcome:
        s = self.settings
        adv = s.advanced
        batch_size = max(100, adv.batch_size)
        conn = self.engine.connect()
        dry_tx = None
        closing: list[Any] = []
        deferred = DeferredIndexes()
        sqlite = self.engine.dialect.name == "sqlite"
        checkpoints: WalCheckpoints | None = None
        try:
            if sqlite:
                conn.info[IMMEDIATE] = True
                bulk_write_settings(conn)
                database = self.engine.url.database
                if (not self.dry_run and database and database != ":memory:"
                        and use_reader_process(source.bytes_total, source.file_format)):
                    conn.connection.driver_connection.execute("PRAGMA wal_autocheckpoint=0")
                    checkpoints = WalCheckpoints(database).__enter__()  # see storage/wal_checkpoints.py
            if self.dry_run:
                dry_tx = conn.begin()
                self.dry_rejects: list[Reject] = []
                self.dry_journal: list[JournalEntry] = []
            aud = self._prepare_audience(conn)
            # With a second process reading the file the indexes stay: the reader takes over part of the
            # job's work while it is behind (staged batches), where a rebuild would be a last step done alone.
            if sqlite and not self.dry_run and not use_reader_process(source.bytes_total, source.file_format):
                to_come = lines_to_come(self.bytes_total - int(self.state.get("offset", 0)),
                                        source.file_format.file_type is FileType.XLSX)
                deferred = DeferredIndexes.start(
                    conn, [f for fields in keys.key_sets for f in fields], to_come,
                    say=lambda text: self._journal(Level.INFO, "BULK-INDEXES", text))
            planner = Planner(
                s.reconciliation, keys, converter.destinations, job_id=self.job_id, folder_id=aud.folder_id,
                origin=s.recipients.origin, set_flags=s.recipients.set_flags,
                field_rules={r.field: r for r in s.reconciliation.field_rules}, trace=adv.trace,
                update_enumerations=adv.update_enumerations,
            )
            match_folder = aud.folder_id if s.recipients.folder_mode is not FolderMode.NONE else None
            stop_reason = ""
            exhausted = False
            self.fresh = FreshTable.for_job(conn, self.dry_run)
            # Before the collection that pausing the collector starts with: a reading process starts now.
            batches = self._batches(source, converter, keys, batch_size, closing)
            with gc_paused():
                for rb in batches:
                    if adv.stop_on_rejects:
                        mark = rb.stop_point(self.counters.rejected, adv.max_rejects)
                        if mark is not None:
                            unstage(rb, keys, converter.destinations)
                            rb = rb.cut(mark)
                            stop_reason = "rejects"
                    exhausted = rb.exhausted
                    if rb.last is None and not rb.rows and not rb.rejects:
                        break
                    self._write_batch_replaying_conflicts(conn, planner, keys, match_folder, aud, rb, doubled)
                    if adv.stop_on_rejects and self.counters.rejected >= adv.max_rejects:
                        stop_reason = "rejects"
                    if stop_reason or exhausted:
                        break
                    stop_reason = self._requested_stop()
                    if stop_reason:
                        break
            if dry_tx is not None:
                dry_tx.rollback()
                dry_tx = None
            deferred.rebuild()  # before the end is recorded: "Finished" means searchable again
            return self._finish(stop_reason, exhausted)
        finally:
            for child in closing:
                child.close()
            if dry_tx is not None:
                dry_tx.rollback()
            deferred.rebuild()
            # The flag lives on the pooled DBAPI connection: left set, every later reader of that
            # connection would take SQLite's write lock and block other writers.
            conn.info.pop(IMMEDIATE, None)
            if checkpoints is not None:
                checkpoints.stop()
            if sqlite:
                restore_write_settings(conn)
            conn.close()

    def _requested_stop(self) -> str:
        status = getattr(self, "stored_status", JobStatus.RUNNING)
        if self.control.cancel_requested or status is JobStatus.CANCELLING:
            return "cancel"
        if self.control.pause_requested or status is JobStatus.PAUSING:
            return "pause"
        return ""

    def _prepare_audience(self, conn: Connection) -> Audience:
        """Folder, list and service of the Import recipients step, created on first use."""
        r = self.settings.recipients
        stamp = now()
        notes: list[str] = []  # journaled after the commit: the journal uses another connection
        tx = None if self.dry_run else conn.begin()
        try:
            if r.folder_mode is FolderMode.EXISTING and r.folder.strip():
                fid, created = audience.folder_id(conn, r.folder, stamp)
                if created:
                    notes.append(f"Created the recipients folder '{r.folder}'")
            else:
                fid = audience.default_folder_id(conn)
            lid = sid = None
            if r.list_mode is not ListMode.NONE:
                lid, created = audience.list_id(conn, r.list_name, stamp)
                if created:
                    notes.append(f"Created the list '{r.list_name}'")
                elif r.list_mode is ListMode.RECREATE and not self.state.get("list_recreated"):
                    removed = audience.clear_list(conn, lid)
                    notes.append(f"Emptied the list '{r.list_name}' ({removed} members)")
                self.state["list_recreated"] = True
            if r.service.strip():
                sid, created = audience.service_id(conn, r.service, stamp)
                if created:
                    notes.append(f"Created the service '{r.service}'")
            if tx is not None:
                tx.commit()
        except BaseException:
            if tx is not None:
                tx.rollback()
            raise
        for note in notes:
            self._journal(Level.INFO, "AUDIENCE", note)
        return Audience(fid, lid, sid)

    # --- ending ----------------------------------------------------------------------------

    def _finish(self, stop_reason: str, exhausted: bool) -> JobOutcome:
        c = self.counters
        if stop_reason == "cancel":
            return self._end(JobStatus.CANCELLED, f"Cancelled by the user after {c.processed:,} line(s).")
        if stop_reason == "pause":
            return self._end(JobStatus.PAUSED, f"Paused after {c.processed:,} line(s). Resume continues from "
                                               "the next line.")
        if stop_reason == "rejects":
            limit = self.settings.advanced.max_rejects
            return self._end(JobStatus.FINISHED_WITH_ERRORS,
                             f"Stopped: {c.rejected:,} line(s) rejected, the limit is {limit:,} "
                             "(Advanced parameters > Stop execution if there are too many rejects).")
        c.total = c.processed
        self.state["complete"] = True
        summary = (f"End of import: {c.processed:,} line(s) processed in "
                   f"{format_duration(time.monotonic() - self.started)}: {c.inserted:,} inserted, "
                   f"{c.updated:,} updated, {c.deleted:,} deleted, {c.ignored:,} ignored, {c.rejected:,} rejected")
        if c.denylist_kept:
            self._journal(Level.WARNING, "CONSENT",
                          f"{c.denylist_kept:,} recipient(s) on the denylist were updated; their 'No longer "
                          "contact' flags were kept (map the flag column to change them)")
        level = Level.WARNING if (c.rejected or c.warnings) else Level.INFO
        return self._end(JobStatus.FINISHED, summary, level=level)

    def _end(self, status: JobStatus, message: str, *, bad_input: bool = False,
             level: Level | None = None) -> JobOutcome:
        lvl = level or (Level.ERROR if status is JobStatus.FINISHED_WITH_ERRORS else Level.INFO)
        self._journal(lvl, "XDT-320036" if status is JobStatus.FINISHED else "END", message)
        if self.dry_run:
            self.repo.add_rejects(self.job_id, getattr(self, "dry_rejects", []))
            self.repo.add_journal(self.job_id, getattr(self, "dry_journal", []))
            self.dry_rejects, self.dry_journal = [], []
        def save() -> None:
            self.repo.save_counters(self.job_id, self.counters, resume_state=json.dumps(self.state))
            self.repo.set_status(self.job_id, status, message)

        _with_retries(save)
        self._report(status, message)
        return JobOutcome(self.job_id, status, replace(self.counters), message, bad_input)

    def _journal(self, level: Level, code: str, message: str) -> None:
        entry = JournalEntry(level, message, code, datetime.now().replace(microsecond=0))
        if self.dry_run and hasattr(self, "dry_journal"):
            self.dry_journal.append(entry)
        else:
            _with_retries(lambda: self.repo.add_journal(self.job_id, entry))

    def _report(self, status: JobStatus, message: str = "") -> None:
        if self.progress is None:
            return
        self.progress(Progress(
            job_id=self.job_id, status=status, counters=replace(self.counters),
            lines_read=getattr(self, "lines_read", 0), bytes_read=getattr(self, "bytes_read", 0),
            bytes_total=getattr(self, "bytes_total", 0), elapsed_s=time.monotonic() - self.started,
            message=message,
        ))
