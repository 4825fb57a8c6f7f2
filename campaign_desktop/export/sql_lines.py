"""The fast path of delimited exports: the database writes each line, Python only writes the file.

Fetching nine values per row and formatting them in Python costs several microseconds a row; the
database can build the finished line — NULLs as empty, ISO dates, enumeration labels, formula
escaping, quoting with doubled delimiters — in C for a fraction of that. The expression is built
with SQLAlchemy Core from the template (separators and labels are bound parameters, never pasted
into SQL text) and produces exactly what :class:`~campaign_desktop.export.cells.RowFormatter` and
``csv.writer`` (QUOTE_MINIMAL) produce; tests compare both paths. Columns the database cannot
format the same way (expressions, case transforms, custom date formats, DISTINCT) keep the Python
path.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, String, case, cast, func, literal, or_

from campaign_desktop.domain.recipient_fields import FieldType
from campaign_desktop.domain.template import ExportSettings, OutputFormat, Transform
from campaign_desktop.export.cells import RowFormatter
from campaign_desktop.export.writers import separator
from campaign_desktop.storage.schema import recipients

_NOT_HARMLESS_GLOB = "*[^0-9 ().,/+-]*"  # SQLite: some character other than digits and punctuation
_NOT_HARMLESS_REGEX = "[^0-9 ().,/+-]"  # PostgreSQL: the same test


def line_expression(settings: ExportSettings, formatter: RowFormatter, dialect: str) -> ColumnElement[Any] | None:
    """The finished text line of each row, or None when the export needs the Python path."""
    out = settings.output
    if out.format not in (OutputFormat.TEXT, OutputFormat.CSV) or settings.distinct or not out.string_delimiter:
        return None
    if dialect not in ("sqlite", "postgresql") or len(formatter.columns) < 2:
        return None  # (one column: csv.writer writes an empty value as "", keep its behaviour)
    parts: list[ColumnElement[Any]] = []
    for plan in formatter.columns:
        col = plan.source
        f = plan.field
        if f is None or col.transform is not Transform.NONE or col.date_format:
            return None
        v = recipients.c[f.name]
        if f.type is FieldType.TEXT:
            text: ColumnElement[Any] = _escaped(v, dialect) if out.escape_formulas else v
        elif f.type is FieldType.INTEGER and f.enum and col.enum_labels:
            text = case(*((v == value, literal(label, String)) for value, label in f.enum.items()),
                        else_=cast(v, String))
        elif f.type is FieldType.INTEGER:
            text = cast(v, String)
        elif f.type is FieldType.BOOLEAN:
            text = case((v.is_(None), literal("", String)), (v.is_(True) if dialect == "postgresql" else v == 1,
                                                              literal("1", String)), else_=literal("0", String))
        elif f.type is FieldType.DATE and out.date_format == "YYYY-MM-DD":
            text = cast(v, String)
        elif f.type is FieldType.DATETIME and out.datetime_format == "YYYY-MM-DD hh:mm:ss":
            text = func.substr(cast(v, String), 1, 19)
        else:
            return None
        parts.append(_quoted(func.coalesce(text, literal("", String)), out.string_delimiter, separator(out),
                             dialect))
    if not parts:
        return None
    line = parts[0]
    sep = literal(separator(out), String)
    for p in parts[1:]:
        line = line.concat(sep).concat(p)
    return line.label("line")


def _escaped(v: Any, dialect: str) -> ColumnElement[Any]:
    """A leading apostrophe exactly where :func:`~campaign_desktop.export.cells.escape_formula` puts one."""
    first = func.substr(v, 1, 1)
    rest = func.substr(v, 2)
    not_harmless = (rest.op("GLOB")(literal(_NOT_HARMLESS_GLOB, String)) if dialect == "sqlite"
                    else rest.regexp_match(literal(_NOT_HARMLESS_REGEX, String)))
    trigger = or_(first.in_(["=", "@", "\t", "\r"]), (first.in_(["+", "-"]) & not_harmless))
    return case((trigger, literal("'", String).concat(v)), else_=v)


def _quoted(v: ColumnElement[Any], quote: str, sep: str, dialect: str) -> ColumnElement[Any]:
    """csv.QUOTE_MINIMAL: delimit a value holding the separator, the delimiter or a line break."""
    q = literal(quote, String)
    position = func.instr if dialect == "sqlite" else func.strpos
    needs = or_(*(position(v, literal(ch, String)) > 0 for ch in dict.fromkeys((sep, quote, "\n", "\r"))))
    return case((needs, q.concat(func.replace(v, q, literal(quote * 2, String))).concat(q)), else_=v)
