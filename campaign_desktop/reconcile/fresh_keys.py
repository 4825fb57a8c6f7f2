"""A first import into an empty table need not look up the keys it has certainly never met.

Before each batch the import asks the database for the recipients its keys already have. Into an
empty table the answer can only be a recipient this same job created from an earlier line (a
double in the file), yet asking costs an index probe per line — over a second on a million lines.

Two parts, because the job reads its file in a second process for big files:

- ``SeenKeys`` (the reader's side) remembers, in a fixed 16 MB table per key, every key read so
  far; a line whose key's slot is clear has certainly not been met before. Each batch carries the
  positions of the others (met before, or sharing a slot with a key that was: about one in sixteen
  after a million keys). The work is the reader's, which has time to spare while the job writes.
- ``FreshTable`` (the job's side) says whether those positions are enough: the recipients table
  was empty when the job started and nobody else has written since. SQLite's
  ``PRAGMA data_version`` changes when another connection commits; the first time it does, the
  job goes back to looking every key up for the rest of its run. PostgreSQL (several
  workstations at once) never takes the shortcut.

So the shortcut can only save lookups, never change an answer.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Sequence
from itertools import repeat
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from campaign_desktop.domain.positions import true_positions

if TYPE_CHECKING:
    from sqlalchemy import Connection

SLOTS = 1 << 24
"""Slots of the table (one byte each, 16 MB a set of keys): the share of false "maybe seen" answers is
about keys seen / SLOTS. A byte rather than a bit: Python's bit arithmetic cost more than the lookups."""


class SeenKeys:
    """The reader's memory of the keys met so far in the file (key #1 and key #2 apart)."""

    def __init__(self) -> None:
        self._seen: dict[bool, bytearray] = {}

    def maybe_met(self, keys: Sequence[Any], second: Collection[int]) -> list[int]:
        """Positions of ``keys`` that may have been met before (None keys are never); all count as met now.

        ``second``: the positions whose key is a key #2.
        """
        if not second and None not in keys:  # the usual batch: every key is a key #1, all in C calls
            seen = self._table(False)
            slots = list(map((SLOTS - 1).__and__, map(hash, keys)))
            if not slots:
                return []
            flags = itemgetter(*slots)(seen) if len(slots) > 1 else (seen[slots[0]],)
            out = true_positions(flags) if 1 in flags else []
            deque(map(seen.__setitem__, slots, repeat(1)), maxlen=0)  # mark them all, at C speed
            return out
        out = []
        groups = [(False, range(len(keys)))] if not second else [
            (False, [i for i in range(len(keys)) if i not in second]), (True, sorted(second))]
        for is_second, positions in groups:
            seen = self._table(is_second)
            at = [i for i in positions if keys[i] is not None]
            mask = SLOTS - 1
            slots = [hash(keys[i]) & mask for i in at]
            out.extend(i for i, slot in zip(at, slots, strict=True) if seen[slot])
            deque(map(seen.__setitem__, slots, repeat(1)), maxlen=0)
        out.sort()
        return out

    def _table(self, second: bool) -> bytearray:
        seen = self._seen.get(second)
        if seen is None:
            seen = self._seen[second] = bytearray(SLOTS)
        return seen


class FreshTable:
    """Whether a job may look up only the keys its reader met before (see the module's docstring)."""

    def __init__(self, conn: Connection) -> None:
        self._version = _data_version(conn)
        self.active = True

    @classmethod
    def for_job(cls, conn: Connection, dry_run: bool) -> FreshTable | None:
        """When ``conn`` (SQLite, outside a transaction) shows an empty recipients table."""
        if conn.dialect.name != "sqlite" or dry_run:
            return None
        empty = conn.exec_driver_sql("SELECT NOT EXISTS (SELECT 1 FROM recipients)").scalar_one()
        conn.rollback()
        return cls(conn) if empty else None

    def still_alone(self, conn: Connection) -> bool:
        """Inside the batch's write transaction: False (for good) once another connection committed."""
        if self.active and _data_version(conn) != self._version:
            self.active = False
        return self.active


def _data_version(conn: Connection) -> int:
    return int(conn.connection.driver_connection.execute("PRAGMA data_version").fetchone()[0])
