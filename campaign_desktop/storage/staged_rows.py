"""A batch of converted rows handed from the reader process to the job as a small SQLite database.

On a big first import into SQLite the job's own process is the bottleneck: receiving rows pickled
costs it their unpickling, and ``executemany`` then builds every record from Python values — over
three seconds a million lines, while the reader's core waits. When the reader builds each batch
into an in-memory database of its own (with its spare core) and sends it over as bytes
(``sqlite3`` ``serialize``), the job loads it beside its own database (``deserialize`` into an
attached schema, a copy of a few MB) and copies the batch with one ``INSERT … SELECT`` inside
SQLite: the records are built once, by the reader, and the job's share is halved.

A staged database holds one table, ``rows``: one untyped column per destination field, the values as
the converter gave them, so SQLite applies the recipients' column affinities exactly as with bound
values. Nothing touches the disk, so nothing is left behind when a job is killed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

STAGE_ALIAS = "stage"
ROWS_PER_INSERT = 100
SQLITE_PARAMETERS = 999


def staging_available() -> bool:
    """Whether this Python's sqlite3 can hand databases over as bytes (3.11+ with a recent SQLite)."""
    return hasattr(sqlite3.Connection, "serialize") and hasattr(sqlite3.Connection, "deserialize")


@dataclass(slots=True)
class StagedRows:
    """A staged batch: its database as bytes, and what the job learns of it without loading it.

    Attributes:
        data: the serialized database.
        count: its rows.
        met_keys: the keys of the lines whose key the reader may have met before (``met_before``):
            the only ones a first import must look up.
        keys_unique: no key repeats inside the batch.
        none_key: some line has no key value.
        enums: destination position -> the distinct values of an open enumeration there.
        extra: what the job needs only when the batch goes through the planner after all (the
            line numbers, raw texts and left-out fields): carried as it is, never put in the database.
    """

    data: bytes
    count: int
    met_keys: list[Any]
    keys_unique: bool
    none_key: bool
    enums: dict[int, set[Any]] = field(default_factory=dict)
    extra: Any = None

    def __len__(self) -> int:
        return self.count


def stage_rows(rows: Sequence[Sequence[Any]]) -> bytes:
    """An in-memory database of ``rows`` (all of one width), as bytes."""
    width = len(rows[0]) if rows else 0
    cols = ", ".join(f"c{i}" for i in range(width)) or "c0"
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as db:
        db.execute(f"CREATE TABLE rows ({cols})")
        db.execute("BEGIN")
        if width:
            one = f"({', '.join(['?'] * width)})"
            per = max(1, min(ROWS_PER_INSERT, SQLITE_PARAMETERS // width))
            whole = len(rows) // per * per if per > 1 else 0
            if whole:
                sql = "INSERT INTO rows VALUES " + ", ".join([one] * per)
                db.executemany(sql, [list(chain.from_iterable(rows[i:i + per])) for i in range(0, whole, per)])
            db.executemany("INSERT INTO rows VALUES " + one, rows[whole:])
        db.execute("COMMIT")
        return db.serialize()


def read_staged(data: bytes) -> list[list[Any]]:
    """The rows of a staged database (lists, in their order)."""
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as db:
        db.deserialize(data)
        return [list(r) for r in db.execute("SELECT * FROM rows ORDER BY rowid")]


def attach(raw: sqlite3.Connection, data: bytes) -> bool:
    """Load a staged database beside ``raw``'s as ``stage``; False when SQLite cannot now (inside a
    transaction, where ATTACH is refused)."""
    if raw.in_transaction:
        return False
    raw.execute(f"ATTACH DATABASE ':memory:' AS {STAGE_ALIAS}")
    try:
        raw.deserialize(data, name=STAGE_ALIAS)
    except BaseException:
        detach(raw)
        raise
    return True


def detach(raw: sqlite3.Connection) -> None:
    raw.execute(f"DETACH DATABASE {STAGE_ALIAS}")


@dataclass(slots=True)
class StagedInsert:
    """A batch plan's inserts when they are a staged batch: a ``SELECT`` of its rows.

    ``exprs`` give, per insert column, the SQL that makes the staged value the inserted one (a
    plain column, a boolean's empty read as false, a flag the import sets).
    """

    staged: StagedRows
    exprs: list[str]

    @classmethod
    def of(cls, staged: StagedRows, width: int, fix_at: dict[int, bool]) -> StagedInsert:
        """The insert of ``width`` staged columns; ``fix_at``: position -> True for a flag the import
        sets, False for a boolean whose empty value is inserted as false (as ``Planner._insert_row``)."""
        exprs = [f"c{i}" if i not in fix_at else "1" if fix_at[i] else f"coalesce(c{i}, 0)" for i in range(width)]
        return cls(staged, exprs)

    def __len__(self) -> int:
        return self.staged.count

    def __bool__(self) -> bool:
        return self.staged.count > 0

    def select(self, more: Sequence[str | None] = ()) -> str:
        """The ``SELECT`` of the rows, with ``more`` expressions (the batch's constants) after the columns."""
        return f"SELECT {', '.join([*self.exprs, *map(str, more)])} FROM {STAGE_ALIAS}.rows ORDER BY rowid"


__all__ = ["StagedInsert", "StagedRows", "attach", "detach", "read_staged", "stage_rows", "staging_available"]
