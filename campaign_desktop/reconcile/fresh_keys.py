"""A first import into an empty table need not look up the keys it has certainly never met.

Before each batch the import asks the database for the recipients its keys already have. Into an
empty table the answer can only be a recipient this same job created from an earlier line (a
double in the file), yet asking costs an index probe per line — over a second on a million lines.
``FreshKeys`` remembers, in a fixed 16 MB table, every key the job has passed to the
database; a key whose bit is clear has certainly not been seen, so it cannot be in the table and
is not looked up. A key whose bit is set (seen, or sharing its bit with one that was: about one in
sixteen after a million keys) is looked up as usual, so the filter can only save lookups, never
change an answer.

That holds only while nobody else writes: SQLite's ``PRAGMA data_version`` changes when another
connection commits, and the first time it does the filter switches itself off for the rest of the
job. PostgreSQL (several workstations at once) never uses it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from itertools import repeat
from typing import Any

from sqlalchemy import Connection

SLOTS = 1 << 24
"""Slots of the table (one byte each, 16 MB a set of keys): the share of false "maybe seen" answers is
about keys seen / SLOTS. A byte rather than a bit: Python's bit arithmetic cost more than the lookups."""


class FreshKeys:
    """Which keys of a batch may already be in the table, for a job that found the table empty."""

    def __init__(self, conn: Connection) -> None:
        self._seen: dict[int, bytearray] = {}  # by key set (#1, #2)
        self._version = _data_version(conn)
        self.active = True

    @classmethod
    def for_job(cls, conn: Connection, dry_run: bool) -> FreshKeys | None:
        """A filter when ``conn`` (SQLite, outside a transaction) shows an empty recipients table."""
        if conn.dialect.name != "sqlite" or dry_run:
            return None
        empty = conn.exec_driver_sql("SELECT NOT EXISTS (SELECT 1 FROM recipients)").scalar_one()
        conn.rollback()
        return cls(conn) if empty else None

    def still_alone(self, conn: Connection) -> bool:
        """Inside the batch's write transaction: False (for good) once another connection committed."""
        if self.active and _data_version(conn) != self._version:
            self.active = False
            self._seen.clear()
        return self.active

    def to_look_up(self, key_set: int, keys: Sequence[Any]) -> list[Any]:
        """The ``keys`` that may be in the table; all of them count as seen from now on."""
        seen = self._seen.get(key_set)
        if seen is None:
            seen = self._seen[key_set] = bytearray(SLOTS)
        mask = SLOTS - 1
        slots = [h & mask for h in map(hash, keys)]
        maybe = [key for key, slot in zip(keys, slots, strict=True) if seen[slot]]
        deque(map(seen.__setitem__, slots, repeat(1)), maxlen=0)  # mark them all, at C speed
        return maybe


def _data_version(conn: Connection) -> int:
    return int(conn.connection.driver_connection.execute("PRAGMA data_version").fetchone()[0])
