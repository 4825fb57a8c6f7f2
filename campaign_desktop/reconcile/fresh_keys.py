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

from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Connection

SLOTS = 1 << 24
"""Slots of the table (one byte each, 16 MB a set of keys): the share of false "maybe seen" answers is
about keys seen / SLOTS."""


class SeenKeys:
    """The reader's memory of the keys met so far in the file (key #1 and key #2 apart).

    The tables are numpy arrays: a batch's slots are looked up and marked in two array operations.
    Through ``bytearray`` and ``itemgetter`` the same took three times longer (a Python integer per
    slot, a tuple of 20,000 flags), a fifth of the reading process's time on a first import.
    numpy is imported here, not at the module's top: the job's own process imports this module for
    ``FreshTable`` only, and its start is on the import's critical path.
    """

    def __init__(self) -> None:
        import numpy

        self._np = numpy
        self._seen: dict[bool, Any] = {}

    def maybe_met(self, keys: Sequence[Any], second: Collection[int]) -> list[int]:
        """Positions of ``keys`` that may have been met before (None keys are never); all count as met now.

        ``second``: the positions whose key is a key #2.
        """
        if not second and None not in keys:  # the usual batch: every key is a key #1
            return self._met(False, keys)
        out: list[int] = []
        groups = [(False, range(len(keys)))] if not second else [
            (False, [i for i in range(len(keys)) if i not in second]), (True, sorted(second))]
        for is_second, positions in groups:
            at = [i for i in positions if keys[i] is not None]
            out.extend(at[j] for j in self._met(is_second, [keys[i] for i in at]))
        out.sort()
        return out

    def _met(self, second: bool, keys: Sequence[Any]) -> list[int]:
        """Positions of ``keys`` (no None) whose slot is marked already; marks them all."""
        if not keys:
            return []
        np = self._np
        seen = self._seen.get(second)
        if seen is None:
            seen = self._seen[second] = np.zeros(SLOTS, dtype=np.uint8)
        # hash() is a signed 64-bit value: the mask keeps its low bits, a slot whatever its sign.
        slots = np.fromiter(map(hash, keys), dtype=np.int64, count=len(keys)) & (SLOTS - 1)
        flags = seen[slots]
        seen[slots] = 1
        return np.flatnonzero(flags).tolist() if flags.any() else []


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
