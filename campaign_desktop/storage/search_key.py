"""``search_key(col)``: a lower-cased text compared byte by byte, the same on SQLite and PostgreSQL.

Case-insensitive prefix search and sorting on a million recipients need an index both
backends can use for a range. ``lower(col)`` is such an index on SQLite (whose default
collation is already byte order); on PostgreSQL the index and the queries add
``COLLATE "C"`` so that ranges and ``ORDER BY`` follow byte order whatever the server's
locale. The schema's expression indexes and the queries use this one construct, which is
what lets each planner match one to the other.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class search_key(FunctionElement):  # noqa: N801 - reads like the SQL function it stands for
    """``lower(col)`` (SQLite), ``(lower(col) COLLATE "C")`` (PostgreSQL)."""

    type = String()
    inherit_cache = True
    name = "search_key"


@compiles(search_key)
def _search_key_default(element: search_key, compiler: Any, **kw: Any) -> str:
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(search_key, "postgresql")
def _search_key_postgresql(element: search_key, compiler: Any, **kw: Any) -> str:
    return f'(lower({compiler.process(element.clauses, **kw)}) COLLATE "C")'


SEARCH_INDEXES: dict[str, str] = {
    "ix_recipients_email_key": "email",
    "ix_recipients_last_name_key": "last_name",
    "ix_recipients_account_key": "account",
}
"""Expression indexes on ``search_key(column)`` (migration 0002): the quick search's columns."""
