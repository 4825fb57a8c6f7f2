"""Running an export job: count, stream the rows batch by batch into a temporary file, rename it.

Memory stays bounded whatever the row count: rows come from a server-side cursor (PostgreSQL)
or a lazily stepped statement (SQLite) one batch at a time, and every writer streams to disk.
A delimited SQLite export in id order (no sort keys) reads batches of ids whose lines the
database has joined (:func:`~campaign_desktop.export.range_reader.range_batches`), and from
``split_from_rows`` rows shares its chunks with reading processes
(:mod:`campaign_desktop.jobs.export_split`); the bytes written are the same on every path.
Pause and Stop are obeyed between batches; either (or any failure) removes the temporary file,
so the final name only ever holds a complete export. A paused or interrupted export resumes by
starting again: a file is cheap to rewrite, and a half-written one is never trusted.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Select
from sqlalchemy.exc import DBAPIError

from campaign_desktop.domain.errors import UserError
from campaign_desktop.domain.job import Counters, JobStatus, JournalEntry, Level, Progress, ProgressSink, RunControl
from campaign_desktop.domain.job import format_duration as fmt_duration
from campaign_desktop.domain.template import ExportSettings, OutputFormat
from campaign_desktop.export.preview import last_successful_start, plan_export
from campaign_desktop.export.query import count_query
from campaign_desktop.export.range_reader import CLEAN, range_batches
from campaign_desktop.export.sql_lines import AFTER, UPTO, LineRedo, line_checker, range_statements
from campaign_desktop.export.writers import DelimitedWriter, Destination, Writer, open_writer, resolve_file_name
from campaign_desktop.jobs.execution import JobExecution, JobOutcome, database_message, with_retries
from campaign_desktop.jobs.export_split import MIN_ROWS, RangeSplit, can_split, id_bounds, in_id_order, readers_for
from campaign_desktop.storage.database import IMMEDIATE
from campaign_desktop.storage.jobs_repo import JobRecord

log = logging.getLogger(__name__)

CHECKPOINT_EVERY_S = 0.5  # counters and the stored status (another process's Stop) at most this often


class ExportRun(JobExecution):
    """One execution of an export job (``job.source_path`` is the destination file)."""

    fast_lines = True  # let the database build delimited lines when it can (tests compare both paths)
    split_from_rows = MIN_ROWS  # read large SQLite line exports with other processes too (tests lower it)
    readers = 0  # how many reading processes beside the job (0: one per other core, see readers_for)

    def __init__(self, engine: Engine, job_id: int, control: RunControl | None = None,
                 progress: ProgressSink | None = None) -> None:
        super().__init__(engine, job_id, control, progress)
        self.counters = Counters()
        self.destination: Destination | None = None
        self.writer: Writer | None = None
        self.stored_status = JobStatus.RUNNING

    def execute(self, job: JobRecord, resuming: bool) -> JobOutcome:
        self.job = job
        self.settings: ExportSettings = job.template.export_settings  # type: ignore[assignment]
        self.started_at = datetime.now()
        self.state: dict[str, object] = {"started": self.started_at.isoformat()}
        if resuming:
            self._journal(Level.INFO, "RESUME", "Resuming: the export starts again from the first line")
        try:
            return self._run()
        except UserError as exc:
            self._discard()
            return self._end(JobStatus.FINISHED_WITH_ERRORS, str(exc), bad_input=True)
        except DBAPIError as exc:
            self._discard()
            log.warning("database failure in export job %s", self.job_id, exc_info=True)
            return self._end(JobStatus.FINISHED_WITH_ERRORS, database_message(exc))
        except OSError as exc:
            self._discard()
            return self._end(JobStatus.FINISHED_WITH_ERRORS, f"Writing the file failed: {exc.strerror or exc}")
        except BaseException as exc:
            self._discard()
            log.exception("export job %s failed", self.job_id)
            self._end(JobStatus.FINISHED_WITH_ERRORS, f"Unexpected failure: {exc!r}")
            raise

    def _run(self) -> JobOutcome:
        s = self.settings
        if not self.job.source_path:
            raise UserError("Choose the file to export to.")
        with self.engine.connect() as conn:
            since = None
            if s.differential:
                since = last_successful_start(conn, self.job.template_id, before_job=self.job_id)
                self._journal(Level.INFO, "DIFFERENTIAL",
                              f"Differential export: recipients modified since {since:%Y-%m-%d %H:%M:%S}"
                              if since else "Differential export: first run, every recipient is exported")
            plan = plan_export(conn, s, since=since, fast_lines=self.fast_lines)
            total = int(conn.execute(count_query(plan.statement)).scalar_one())
        final = resolve_file_name(self.job.source_path, s.output, template=self.job.template.internal_name,
                                  count=total)
        if final.suffix.lower() == ".xlsx" and s.output.format is not OutputFormat.XLSX:
            s.output.format = OutputFormat.XLSX
            plan = self._replan(since)
        self.counters.total = total
        self.state["file"] = str(final)
        self._journal(Level.INFO, "XDT-320024", f"Starting data export ({total:,} records)")
        self._journal(Level.INFO, "XDT-320027", f"Starting export '{final.name}' based on schema 'recipients'"
                      + (f" (members of the list '{s.document_type[5:]}')" if s.document_type.startswith("list:")
                         else ""))
        self.destination = Destination(final)
        self.plan = plan
        fmt = plan.formatter
        writer = self.writer = open_writer(self.destination.temp, s.output, fmt.headers,
                                           [c.width for c in fmt.columns])
        batch_size = max(100, s.advanced.batch_size)
        stop = ""
        last_checkpoint = 0.0
        with self.engine.connect() as conn:
            conn.info[IMMEDIATE] = False  # a reader: never hold SQLite's write lock while streaming
            lines = plan.line_statement is not None and isinstance(writer, DelimitedWriter)
            self.checker = line_checker(s, len(fmt.columns))
            self.redo = LineRedo(s, fmt)
            # SQLite in id order: batches cut by id, each joined by the database (and maybe two processes).
            bounds = id_bounds(conn) if lines and conn.dialect.name == "sqlite" and in_id_order(s) else None
            if bounds and can_split(conn, s, total, self.split_from_rows):
                batches = self._split_batches(conn, plan.line_statement, batch_size, *bounds)  # type: ignore[arg-type]
            elif bounds:
                batches = self._range_batches(conn, plan.line_statement, batch_size, *bounds)  # type: ignore[arg-type]
            else:
                batches = self._batches(conn, plan.line_statement if lines else plan.statement, lines, batch_size)
            try:
                for n in batches:
                    self.counters.processed += n
                    self.counters.success += n
                    self.counters.warnings = writer.warnings + fmt.calc_errors
                    if time.monotonic() - last_checkpoint >= CHECKPOINT_EVERY_S:
                        last_checkpoint = time.monotonic()
                        self._checkpoint()
                        self._report(JobStatus.RUNNING)
                    stop = self._requested_stop()
                    if stop:
                        break
            finally:
                batches.close()  # finalises SQLite's statement (which otherwise keeps its lock), ends a child
        if stop:
            self._discard()
            c = self.counters
            if stop == "cancel":
                return self._end(JobStatus.CANCELLED, f"Cancelled by the user after {c.processed:,} line(s); "
                                                      f"no file was written under '{final.name}'.")
            return self._end(JobStatus.PAUSED, f"Paused after {c.processed:,} line(s). Resume starts the export "
                                               "again from the first line.")
        writer.close()
        self.writer = None
        self.destination.commit()
        self.destination = None
        return self._finish(final, writer.warnings, fmt.calc_errors)

    def _batches(self, conn: Connection, statement: Select[Any], lines: bool, batch_size: int) -> Iterator[int]:
        """Writes the statement's rows batch by batch, yielding each batch's row count.

        SQLite steps its statement lazily: read the driver's cursor directly (its plain tuples, dates
        as ISO text, are what the formatter wants, and skipping SQLAlchemy's per-row objects halves
        the cost of a fetch). PostgreSQL: a server-side cursor through SQLAlchemy (which buffers).
        """
        writer, fmt = self.writer, self.plan.formatter
        assert writer is not None
        if conn.dialect.name == "sqlite":
            result = conn.execute(statement)
            fetch = result.cursor.fetchmany
        else:
            result = conn.execution_options(stream_results=True, yield_per=batch_size).execute(statement)
            fetch = result.fetchmany
        try:
            while rows := fetch(batch_size):
                if lines:
                    self._write_lines(conn, [r[0] for r in rows], [r[1] for r in rows])
                else:
                    writer.write_rows(fmt.format_rows(rows))
                yield len(rows)
        finally:
            result.close()

    def _range_batches(self, conn: Connection, line_statement: Select[Any], batch_size: int, first: int,
                       last: int) -> Iterator[int]:
        """Ids ``first``..``last`` in id order, ``batch_size`` ids at a time, each batch joined by the database."""
        joined, rows = range_statements(line_statement, batch_size)
        for kind, count, data in range_batches(lambda a, b: conn.execute(joined, {AFTER: a, UPTO: b}).one(),
                                               lambda a, b: conn.execute(rows, {AFTER: a, UPTO: b}).all(),
                                               self.checker, first, last, batch_size):
            self._write_record(conn, kind, data)
            yield count

    def _split_batches(self, conn: Connection, line_statement: Select[Any], batch_size: int, first: int,
                       last: int) -> Iterator[int]:
        """The first chunks read here while other processes read the last ones; then their spools.

        Yields 0 while waiting for them, so that Pause and Stop are still obeyed. A chunk a failed
        process did not finish is read here.
        """
        assert self.destination is not None
        try:
            split = RangeSplit(conn, line_statement, self.checker, batch_size, self.destination.temp.parent,
                               first, last, readers=self.readers or readers_for(os.cpu_count()))
        except ValueError:  # a statement the reading processes could not bound: read it all here
            yield from self._range_batches(conn, line_statement, batch_size, first, last)
            return
        try:
            mine = 0
            for chunk, (low, high) in enumerate(split.chunks):
                if not split.claim(chunk):
                    break
                yield from self._range_batches(conn, line_statement, batch_size, low, high)
                mine = chunk + 1
            while not split.wait(0.05):
                yield 0
            if split.failure:
                log.warning("export job %s: a reading process failed (%s); reading its chunks here", self.job_id,
                            split.failure)
            for chunk in range(mine, len(split.chunks)):
                if not split.spooled(chunk):
                    yield from self._range_batches(conn, line_statement, batch_size, *split.chunks[chunk])
                    continue
                for kind, count, data in split.records(chunk):
                    self._write_record(conn, kind, data)
                    yield count
        finally:
            split.close()

    def _write_record(self, conn: Connection, kind: int, data: Any) -> None:
        """One batch from :func:`range_batches` or a spool: finished text (str, or UTF-8 bytes), or lines to fix."""
        writer = self.writer
        assert isinstance(writer, DelimitedWriter)
        if kind != CLEAN:
            self._write_lines(conn, *data)
        elif isinstance(data, bytes):
            writer.write_utf8(data)
        elif data:
            writer.write_text(data)

    def _write_lines(self, conn: Connection, ids: list[int], lines: list[str],
                     dirty: list[int] | None = None) -> None:
        """Database-built lines, checked per batch; the few needing quoting or escaping are redone."""
        writer = self.writer
        assert isinstance(writer, DelimitedWriter)
        if dirty is None:
            text, dirty = self.checker.check(lines)
            if text:
                writer.write_text(text)
                return
        fixed = self.redo.lines(conn, [ids[i] for i in dirty])
        for i in dirty:
            lines[i] = fixed[ids[i]]
        writer.write_lines(lines)

    def _replan(self, since: datetime | None):  # type: ignore[no-untyped-def]
        self._journal(Level.INFO, "FORMAT", "The file name ends in .xlsx: writing an Excel workbook")
        with self.engine.connect() as conn:
            return plan_export(conn, self.settings, since=since, fast_lines=self.fast_lines)

    def _finish(self, final: Path, cut: int, calc_errors: int) -> JobOutcome:
        c = self.counters
        c.total = c.processed
        self.state["complete"] = True
        if cut:
            self._journal(Level.WARNING, "TRUNCATED" if self.settings.output.format is OutputFormat.FIXED else "VALUE",
                          f"{cut:,} value(s) were cut to their column width or cleaned of characters the format "
                          "cannot hold")
        if calc_errors:
            self._journal(Level.WARNING, "CALC", f"{calc_errors:,} calculated value(s) could not be computed and "
                                                 "were left empty")
        took = fmt_duration(time.monotonic() - self.started)
        self._journal(Level.INFO, "XDT-320037", f"End of export '{final.name}' ({c.processed:,} records processed "
                                                f"in {took})")
        return self._end(JobStatus.FINISHED, f"Exported {c.processed:,} record(s) to {final}",
                         level=Level.WARNING if c.warnings else Level.INFO)

    # --- shared with the import's life cycle ---------------------------------------------------

    def _checkpoint(self) -> None:
        with self.engine.begin() as conn:
            self.stored_status = self.repo.checkpoint(
                conn, self.job_id, self.counters, bytes_read=self.counters.processed,
                bytes_total=self.counters.total, lines_read=self.counters.processed, resume_state=self.state)

    def _requested_stop(self) -> str:
        if self.control.cancel_requested or self.stored_status is JobStatus.CANCELLING:
            return "cancel"
        if self.control.pause_requested or self.stored_status is JobStatus.PAUSING:
            return "pause"
        return ""

    def _discard(self) -> None:
        if self.writer is not None:
            self.writer.abort()
            self.writer = None
        if self.destination is not None:
            self.destination.discard()
            self.destination = None

    def _end(self, status: JobStatus, message: str, *, bad_input: bool = False,
             level: Level | None = None) -> JobOutcome:
        lvl = level or (Level.ERROR if status is JobStatus.FINISHED_WITH_ERRORS else Level.INFO)
        code = "XDT-320026" if status is JobStatus.FINISHED else "END"
        self._journal(lvl, code, "Job successfully ended: " + message if status is JobStatus.FINISHED else message)

        def save() -> None:
            self.repo.save_counters(self.job_id, self.counters, resume_state=json.dumps(self.state),
                                    lines_read=self.counters.processed, bytes_read=self.counters.processed,
                                    bytes_total=max(self.counters.total, self.counters.processed))
            self.repo.set_status(self.job_id, status, message)

        with_retries(save)
        self._report(status, message)
        return JobOutcome(self.job_id, status, replace(self.counters), message, bad_input)

    def _journal(self, level: Level, code: str, message: str) -> None:
        entry = JournalEntry(level, message, code, datetime.now().replace(microsecond=0))
        with_retries(lambda: self.repo.add_journal(self.job_id, entry))

    def _report(self, status: JobStatus, message: str = "") -> None:
        if self.progress is None:
            return
        c = self.counters
        self.progress(Progress(
            job_id=self.job_id, status=status, counters=replace(c), lines_read=c.processed, bytes_read=c.processed,
            bytes_total=max(c.total, c.processed), elapsed_s=time.monotonic() - self.started, message=message,
        ))
