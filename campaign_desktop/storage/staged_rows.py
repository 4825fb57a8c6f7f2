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

from campaign_desktop.storage.null_binding import bind_none_quickly

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
    bind_none_quickly()
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


@dataclass(slots=True)
class StagedMatch:
    """How a staged batch's lines meet the recipients by their key (``match_staged``).

    Attributes:
        matches: joined pairs (line, recipient).
        lines_matched: distinct lines among them.
        unchanged: pairs whose recipient holds exactly the line's values (same values, same types).
        denylisted: pairs whose recipient has an opt-out flag set (among ``guarded``).
        ids: the matched recipients' ids, when asked for.
    """

    matches: int
    lines_matched: int
    unchanged: int
    denylisted: int
    ids: list[int]

    def all_unchanged(self, count: int) -> bool:
        """Every one of ``count`` lines matches exactly one recipient that already holds its values."""
        return self.matches == self.lines_matched == self.unchanged == count


def match_staged(raw: sqlite3.Connection, key_field: str, key_at: int, fields: Sequence[str], guarded: Sequence[str],
                 folder_id: int | None, search_key: bool, want_ids: bool) -> StagedMatch:
    """Compare the attached staged batch with the recipients its key (column ``key_at``) finds.

    The same recipients ``RecipientsWriter.find`` would return (exact key value, through the
    search-key index when ``search_key``; in ``folder_id`` when given), compared by SQLite column by
    column: ``fields[i]`` against staged column ``i``, equal values of the same storage type (stricter
    than Python's ``==``, which says 1 == 1.0: a difference only sends the batch to the planner).
    """
    k = f"s.c{key_at}"
    on = f"lower(r.{key_field}) = lower({k}) AND r.{key_field} = {k}" if search_key else f"r.{key_field} = {k}"
    if folder_id is not None:
        on += f" AND +r.folder_id = {int(folder_id)}"  # '+': not through the folder index (a whole folder)
    same = " AND ".join(f"r.{f} IS s.c{i} AND typeof(r.{f}) = typeof(s.c{i})" for i, f in enumerate(fields))
    deny = " OR ".join(f"r.{f}" for f in guarded) or "0"
    # CROSS JOIN: the staged lines drive, each finds its recipients through the key's index.
    source = f"{STAGE_ALIAS}.rows s CROSS JOIN recipients r ON {on}"
    counts = raw.execute(f"SELECT count(*), count(DISTINCT s.rowid), total(CASE WHEN {same or '1'} THEN 1 END), "
                         f"total(CASE WHEN {deny} THEN 1 END) FROM {source}").fetchone()
    ids = [r[0] for r in raw.execute(f"SELECT r.id FROM {source}")] if want_ids else []
    return StagedMatch(int(counts[0]), int(counts[1]), int(counts[2]), int(counts[3]), ids)


__all__ = ["StagedInsert", "StagedMatch", "StagedRows", "attach", "detach", "match_staged", "read_staged", "stage_rows",
           "staging_available"]
