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
    quote, sep = out.string_delimiter, separator(out)
    specials = "".join(dict.fromkeys((sep, quote, "\n", "\r")))
    empty = literal("", String)
    for plan in formatter.columns:
        col = plan.source
        f = plan.field
        if f is None or col.transform is not Transform.NONE or col.date_format:
            return None
        v = recipients.c[f.name]
        if f.type is FieldType.TEXT:
            text: ColumnElement[Any] = _escaped(v, dialect) if out.escape_formulas else v
            if out.escape_formulas and quote == "'":  # the apostrophe added may itself need quoting
                parts.append(_quoted(func.coalesce(text, empty), quote, specials, dialect, test=None))
            else:  # quoting decided on the raw value: one fast search per special character
                parts.append(_quoted(text, quote, specials, dialect, test=v))
            continue
        if f.type is FieldType.INTEGER and f.enum and col.enum_labels:
            text = case(*((v == value, literal(label, String)) for value, label in f.enum.items()),
                        else_=cast(v, String))
            chars = "".join(f.enum.values()) + "-0123456789"
        elif f.type is FieldType.INTEGER:
            text, chars = cast(v, String), "-0123456789"
        elif f.type is FieldType.BOOLEAN:
            text = case((v.is_(True) if dialect == "postgresql" else v == 1, literal("1", String)),
                        (v.is_not(None), literal("0", String)))
            chars = "01"
        elif f.type is FieldType.DATE and out.date_format == "YYYY-MM-DD":
            text, chars = cast(v, String), "-0123456789"
        elif f.type is FieldType.DATETIME and out.datetime_format == "YYYY-MM-DD hh:mm:ss":
            text, chars = func.substr(cast(v, String), 1, 19), "-0123456789: "
        else:
            return None
        if set(chars) & set(specials):
            parts.append(_quoted(func.coalesce(text, empty), quote, specials, dialect, test=None))
        else:  # these values can never hold the separator or the delimiter
            parts.append(func.coalesce(text, empty))
    if not parts:
        return None
    line = parts[0]
    glue = literal(sep, String)
    for p in parts[1:]:
        line = line.concat(glue).concat(p)
    return line.label("line")


def _escaped(v: Any, dialect: str) -> ColumnElement[Any]:
    """A leading apostrophe exactly where :func:`~campaign_desktop.export.cells.escape_formula` puts one.

    Pattern tests rather than substrings: SQLite evaluates a repeated sub-expression every time it
    appears, so each test here is one cheap GLOB (PostgreSQL: one regular expression).
    """
    rest = func.substr(v, 2)
    if dialect == "sqlite":
        def glob(x: Any, pattern: str) -> ColumnElement[bool]:
            return x.op("GLOB", is_comparison=True)(literal(pattern, String))

        trigger = or_(glob(v, "[=@\t\r]*"), glob(v, "[+-]*") & glob(rest, _NOT_HARMLESS_GLOB))
    else:
        trigger = or_(v.regexp_match(literal("^[=@\t\r]", String)),
                      v.regexp_match(literal("^[+-]", String)) & rest.regexp_match(literal(_NOT_HARMLESS_REGEX,
                                                                                           String)))
    return case((trigger, literal("'", String).concat(v)), else_=v)


def _quoted(v: ColumnElement[Any], quote: str, specials: str, dialect: str,
            test: ColumnElement[Any] | None) -> ColumnElement[Any]:
    """csv.QUOTE_MINIMAL: delimit a value holding the separator, the delimiter or a line break.

    ``test`` is what to search for those characters (default: ``v`` itself); a NULL becomes ''.
    """
    q = literal(quote, String)
    position = func.instr if dialect == "sqlite" else func.strpos
    probe = v if test is None else test
    needs = or_(*(position(probe, literal(ch, String)) > 0 for ch in specials))
    return case((needs, q.concat(func.replace(v, q, literal(quote * 2, String))).concat(q)),
                else_=func.coalesce(v, literal("", String)))
