"""Big first imports on SQLite: build the search-key indexes once at the end instead of row by row.

Each recipient a first import creates goes into the table and into every index on it. An index
grown one random key at a time costs far more than one built from all the rows by a sort: on a
million recipients the last-name and account keys cost about 3 s kept up to date, 1.3 s built at
the end. So an import whose file is at least as big as the table already is (the only case where
the rebuild is the cheaper one) drops the search-key indexes its reconciliation does not look up
through, and creates them again when it ends, whichever way it ends (finished, paused, cancelled,
failed). The index the job finds its recipients through stays, and so does the folder index (its
keys arrive in order and cost next to nothing).

A job killed meanwhile leaves the table without those indexes, which only makes searches and sorts
slower: every opening of the database (``storage/database.py``) puts back whichever is missing.

Only for an import that reads its file in its own process (a single core): when a second process
reads the file, the two share the work (see ``jobs/staged_batches.py``) and keeping the indexes up to
date costs less time than a rebuild that runs alone after the last line (measured: 8.5 s against 9.4 s
on a million lines, in ``benchmarks/RESULTS.md``).

Only SQLite: on PostgreSQL dropping an index takes a lock that would stop the other workstations'
readers and writers for the length of the import.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable

from sqlalchemy import Connection, Engine, Index
from sqlalchemy.schema import CreateIndex

from campaign_desktop.domain.recipient_fields import FIELDS_BY_NAME
from campaign_desktop.storage.schema import recipients
from campaign_desktop.storage.search_key import SEARCH_INDEXES

log = logging.getLogger(__name__)

BYTES_PER_LINE = 90
"""About what one recipient line weighs in a file: how many lines a file of N bytes holds, roughly."""

MIN_BULK_LINES = 50_000
"""Below this the rebuild is too short to matter either way: leave the indexes alone."""


def lines_to_come(remaining: int, rows_counted: bool) -> int:
    """About how many lines are left: ``remaining`` is rows for a workbook, bytes for a text file."""
    return remaining if rows_counted else remaining // BYTES_PER_LINE


def worth_deferring(lines: int, recipients_now: int) -> bool:
    """True when building the indexes after the import is cheaper than keeping them up to date."""
    return lines >= MIN_BULK_LINES and recipients_now <= lines


def defer_indexes(conn: Connection, key_fields: Iterable[str]) -> list[str]:
    """Drop the search-key indexes the import does not look up through; returns their names.

    Runs in its own transaction on ``conn`` (the import's connection).
    """
    used = set(key_fields)
    names = [name for name, column in SEARCH_INDEXES.items() if column not in used]
    with conn.begin():
        for name in names:
            conn.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
    log.info("indexes %s dropped for the length of a bulk import", ", ".join(names))
    return names


def missing_indexes(conn: Connection) -> list[Index]:
    """The recipients' indexes of the schema that the SQLite database lacks."""
    present = set(conn.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'recipients'").scalars())
    return [ix for ix in recipients.indexes if ix.name not in present]


def restore_indexes(conn: Connection) -> list[str]:
    """Create whichever recipients index is missing, in one transaction; returns their names.

    The sort behind each index spills to temporary files, not to memory as the connections' other
    temporary data does (``temp_store=MEMORY``): in memory it grew with the table (+75% peak memory
    from 1 to 5 million recipients), and the files were faster too.
    """
    raw = conn.connection.driver_connection
    raw.execute("PRAGMA temp_store=FILE")
    try:
        with conn.begin():
            missing = missing_indexes(conn)
            for ix in missing:
                conn.execute(CreateIndex(ix, if_not_exists=True))
    finally:
        raw.execute("PRAGMA temp_store=MEMORY")
    return [str(ix.name) for ix in missing]


def restore_missing_indexes(engine: Engine) -> None:
    """At every opening: put back the indexes a killed bulk import left dropped (SQLite only)."""
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as conn:
        if not missing_indexes(conn):
            return
        conn.rollback()
        created = restore_indexes(conn)
    log.warning("recipients indexes %s were missing (an import was stopped abruptly): rebuilt", ", ".join(created))


class DeferredIndexes:
    """The indexes one import left to build at its end; ``rebuild()`` may be called any number of times.

    ``say`` receives what the job's journal should show (why the indexes wait, how long they took).
    """

    def __init__(self, conn: Connection | None = None, names: list[str] | None = None,
                 say: Callable[[str], None] | None = None) -> None:
        self._conn, self.names, self._say = conn, names or [], say

    @classmethod
    def start(cls, conn: Connection, key_fields: Iterable[str], lines: int,
              say: Callable[[str], None]) -> DeferredIndexes:
        """Drop the indexes a big import (about ``lines`` to come) into a small table does better to build
        at its end, if any."""
        if lines < MIN_BULK_LINES:
            return cls()  # the usual small file: not even the count of the table
        present = int(conn.exec_driver_sql("SELECT COUNT(*) FROM recipients").scalar_one())
        conn.rollback()
        if not worth_deferring(lines, present):
            return cls()
        names = defer_indexes(conn, key_fields)
        if names:
            fields = " and ".join(FIELDS_BY_NAME[SEARCH_INDEXES[n]].label.lower().replace(" #", " number")
                                  for n in names)
            say(f"Big file: the {fields} search indexes are built once at the end of the import rather than "
                "kept up to date line by line (searches on them are slower meanwhile)")
        return cls(conn, names, say)

    def rebuild(self) -> None:
        """Build them again (a failure is logged: the next opening of the database builds them)."""
        if not self.names or self._conn is None:
            return
        names, self.names = self.names, []
        started = time.monotonic()
        try:
            if self._conn.in_transaction():
                self._conn.rollback()
            restore_indexes(self._conn)
        except Exception:  # noqa: BLE001 - see restore_missing_indexes
            log.warning("indexes %s not rebuilt yet", names, exc_info=True)
            return
        if self._say is not None:
            self._say(f"Search indexes rebuilt in {time.monotonic() - started:.1f} s")
