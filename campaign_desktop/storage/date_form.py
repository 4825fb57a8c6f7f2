"""Dates in the form the database stores them, for the import's converter.

Apart from ``recipients_writer`` because the import's reading process needs it and must not load
SQLAlchemy (a third of a second before its first batch).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any


def sqlite_date(v: Any) -> Any:
    """A date or datetime as SQLite stores it (ISO text, as SQLAlchemy writes it); anything else as is."""
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(v, date):
        return v.isoformat()
    return v


def date_storage(dialect: str) -> Callable[[Any], Any] | None:
    """How the import's converter should hand over dates so that rows look like what ``find`` returns.

    SQLite stores dates as ISO text, as SQLAlchemy does: the import converts each date once, where
    the line is converted (in the reader process), so neither the planner's comparisons nor the
    insert touch them again. PostgreSQL takes ``date`` objects: None.
    """
    return sqlite_date if dialect == "sqlite" else None


__all__ = ["date_storage", "sqlite_date"]
