"""Opening the database: the embedded SQLite default or a shared PostgreSQL server.

The URL comes from ``--db``, else ``CAMPAIGN_DESKTOP_DB``, else a SQLite file in the user's
data folder (platformdirs). Opening always migrates to the latest schema, so a fresh
machine needs no set-up and an older database is brought up to date before use.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

log = logging.getLogger(__name__)

ENV_VAR = "CAMPAIGN_DESKTOP_DB"
APP_NAME = "CampaignDesktop"


class DatabaseUrlError(ValueError):
    """The database address cannot be used; the message says why, for the user."""


def default_sqlite_path() -> Path:
    return Path(user_data_dir(APP_NAME, appauthor=False)) / "campaign.db"


def resolve_url(url: str | None = None) -> str:
    """The URL to use: the one given, the environment's, or the embedded default."""
    url = url or os.environ.get(ENV_VAR) or ""
    if not url:
        path = default_sqlite_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseUrlError(
            f"'{url}' is not a database address. Use sqlite:///path/to/file.db or "
            "postgresql+psycopg://user@host:port/database"
        ) from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise DatabaseUrlError(
            f"Only SQLite and PostgreSQL databases are supported, not '{parsed.drivername}'."
        )
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    return url


PAGE_SIZE = 16384
"""Bytes per page of a new SQLite database (SQLite's default is 4096)."""


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin (see _sqlite_begin).
    dbapi_conn.isolation_level = None
    # WAL lets the GUI read while a job writes; a busy timeout rather than "database is
    # locked" errors when two writers meet; foreign keys for list/subscription cascades.
    cur = dbapi_conn.cursor()
    # Only a new, empty database takes it (before WAL is on): a big import's inserts and commits then
    # cost about a tenth less than with 4 KB pages (benchmarks/RESULTS.md). Existing files keep theirs.
    cur.execute(f"PRAGMA page_size={PAGE_SIZE}")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA cache_size=-65536")
    cur.execute("PRAGMA temp_store=MEMORY")
    cur.close()


def _sqlite_begin(conn) -> None:  # type: ignore[no-untyped-def]
    """Real transactions on SQLite; writers that read first ask for the write lock up front.

    A batch that reads (key lookups) then writes must hold the write lock from its first
    statement, or a concurrent writer makes it fail with "database is locked" half-way.
    """
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get(IMMEDIATE) else "BEGIN")


IMMEDIATE = "campaign_desktop.begin_immediate"
"""Set ``connection.info[IMMEDIATE] = True`` before ``begin()`` to take SQLite's write lock at once."""


def create_db_engine(url: str | None = None, *, migrate: bool = True) -> Engine:
    """Create the engine for ``url`` (see :func:`resolve_url`) and bring the schema up to date."""
    resolved = resolve_url(url)
    kwargs: dict = {"future": True}
    if resolved.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    else:
        kwargs["pool_pre_ping"] = True
    engine = create_engine(resolved, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    if migrate:
        from campaign_desktop.storage.migrate import upgrade

        upgrade(engine)
    return engine


def describe(engine: Engine) -> str:
    """A short, password-free description for titles and logs."""
    return engine.url.render_as_string(hide_password=True)
