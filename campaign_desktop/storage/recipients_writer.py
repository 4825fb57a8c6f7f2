"""Bulk reads and writes of recipients for the import engine, on SQLite and PostgreSQL.

The hot path bypasses SQLAlchemy's per-row machinery: inserts and updates go to the
driver's own ``executemany`` (half the cost of Core's, see ``reference/speed-limits.md``),
with the few values SQLite cannot store natively (dates) adapted here, once. Lookups use
Core selects, which return typed values the engine can compare with converted ones.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from itertools import chain
from operator import methodcaller
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from sqlalchemy import Connection

from campaign_desktop.domain.recipient_fields import FIELDS_BY_NAME, FieldType
from campaign_desktop.storage.date_form import date_storage as date_storage  # (re-exported)
from campaign_desktop.storage.date_form import sqlite_date as _sqlite_date
from campaign_desktop.storage.null_binding import bind_none_quickly
from campaign_desktop.storage.search_key import SEARCH_INDEXES
from campaign_desktop.storage.staged_rows import StagedInsert

ROWS_PER_INSERT = 50
SQLITE_PARAMETERS = 999  # bound values per statement: SQLite's limit before 3.32, safe everywhere
LOOKUP_CHUNK = 500  # bound parameters per IN (...) query: far below every backend's limit
ARRAY_CHUNK = 5_000  # keys per "= ANY(array)" lookup on PostgreSQL

Key = tuple[Any, ...]


_SQLITE_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
"""SQLite's ``lower()``: ASCII letters only (its Unicode-aware version needs the ICU extension).
``str.translate`` costs a microsecond a key, so ASCII keys (nearly all) take ``str.lower``, ten times cheaper."""


class Found(NamedTuple):
    """Recipients found by key: ``rows[key]`` is a tuple of the ``names`` columns ("id" first)."""

    names: list[str]
    rows: dict[Key, tuple[Any, ...]]


class RecipientsWriter:
    """One batch's database work, on the connection (and transaction) of that batch."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.dialect = conn.dialect.name
        self.sqlite = self.dialect == "sqlite"
        self.ph = "?" if self.sqlite else "%s"

    def lock_for_import(self) -> None:
        """Let the database keep concurrent imports from creating the same recipient twice.

        Recipients have no unique key (Campaign allows one email in two folders, and the keys are the
        template's), so no constraint can refuse a double. On PostgreSQL the batch runs SERIALIZABLE:
        if two workstations each look an email up, find nothing and insert it, the server aborts one
        of them (SQLSTATE 40001) and that batch is replayed (see ``ImportRun``). SQLite needs nothing:
        its write transaction (BEGIN IMMEDIATE) is already exclusive. Must be the batch's first statement.
        """
        if not self.sqlite:
            self.conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE")

    # --- reading ---------------------------------------------------------------------------

    def find(self, key_fields: Sequence[str], keys: Iterable[Key], columns: Sequence[str],
             folder_id: int | None) -> Found:
        """Existing recipients by key (within ``folder_id`` when given); the oldest wins per key.

        Rows are plain tuples of ``Found.names``: "id", "folder_id", then ``columns`` in their order
        (then any key field not among them). Values are in the form the import's rows have (see
        ``storage_form``): on SQLite dates stay the ISO text they are stored as, on PostgreSQL they
        are ``date`` objects; so the planner tells an unchanged recipient by plain comparison.
        """
        wanted = list(dict.fromkeys(keys))
        wanted_set = set(wanted)
        wanted_cols = dict.fromkeys([*columns, *key_fields])
        names = ["id", "folder_id", *(c for c in wanted_cols if c not in ("id", "folder_id"))]
        found: dict[Key, tuple[Any, ...]] = {}
        key_pos = [names.index(f) for f in key_fields]
        cursor = self.conn.connection.driver_connection.cursor()
        try:
            step = ARRAY_CHUNK if len(key_fields) == 1 and not self.sqlite else LOOKUP_CHUNK
            for start in range(0, len(wanted), step):
                sql, params = self._lookup_sql(names, key_fields, wanted[start:start + step])
                cursor.execute(sql, params)
                for row in cursor.fetchall():
                    # The folder is checked here, not in SQL: a folder condition lets PostgreSQL's planner pick
                    # the folder index over the key's, which scans the whole folder on every lookup.
                    if folder_id is not None and row[1] != folder_id:
                        continue
                    key = (row[key_pos[0]],) if len(key_pos) == 1 else tuple(row[i] for i in key_pos)
                    # A search key matches whatever the case: only the exact value is this key's recipient.
                    if key in wanted_set and key not in found:
                        found[key] = row
        finally:
            cursor.close()
        return Found(names, found)

    def _lookup_sql(self, names: list[str], key_fields: Sequence[str], chunk: list[Key]) -> tuple[str, Any]:
        """The query finding ``chunk``'s keys, through the search-key index where the key has one.

        Email and account have no exact-case index (migration 0003): they are looked up as
        ``search_key(col)`` (see storage/search_key.py, the same expression as the index, so each
        planner uses it) and the caller keeps the rows whose exact value is the key.
        """
        select_list = ", ".join(names)
        head = f"SELECT {select_list} FROM recipients WHERE "
        if len(key_fields) == 1:
            field = key_fields[0]
            values = [k[0] for k in chunk]  # keys are in storage form already
            if self.sqlite:
                if field in SEARCH_INDEXES.values():
                    # Lowered here as SQLite's lower() does (ASCII only): lower(?) on 500 parameters
                    # doubled the time of each lookup.
                    values = [v.lower() if v.isascii() else v.translate(_SQLITE_LOWER) for v in values]
                    field = f"lower({field})"
                return head + f"{field} IN ({', '.join(['?'] * len(values))}) ORDER BY id", values
            # One array parameter: one plan for every chunk size, and no 5,000-placeholder statement.
            # Text keys travel as one JSON text (encoded in C), not as an array that psycopg builds
            # element by element in Python.
            if not all(v.__class__ is str for v in values):
                return head + f"{field} = ANY(%s) ORDER BY id", (values,)
            if field in SEARCH_INDEXES.values():
                cond = (f'(lower({field}) COLLATE "C") = ANY(ARRAY(SELECT lower(v) COLLATE "C" '
                        "FROM json_array_elements_text(%s::json) AS v))")
            else:
                cond = f"{field} = ANY(ARRAY(SELECT json_array_elements_text(%s::json)))"
            return head + cond + " ORDER BY id", (json.dumps(values),)
        one = f"({', '.join([self.ph] * len(key_fields))})"
        cond = f"({', '.join(key_fields)}) IN (VALUES {', '.join([one] * len(chunk))})"
        params = [_sqlite_date(v) if self.sqlite else v for k in chunk for v in k]
        indexed = [i for i, f in enumerate(key_fields) if f in SEARCH_INDEXES.values()]
        if indexed:  # a field set holding a last name, say: narrow to it through its index first
            at = indexed[0]
            field = key_fields[at]
            narrow = [k[at] for k in chunk]
            if self.sqlite:
                cond = f"lower({field}) IN ({', '.join(['lower(?)'] * len(narrow))}) AND " + cond
            else:
                lowered = 'lower(%s) COLLATE "C"'
                cond = f'(lower({field}) COLLATE "C") IN ({", ".join([lowered] * len(narrow))}) AND ' + cond
            params = [*narrow, *params]
        return head + cond + " ORDER BY id", tuple(params)

    def max_id(self) -> int:
        return int(self.conn.exec_driver_sql("SELECT COALESCE(MAX(id), 0) FROM recipients").scalar_one())

    def ids_inserted_by(self, job_id: int, after_id: int) -> list[int]:
        return list(self.conn.exec_driver_sql(
            f"SELECT id FROM recipients WHERE created_by_job_id = {self.ph} AND id > {self.ph}",
            (job_id, after_id),
        ).scalars())

    # --- writing ---------------------------------------------------------------------------

    def _adapt(self, columns: Sequence[str], rows: list[list[Any]]) -> list[Any]:
        """SQLite stores dates as ISO text (as SQLAlchemy does); formatted once per distinct value."""
        if not self.sqlite:
            return rows
        dated = [i for i, c in enumerate(columns) if _is_dated(c)]
        if not dated:
            return rows
        rows = [list(r) for r in rows]
        cache: dict[Any, Any] = {None: None}
        for r in rows:
            for i in dated:
                v = r[i]
                try:
                    r[i] = cache[v]
                except KeyError:
                    r[i] = cache[v] = _sqlite_date(v)
        return rows

    def _executemany(self, sql: str, rows: list[Any]) -> None:
        """The driver's own executemany, on this transaction's connection (no per-row wrapping)."""
        if self.sqlite:
            bind_none_quickly()
        cursor = self.conn.connection.driver_connection.cursor()
        try:
            cursor.executemany(sql, rows)
        finally:
            cursor.close()

    def _copy(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]],
              extra: tuple[Any, ...] = ()) -> None:
        """PostgreSQL's COPY on this transaction's own connection: one round trip, not one per row.

        ``extra`` values end every row. The batch is written as COPY text in one piece when it can be
        (see ``copy_text``), else row by row through psycopg.
        """
        cursor = self.conn.connection.driver_connection.cursor()
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            rows = rows if isinstance(rows, list) else list(rows)
            text = copy_text(rows, extra, len(columns))
            if text is not None:
                copy.write(text.encode("utf-8"))
                return
            for row in rows:
                copy.write_row(tuple(row) + extra if extra else row)

    def _staged(self, columns: Sequence[str], rows: list[Sequence[Any]], source_sql: str) -> str:
        """Copy ``rows`` into a temporary table shaped like those recipient columns; return its name."""
        name = f"cd_stage_{abs(hash(tuple(columns))) % 10**8}"
        self.conn.exec_driver_sql(
            f"CREATE TEMP TABLE IF NOT EXISTS {name} ON COMMIT DROP AS "
            f"SELECT {', '.join(columns)} FROM {source_sql} WITH NO DATA"
        )
        self.conn.exec_driver_sql(f"TRUNCATE {name}")
        self._copy(name, columns, rows)
        return name

    def insert(self, columns: Sequence[str], rows: list[Sequence[Any]],
               constants: dict[str, Any] | None = None) -> None:
        """Insert ``rows`` (values of ``columns``, in ``storage_form``); ``constants`` are equal on every row.

        On SQLite the constants are written into the statement as literals, so each row binds only
        its own values (binding the dozen shared ones on every row cost a third of the insert time).
        """
        if not rows:
            return
        constants = constants or {}
        if not self.sqlite:
            extra = tuple(constants.values())
            cols = [*columns, *constants]
            self._copy("recipients", cols, rows, extra)
            return
        head = f"INSERT INTO recipients ({', '.join([*columns, *constants])}) VALUES "
        literals = [_sqlite_literal(v) for v in constants.values()]
        if isinstance(rows, StagedInsert):  # a staged batch: SQLite copies it from the attached file
            self._insert_staged(columns, rows, constants, literals)
            return
        if None in literals:  # a value SQL text cannot carry: bind it on every row after all
            extra = tuple(_sqlite_date(v) for v in constants.values())
            one = f"({', '.join(['?'] * (len(columns) + len(extra)))})"
            self._insert_rows(head, one, [tuple(r) + extra for r in rows])
            return
        self._insert_rows(head, f"({', '.join([*(['?'] * len(columns)), *literals])})", rows)

    def _insert_staged(self, columns: Sequence[str], rows: StagedInsert, constants: dict[str, Any],
                       literals: list[str | None]) -> None:
        params: tuple[Any, ...] = ()
        if None in literals:  # a value SQL text cannot carry: bind it
            params = tuple(_sqlite_date(v) for v in constants.values())
            literals = ["?"] * len(params)
        names = ", ".join([*columns, *constants])
        self.conn.exec_driver_sql(f"INSERT INTO recipients ({names}) {rows.select(literals)}", params or None)

    def _insert_rows(self, head: str, one: str, rows: list[Sequence[Any]]) -> None:
        """SQLite: ``INSERT … VALUES`` of many rows at a time (one statement step per ~50 rows instead of
        one per row: a sixth less insert time), the rest one by one."""
        width = max(len(rows[0]), 1)
        per = max(1, min(ROWS_PER_INSERT, SQLITE_PARAMETERS // width))
        whole = len(rows) // per * per
        if whole and per > 1:
            sql = head + ", ".join([one] * per)
            self._executemany(sql, [list(chain.from_iterable(rows[i:i + per])) for i in range(0, whole, per)])
        else:
            whole = 0
        if whole < len(rows):
            self._executemany(head + one, rows[whole:])

    def update(self, updates: list[tuple[int, dict[str, Any]]]) -> None:
        """Apply per-recipient changes, grouped by the set of columns they change."""
        groups: dict[tuple[str, ...], list[list[Any]]] = {}
        for rid, values in updates:
            cols = tuple(values)
            groups.setdefault(cols, []).append([*values.values(), rid])
        for cols, rows in groups.items():
            if not self.sqlite:
                stage = self._staged([*cols, "id"], rows, "recipients")
                sets = ", ".join(f"{c} = s.{c}" for c in cols)
                self.conn.exec_driver_sql(f"UPDATE recipients r SET {sets} FROM {stage} s WHERE r.id = s.id")
                continue
            sql = f"UPDATE recipients SET {', '.join(f'{c} = {self.ph}' for c in cols)} WHERE id = {self.ph}"
            self._executemany(sql, self._adapt([*cols, "id"], rows))

    def delete(self, ids: Sequence[int]) -> None:
        for start in range(0, len(ids), LOOKUP_CHUNK):
            chunk = ids[start:start + LOOKUP_CHUNK]
            self.conn.exec_driver_sql(
                f"DELETE FROM recipients WHERE id IN ({', '.join([self.ph] * len(chunk))})", tuple(chunk)
            )

    def add_memberships(self, table: str, owner_column: str, owner_id: int, recipient_ids: Iterable[int],
                        stamp_column: str, stamp: datetime) -> None:
        """Add recipients to a list or a service; existing memberships are left as they are."""
        rows = [(owner_id, rid, _sqlite_date(stamp) if self.sqlite else stamp) for rid in set(recipient_ids)]
        if not rows:
            return
        cols = f"({owner_column}, recipient_id, {stamp_column})"
        if not self.sqlite:
            stage = self._staged([owner_column, "recipient_id", stamp_column], rows, table)
            self.conn.exec_driver_sql(f"INSERT INTO {table} {cols} SELECT * FROM {stage} ON CONFLICT DO NOTHING")
            return
        values = f"VALUES ({self.ph}, {self.ph}, {self.ph})"
        if self.sqlite:
            sql = f"INSERT OR IGNORE INTO {table} {cols} {values}"
        else:
            sql = f"INSERT INTO {table} {cols} {values} ON CONFLICT DO NOTHING"
        self.conn.exec_driver_sql(sql, rows)

    def add_enum_values(self, values: Iterable[tuple[str, str]]) -> None:
        rows = list(values)
        if not rows:
            return
        if self.sqlite:
            sql = f"INSERT OR IGNORE INTO enum_values (enum, value) VALUES ({self.ph}, {self.ph})"
        else:
            sql = f"INSERT INTO enum_values (enum, value) VALUES ({self.ph}, {self.ph}) ON CONFLICT DO NOTHING"
        self.conn.exec_driver_sql(sql, rows)


BULK_WAL_AUTOCHECKPOINT = 50_000
"""Pages (4 KB) the write-ahead log may grow to during an import, instead of SQLite's 1,000.

Each checkpoint copies the pages changed since the last one back into the database file; with
small checkpoints the same index pages are copied again after nearly every batch (a third of
the insert time on a million lines). This changes nothing to what a commit guarantees (the
batch is in the log, synced as with every commit); the log file takes up to 200 MB meanwhile,
and is cut back to ``WAL_SIZE_LIMIT`` at the next checkpoint after the import."""
WAL_SIZE_LIMIT = 64 * 1024 * 1024


def bulk_write_settings(conn: Connection) -> None:
    """SQLite settings for the length of an import, on its own connection (see ``restore``)."""
    raw = conn.connection.driver_connection
    raw.execute(f"PRAGMA journal_size_limit={WAL_SIZE_LIMIT}")
    raw.execute(f"PRAGMA wal_autocheckpoint={BULK_WAL_AUTOCHECKPOINT}")


def restore_write_settings(conn: Connection) -> None:
    try:
        conn.connection.driver_connection.execute("PRAGMA wal_autocheckpoint=1000")
    except Exception:  # noqa: BLE001 - a closed or broken connection is discarded by the pool anyway
        pass


_NULL = "\x00"  # stands for NULL while a batch is joined: PostgreSQL text can never hold it


# How a non-text value is written in COPY text, by its exact class (C functions: no Python call).
_COPY_TEXT: dict[type, Callable[[Any], str]] = {
    type(None): {None: _NULL}.__getitem__,
    bool: {True: "t", False: "f"}.__getitem__,
    int: int.__repr__,
    float: float.__repr__,
    date: date.isoformat,
    datetime: datetime.isoformat,  # "2024-03-01T09:30:00": ISO 8601, which PostgreSQL reads as is
}


def copy_text(rows: list[Sequence[Any]], extra: tuple[Any, ...], width: int) -> str | None:
    """``rows`` (each followed by ``extra``) as one COPY text, or None if a value needs escaping.

    psycopg formats COPY row by row in Python; joining the batch at once is three times cheaper.
    The joined text is then checked as a whole: a value holding a tab, a line break, a backslash
    or a NUL shows as a count that does not add up, and the caller falls back to psycopg.
    """
    fmt = _COPY_TEXT
    try:
        tail = "".join("\t" + (x if x.__class__ is str else fmt[x.__class__](x)) for x in extra) + "\n"
        lines = ["\t".join([v if v.__class__ is str else fmt[v.__class__](v) for v in r]) for r in rows]
    except KeyError:  # a value of another type: psycopg knows how to write it
        return None
    text = tail.join(lines) + tail if lines else ""
    nulls = sum(map(methodcaller("count", None), rows)) + len(rows) * extra.count(None)
    if ("\\" in text or "\r" in text or text.count("\n") != len(rows)
            or text.count("\t") != len(rows) * (width - 1) or text.count(_NULL) != nulls):
        return None
    return text.replace(_NULL, "\\N") if nulls else text


def _sqlite_literal(v: Any) -> str | None:
    """``v`` as an SQLite literal, or None when a literal cannot carry it exactly."""
    if v is None:
        return "NULL"
    if v is True or v is False:
        return "1" if v else "0"
    if isinstance(v, int):
        return str(int(v))
    if isinstance(v, (date, datetime)):
        v = _sqlite_date(v)
    if isinstance(v, str) and "\x00" not in v:
        return "'" + v.replace("'", "''") + "'"
    return None


def _is_dated(column: str) -> bool:
    f = FIELDS_BY_NAME.get(column)
    if f is not None:
        return f.type in (FieldType.DATE, FieldType.DATETIME)
    return column in ("created", "last_modified")
