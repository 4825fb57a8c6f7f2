"""A large SQLite delimited export read by several processes at once, written in order by the job.

Building each line is SQLite's work (see :mod:`campaign_desktop.export.sql_lines`) and it is most
of an export's time, on one core. Here the id range is cut in chunks: the job reads and writes
them from the first up while one reading process per other core (two processes in all on a
two-core machine; :mod:`campaign_desktop.export.range_reader`) reads and checks them from the
last down into spool files, until they meet; the job then copies the spools' finished text
after its own (redoing by the normal path the few lines that need quoting or escaping).
Threads would not help: Python's sqlite3 takes the GIL back after every row, so two reading
threads run slower than one.

Only for what keeps its order when cut by id: SQLite, a database file, no sort keys (the order
is then by id), no line limit and no DISTINCT (the line path already excludes it), and enough
rows to pay for a process (~0.05 s to start).

Consistency: each process reads in its own snapshot, and the chunks are fixed at the start by
the largest id then present. A recipient added while the export runs is therefore never
exported (as with one statement), but a recipient changed while it runs may show its state from
either snapshot, and each chunk may see a slightly different moment. A single statement would
show one moment; for an export taken while an import is writing, neither is "the" right one.
If a reading process fails, the job reads the chunks it left: the file is the same, only slower.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Select, func, select

from campaign_desktop.domain.template import ExportSettings
from campaign_desktop.export.line_check import LineChecker
from campaign_desktop.export.range_reader import RangeJob, claim, read_records, spool_path
from campaign_desktop.export.sql_lines import AFTER, UPTO, range_statements
from campaign_desktop.storage.schema import recipients

log = logging.getLogger(__name__)

MIN_ROWS = 200_000
"""Exports from this many rows are split; below, a second process costs more than it saves."""
MAX_PROCESSES = 4
"""The job and its readers together use at most this many cores (and never more than there are)."""
MAX_CHUNKS = 64
CHUNK_BATCHES = 3
"""The id range is cut in chunks of at least this many batches, at most ``MAX_CHUNKS`` of them: small
enough that the process finishing first waits little for the other, large enough to be cheap."""


def database_file(conn: Connection) -> str | None:
    """The SQLite database file of ``conn``, or None (another database, or in memory)."""
    if conn.dialect.name != "sqlite":
        return None
    name = conn.engine.url.database
    if not name or name == ":memory:" or name.startswith("file:"):
        return None
    return os.path.abspath(name)


def in_id_order(settings: ExportSettings) -> bool:
    """Whether the export's rows come in id order alone, so that id ranges cut it into consecutive pieces."""
    return not (settings.sort or settings.line_limit or settings.distinct)


def id_bounds(conn: Connection) -> tuple[int, int] | None:
    """The smallest and largest recipient id (None: no recipients): the ranges an id-ordered export reads."""
    # Two statements: SQLite answers a lone min() or max() from the index end, but both in one scan the table.
    first = conn.execute(select(func.min(recipients.c.id))).scalar()
    last = conn.execute(select(func.max(recipients.c.id))).scalar()
    return None if first is None or last is None else (int(first), int(last))


def readers_for(cores: int | None) -> int:
    """How many reading processes an export starts beside the job on a machine of ``cores`` cores."""
    return max(0, min(cores or 1, MAX_PROCESSES) - 1)


def can_split(conn: Connection, settings: ExportSettings, total: int, min_rows: int = MIN_ROWS) -> bool:
    """Whether this export (already on the line path) may be read by two processes."""
    if readers_for(os.cpu_count()) < 1 or getattr(sys, "frozen", False):
        return False  # one core: nothing to overlap; a frozen app has no "python -m" to start
    return in_id_order(settings) and total >= min_rows and database_file(conn) is not None


_AFTER_MARK, _UPTO_MARK = 2**62 + 7, 2**62 - 7  # an empty range, and values no filter holds


def driver_statement(conn: Connection, stmt: Select[Any]) -> list[Any]:
    """``[sql, params, [after slot, upto slot]]``: what SQLAlchemy runs for ``stmt`` and where its id bounds go.

    Executed (on an empty id range, closed at once) rather than compiled, so that expanding
    parameters (IN lists) and type processing (dates as text) are exactly SQLAlchemy's: the
    child never builds SQL, it only puts each batch's bounds in the two marked places.
    """
    result = conn.execute(stmt, {AFTER: _AFTER_MARK, UPTO: _UPTO_MARK})
    try:
        sql, params = result.context.statement, list(result.context.parameters[0])
    finally:
        result.close()
    if params.count(_AFTER_MARK) != 1 or params.count(_UPTO_MARK) != 1:
        raise ValueError("the id bounds of a batch are not single parameters")
    return [sql, params, [params.index(_AFTER_MARK), params.index(_UPTO_MARK)]]


class RangeSplit:
    """The reading processes, the chunks and their claims: start, claim, wait, read spools, always ``close()``.

    The job claims ``chunks`` from the first up and reads them itself; ``readers`` other processes
    claim them from the last down (see :mod:`campaign_desktop.export.range_reader`).
    """

    child_args = ["-m", "campaign_desktop.export.range_reader"]  # after the interpreter (a test makes one fail)

    def __init__(self, conn: Connection, line_statement: Select[Any], checker: LineChecker, batch_size: int,
                 spool_dir: Path, first: int, last: int, readers: int = 1) -> None:
        width = last - first + 1
        n = max(2, min(MAX_CHUNKS, width // (CHUNK_BATCHES * batch_size)))
        self.chunks = [[first + width * k // n, first + width * (k + 1) // n - 1] for k in range(n)]
        joined, rows = (driver_statement(conn, stmt) for stmt in range_statements(line_statement, batch_size))
        database = database_file(conn)
        assert database is not None
        self.folder = tempfile.mkdtemp(prefix=".export-", suffix=".spool", dir=spool_dir)
        job = RangeJob(database, joined, rows, self.chunks, batch_size, checker.arguments(), self.folder)
        root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
        flags = getattr(subprocess, "CREATE_NO_WINDOW", 0) if os.name == "nt" else 0
        self._procs: list[subprocess.Popen[bytes]] = []
        for _ in range(readers):
            proc = subprocess.Popen([sys.executable, *self.child_args], stdin=subprocess.PIPE,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, creationflags=flags)
            self._procs.append(proc)
            try:
                assert proc.stdin is not None
                proc.stdin.write(job.to_json().encode("utf-8"))
                proc.stdin.close()
            except OSError:
                pass  # the child died at once: wait() says so
        self.failure = ""
        log.info("export: %s chunks shared with %s other process(es) (pids %s)", n, readers,
                 ", ".join(str(p.pid) for p in self._procs))

    def claim(self, chunk: int) -> bool:
        """Whether the job may read ``chunk`` (False: the second process has it, and every one after it)."""
        return claim(self.folder, chunk)

    def wait(self, timeout: float) -> bool:
        """Whether every reading process has ended (``failure`` then says why one failed, if one did)."""
        for proc in self._procs:
            try:
                code = proc.wait(timeout)
            except subprocess.TimeoutExpired:
                return False
            if code != 0 and not self.failure:
                err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
                self.failure = err.strip()[-500:] or f"exit code {code}"
        return True

    def spooled(self, chunk: int) -> bool:
        """Whether a reading process completed ``chunk`` (else the job reads it: that process failed)."""
        return os.path.exists(spool_path(self.folder, chunk))

    def records(self, chunk: int) -> Iterator[tuple[int, int, Any]]:
        """The records the second process spooled for ``chunk`` (see ``range_reader.read_records``)."""
        with open(spool_path(self.folder, chunk), "rb") as spool:
            yield from read_records(spool)

    def close(self) -> None:
        """Ends the reading processes still running and removes the claims and spools."""
        procs, self._procs = self._procs, []
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait(5)
            for pipe in (proc.stdin, proc.stderr):
                if pipe:
                    pipe.close()
        shutil.rmtree(self.folder, ignore_errors=True)


__all__ = ["MAX_CHUNKS", "MAX_PROCESSES", "MIN_ROWS", "RangeSplit", "can_split", "database_file", "driver_statement",
           "id_bounds", "in_id_order", "readers_for"]
