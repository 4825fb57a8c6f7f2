"""The fast path of delimited exports: the database joins each row into a line, Python checks batches.

Fetching nine values per row and formatting them in Python costs several microseconds a row. Here
the database hands one text per row — the values already as the file shows them (NULLs empty, ISO
dates, enumeration labels, 1/0) joined by the separator — and Python checks a whole batch at once
with C-speed string operations: if no value holds the separator, the delimiter or a line break, and
no value starts like a formula, the batch is written as is. The rare lines that need quoting or
escaping are fetched again by id and formatted by the normal path
(:class:`~campaign_desktop.export.cells.RowFormatter` + ``csv.writer``), so the file is byte for
byte what the normal path writes (a test compares both). The SQL is SQLAlchemy Core built from the
template: separators and labels are bound parameters, never pasted into SQL text. Columns the
database cannot format the same way (expressions, case transforms, custom date formats, DISTINCT)
keep the normal path for the whole export.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, String, bindparam, case, cast, func, literal, select

from campaign_desktop.domain.recipient_fields import FieldType
from campaign_desktop.domain.template import ExportSettings, OutputFormat, Transform
from campaign_desktop.export.cells import RowFormatter
from campaign_desktop.export.line_check import LineChecker
from campaign_desktop.export.writers import line_end, separator
from campaign_desktop.storage.schema import recipients


def line_expression(settings: ExportSettings, formatter: RowFormatter, dialect: str) -> ColumnElement[Any] | None:
    """Each row's values joined by the separator, or None when the export needs the normal path."""
    out = settings.output
    if out.format not in (OutputFormat.TEXT, OutputFormat.CSV) or settings.distinct or not out.string_delimiter:
        return None
    if dialect not in ("sqlite", "postgresql") or len(formatter.columns) < 2:
        return None  # (one column: csv.writer writes an empty value as "", keep its behaviour)
    empty = literal("", String)
    parts: list[ColumnElement[Any]] = []
    for plan in formatter.columns:
        col = plan.source
        f = plan.field
        if f is None or col.transform is not Transform.NONE or col.date_format:
            return None
        v = recipients.c[f.name]
        if f.type is FieldType.TEXT:
            text: ColumnElement[Any] = v
        elif f.type is FieldType.INTEGER and f.enum and col.enum_labels:
            text = case(*((v == value, literal(label, String)) for value, label in f.enum.items()),
                        else_=cast(v, String))
        elif f.type is FieldType.INTEGER:
            text = cast(v, String)
        elif f.type is FieldType.BOOLEAN:
            text = case((v.is_(True) if dialect == "postgresql" else v == 1, literal("1", String)),
                        (v.is_not(None), literal("0", String)))
        elif f.type is FieldType.DATE and out.date_format == "YYYY-MM-DD":
            text = cast(v, String)
        elif f.type is FieldType.DATETIME and out.datetime_format == "YYYY-MM-DD hh:mm:ss":
            text = func.substr(cast(v, String), 1, 19)
        else:
            return None
        parts.append(func.coalesce(text, empty))
    glue = literal(separator(out), String)
    line = parts[0]
    for p in parts[1:]:
        line = line.concat(glue).concat(p)
    return line.label("line")


AFTER = "line_after"
UPTO = "line_upto"
"""The bound parameters of :func:`range_statements`: a batch is the ids in (AFTER, UPTO]."""


def range_statements(line_statement: Select[Any], span: int) -> tuple[Select[Any], Select[Any]]:
    """For exports in id order (SQLite): one batch's (row count, lines joined by LF), and its (id, line) rows.

    A batch is the ids in (AFTER, UPTO], at most ``span`` of them. ``line_statement`` must be
    ordered by id alone (no sort keys, no limit): the ids then cut the file into consecutive
    pieces, and the database joins each piece in that order. SQLite's documentation leaves
    ``group_concat``'s order unspecified; it follows an ordered subquery's order, and the
    (never reached) LIMIT keeps the planner from dropping that subquery's ORDER BY. The byte-for-
    byte tests of every path would catch a change.
    """
    rows = line_statement.where(recipients.c.id > bindparam(AFTER), recipients.c.id <= bindparam(UPTO))
    piece = rows.limit(span).subquery()
    return select(func.count(), func.group_concat(piece.c.line, literal("\n", String))), rows


def line_checker(settings: ExportSettings, columns: int) -> LineChecker:
    """The checker of the lines :func:`line_expression` builds for these settings."""
    out = settings.output
    return LineChecker(separator(out), out.string_delimiter, line_end(out), columns, out.escape_formulas)


class LineRedo:
    """Formats, by the normal path, the rows whose database-built line needs quoting or escaping."""

    def __init__(self, settings: ExportSettings, formatter: RowFormatter) -> None:
        self.formatter = formatter
        self.buffer = io.StringIO()
        out = settings.output
        self.csv = csv.writer(self.buffer, delimiter=separator(out), quotechar=out.string_delimiter,
                              quoting=csv.QUOTE_MINIMAL, lineterminator="\n")

    def lines(self, conn: Connection, ids: Sequence[int]) -> dict[int, str]:
        cols = [recipients.c[name] for name in self.formatter.fields]
        rows = conn.execute(select(recipients.c.id, *cols).where(recipients.c.id.in_(list(ids)))).all()
        formatted = self.formatter.format_rows([tuple(r[1:]) for r in rows])
        out: dict[int, str] = {}
        for r, cells in zip(rows, formatted, strict=True):
            self.buffer.seek(0)
            self.buffer.truncate()
            self.csv.writerow(cells)
            out[r[0]] = self.buffer.getvalue()[:-1]
        return out
