"""The SELECT of an export: fields, document type, filter, differential date, DISTINCT, ORDER BY, limit.

Built with SQLAlchemy Core from the template only, so the same statement runs on SQLite and
PostgreSQL, is counted before the export starts (the journal's "N records"), and is shown to
the user as SQL text in the preview.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, Select, exists, func, or_, select

from campaign_desktop.domain.errors import UserError
from campaign_desktop.domain.recipient_fields import FieldType
from campaign_desktop.domain.template import ExportSettings
from campaign_desktop.export.cells import RowFormatter, field_of
from campaign_desktop.export.conditions import compile_condition
from campaign_desktop.storage.schema import list_members, lists, recipients

LIST_PREFIX = "list:"


def list_name_of(settings: ExportSettings) -> str | None:
    """The list whose members are exported ('list:<name or label>'), or None for all recipients."""
    doc = settings.document_type.strip()
    if doc in ("", "recipients", "recipient"):
        return None
    if doc.startswith(LIST_PREFIX) and doc[len(LIST_PREFIX):].strip():
        return doc[len(LIST_PREFIX):].strip()
    raise UserError(f"Document type '{doc}': export 'recipients' or the members of a list ('list:<name>')")


def find_list_id(conn: Connection, name: str) -> int:
    row = conn.execute(select(lists.c.id).where(or_(lists.c.name == name, lists.c.label == name))
                       .order_by(lists.c.id)).first()
    if row is None:
        raise UserError(f"There is no list '{name}' to export.")
    return int(row.id)


def build_query(settings: ExportSettings, formatter: RowFormatter, *, list_id: int | None = None,
                since: datetime | None = None, now: datetime | None = None,
                columns: list[Any] | None = None) -> Select[Any]:
    """The statement whose rows feed ``formatter`` (its ``fields``, in order), or selecting ``columns``."""
    cols = columns or [recipients.c[name] for name in formatter.fields]
    stmt = select(*cols).select_from(recipients).where(compile_condition(settings.filter, today=now))
    if list_id is not None:
        stmt = stmt.where(exists(select(list_members.c.recipient_id).where(
            list_members.c.list_id == list_id, list_members.c.recipient_id == recipients.c.id)))
    if since is not None:
        f = field_of(settings.differential_field)
        if f is None or f.type not in (FieldType.DATETIME, FieldType.DATE):
            raise UserError(f"Differential export: '{settings.differential_field}' is not a date field "
                            "(use last_modified)")
        stmt = stmt.where(recipients.c[f.name] >= since)
    if settings.distinct:
        stmt = stmt.distinct()
    order = []
    for n, key in enumerate(settings.sort, start=1):
        f = field_of(key.expression) or _field_by_header(formatter, key.expression)
        if f is None:
            raise UserError(f"Sort {n}: '{key.expression}' is not a recipient field (sort on a field, e.g. last_name)")
        if settings.distinct and f.name not in formatter.fields:
            raise UserError(f"Sort {n}: with 'Remove duplicate rows', sort on an exported field; "
                            f"'{f.name}' is not exported")
        col = recipients.c[f.name]
        order.append(col.desc() if key.descending else col.asc())
    if not settings.distinct:
        order.append(recipients.c.id)  # a stable order: the same export twice gives the same file
    stmt = stmt.order_by(*order)
    if settings.line_limit > 0:
        stmt = stmt.limit(settings.line_limit)
    return stmt


def _field_by_header(formatter: RowFormatter, header: str) -> Any:
    for plan in formatter.columns:
        if plan.header == header and plan.field is not None:
            return plan.field
    return None


def count_query(stmt: Select[Any]) -> Select[Any]:
    """How many rows ``stmt`` returns (limit included)."""
    return select(func.count()).select_from(stmt.order_by(None).subquery())


def sql_text(stmt: Select[Any], engine: Engine | Connection) -> str:
    """The statement as the database would read it, values inlined for reading only (never executed)."""
    dialect = engine.dialect
    try:
        return str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    except Exception:  # noqa: BLE001 - a value type without a literal form: show the parameters apart
        compiled = stmt.compile(dialect=dialect)
        return f"{compiled}\n-- parameters: {compiled.params}"
