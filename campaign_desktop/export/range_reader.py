"""The reading processes of a split SQLite export: read the last id chunks' lines into spool files.

``python -m campaign_desktop.export.range_reader`` reads a :class:`RangeJob` (JSON) on stdin, runs
the job's line statements (SQL text and driver-ready parameters, as SQLAlchemy compiled them in
the parent) on its own SQLite connection, batch by batch with :func:`range_batches` — the same
function the job runs on its own ranges — and writes framed records to one spool file per chunk:

* ``CLEAN``: the batch's finished text (line ends included), UTF-8;
* ``DIRTY``: a batch with lines needing quoting or escaping, as JSON ``[ids, lines, dirty indexes]``
  — the parent redoes those few lines by the normal path, which needs the formatter (and
  SQLAlchemy) that this process deliberately does not load.

Why a process and not a thread: Python's sqlite3 releases the GIL around each ``sqlite3_step``
only, so two reading threads fight for the GIL at every row and run slower than one (measured:
1.7 s alone, 3.7 s as two threads). Why spool files and not a pipe: the parent writes its own
ranges first, so these must wait somewhere that does not block the child; disk keeps memory
bounded. Who reads what: the id range is cut in chunks; the job claims them from the first up,
these processes from the last down, each claim an exclusively created file, until they meet —
whichever process the machine serves better simply reads more, and none waits long for the
others. This module imports only the standard library and ``line_check``: it starts in tens of
milliseconds.
"""

from __future__ import annotations

import json
import os
import sqlite3
import struct
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any, BinaryIO

from campaign_desktop.export.line_check import LineChecker

RECORD = struct.Struct("<BIQ")  # kind, rows in the batch, payload bytes
CLEAN = 0
DIRTY = 1


Joined = Callable[[int, int], "tuple[int, str | None]"]
"""(row count, the lines joined by LF) of the ids in (after, upto]."""
Rows = Callable[[int, int], "Sequence[Sequence[Any]]"]
"""The (id, line) rows of the ids in (after, upto], in id order."""


def range_batches(joined: Joined, rows: Rows, checker: LineChecker, first: int, last: int,
                  span: int) -> Iterator[tuple[int, int, Any]]:
    """The lines of ids ``first``..``last``, ``span`` ids at a time, as ``(CLEAN, n, text)`` or
    ``(DIRTY, n, [ids, lines, dirty indexes])``; ``(CLEAN, 0, "")`` over a gap without rows.

    The database joins each batch into one text (``group_concat``): one value per batch instead of
    a tuple and a string per row saves a fifth of the reading. A batch that fails the check is
    read again row by row (ids needed to redo its few lines); after such a batch the next one is
    read row by row at once, so data where most batches need quoting does not pay twice.
    """
    after = first - 1
    by_rows = False
    while after < last:
        upto = min(after + span, last)
        count, text = (0, None) if by_rows else joined(after, upto)
        finished = checker.check_joined(text, count) if count and text is not None else ""
        if finished:
            yield CLEAN, count, finished
        elif count or by_rows:
            got = rows(after, upto)
            ids, lines = [r[0] for r in got], [r[1] for r in got]
            finished, dirty = checker.check(lines) if lines else ("", [])
            by_rows = bool(dirty)
            yield (CLEAN, len(lines), finished) if finished or not lines else (DIRTY, len(lines), [ids, lines, dirty])
        else:
            yield CLEAN, 0, ""
        after = upto


def claim(folder: str, chunk: int) -> bool:
    """Takes ``chunk`` for the calling process; False when the other one has it (atomic: O_EXCL)."""
    try:
        os.close(os.open(os.path.join(folder, f"{chunk}.claim"), os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return False
    return True


def spool_path(folder: str, chunk: int) -> str:
    """Where a reader leaves ``chunk``'s records; present only once they are complete (renamed from .part)."""
    return os.path.join(folder, f"{chunk}.spool")


@dataclass
class RangeJob:
    """What the child needs (JSON-able): where to read, what to run, how to check, where to write.

    ``joined`` and ``rows`` are ``[sql, params, [after slot, upto slot]]``: the statements as
    SQLAlchemy compiled them, with the positions of the two id bounds the child fills per batch.
    ``chunks`` are the ``[first, last]`` id ranges, in file order; ``folder`` holds the claims and
    the spools.
    """

    database: str
    joined: list[Any]
    rows: list[Any]
    chunks: list[list[int]]
    span: int
    checker: dict[str, Any]
    folder: str

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> RangeJob:
        return cls(**json.loads(text))


def write_chunks(job: RangeJob) -> int:
    """Claims the free chunks from the last one down, spools each; returns the rows.

    Several of these processes may share a job: each skips the chunks another one claimed. The
    job claims from the first chunk up and stops at its first failed claim, so the chunks it
    leaves form one block at the end, all claimed by readers (once the claims meet, every
    remaining claim fails).

    One read transaction, so that every chunk of this process comes from the same snapshot.
    """
    con = sqlite3.connect(job.database, timeout=30, isolation_level=None)
    try:
        con.execute("BEGIN")

        def run(statement: list[Any], after: int, upto: int) -> sqlite3.Cursor:
            sql, params, (a, b) = statement
            params = list(params)
            params[a], params[b] = after, upto
            return con.execute(sql, params)

        checker = LineChecker(**job.checker)
        total = 0
        for chunk in reversed(range(len(job.chunks))):
            if not claim(job.folder, chunk):
                continue  # another reader has it: below, the job's claims stop this loop's claims anyway
            first, last = job.chunks[chunk]
            part = spool_path(job.folder, chunk) + ".part"
            with open(part, "wb") as out:
                for kind, count, payload in range_batches(lambda a, b: run(job.joined, a, b).fetchone(),
                                                          lambda a, b: run(job.rows, a, b).fetchall(),
                                                          checker, first, last, job.span):
                    if not count:
                        continue
                    data = payload.encode("utf-8") if kind == CLEAN else json.dumps(payload).encode("utf-8")
                    out.write(RECORD.pack(kind, count, len(data)))
                    out.write(data)
                    total += count
            os.replace(part, spool_path(job.folder, chunk))  # complete: the job may copy it even if we die later
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
        write_chunks(RangeJob.from_json(sys.stdin.read()))
    except BaseException as exc:  # noqa: BLE001 - the parent reads the reason and redoes the range itself
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
