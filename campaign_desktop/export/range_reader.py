"""The second process of a split SQLite export: reads one id range's lines into a spool file.

``python -m campaign_desktop.export.range_reader`` reads a :class:`RangeJob` (JSON) on stdin, runs
the job's line statement (SQL text and driver-ready parameters, as SQLAlchemy compiled them in
the parent) on its own SQLite connection, checks each batch with the same
:class:`~campaign_desktop.export.line_check.LineChecker`, and appends framed records to the spool:

* ``CLEAN``: the batch's finished text (line ends included), UTF-8;
* ``DIRTY``: a batch with lines needing quoting or escaping, as JSON ``[ids, lines, dirty indexes]``
  — the parent redoes those few lines by the normal path, which needs the formatter (and
  SQLAlchemy) that this process deliberately does not load.

Why a process and not a thread: Python's sqlite3 releases the GIL around each ``sqlite3_step``
only, so two reading threads fight for the GIL at every row and run slower than one (measured:
1.7 s alone, 3.7 s as two threads). Why a spool file and not a pipe: the parent writes its own
range first, so this range must wait somewhere that does not block the child; disk keeps memory
bounded. This module imports only the standard library and ``line_check``: it starts in tens of
milliseconds.
"""

from __future__ import annotations

import json
import sqlite3
import struct
import sys
from dataclasses import asdict, dataclass
from typing import Any, BinaryIO

from campaign_desktop.export.line_check import LineChecker

RECORD = struct.Struct("<BIQ")  # kind, rows in the batch, payload bytes
CLEAN = 0
DIRTY = 1


@dataclass
class RangeJob:
    """What the child needs (JSON-able): where to read, what to run, how to check, where to write."""

    database: str
    sql: str
    params: list[Any]
    batch_size: int
    checker: dict[str, Any]
    spool: str

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> RangeJob:
        return cls(**json.loads(text))


def write_range(job: RangeJob, out: BinaryIO) -> int:
    """Runs the job's statement and writes its batches as records; returns the row count."""
    con = sqlite3.connect(job.database, timeout=30)
    try:
        checker = LineChecker(**job.checker)
        cur = con.execute(job.sql, job.params)
        total = 0
        while rows := cur.fetchmany(job.batch_size):
            lines = [r[1] for r in rows]
            text, dirty = checker.check(lines)
            if text:
                kind, data = CLEAN, text.encode("utf-8")
            else:
                kind, data = DIRTY, json.dumps([[r[0] for r in rows], lines, dirty]).encode("utf-8")
            out.write(RECORD.pack(kind, len(rows), len(data)))
            out.write(data)
            total += len(rows)
        return total
    finally:
        con.close()


def read_records(spool: BinaryIO) -> Any:
    """The spool's records in order: ``(CLEAN, rows, UTF-8 text)`` or ``(DIRTY, rows, [ids, lines, dirty])``."""
    while header := spool.read(RECORD.size):
        kind, rows, size = RECORD.unpack(header)
        data = spool.read(size)
        if len(data) != size:
            raise OSError("The export's second reader left an incomplete spool file")
        yield (kind, rows, data if kind == CLEAN else json.loads(data))


def main() -> int:  # pragma: no cover - runs in the child process (the tests check its output)
    try:
        job = RangeJob.from_json(sys.stdin.read())
        with open(job.spool, "wb") as out:
            write_range(job, out)
    except BaseException as exc:  # noqa: BLE001 - the parent reads the reason and redoes the range itself
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
