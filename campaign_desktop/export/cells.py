"""From database rows to output cells: columns, expressions, case, dates, enumerations, escaping.

The SELECT only fetches plain recipient fields; everything a column does to them (an
expression, a case transform, a date format, an enumeration label, formula escaping) happens
here, in Python, per row, with the calculated-field language of the import
(:mod:`campaign_desktop.mapping.expression`) — so no user text ever reaches SQL. Columns that
need no work pass through untouched: the CSV writer turns ``None`` and numbers into text itself,
which keeps the common export close to the speed of the database.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from campaign_desktop.domain.errors import UserError
from campaign_desktop.domain.recipient_fields import FIELDS_BY_NAME, RECIPIENT_FIELDS, FieldType, RecipientField
from campaign_desktop.domain.template import ExportColumn, ExportOutput, ExportSettings, Transform
from campaign_desktop.mapping.expression import CalcError, compile_expression, to_text
from campaign_desktop.mapping.values import title_case

FORMULA_TRIGGERS = frozenset("=+-@\t\r")
_HARMLESS_SIGNED = re.compile(r"[+-][0-9 ().,/+-]*\Z")
"""A '+' or '-' followed only by digits and punctuation (a phone number, a signed number) can
neither reference a cell nor call a function, so it is left as is: "+33 6 12 34 56 78" stays
importable. Everything else starting with a trigger gets a leading apostrophe."""

_DATE_TOKEN_RE = re.compile(r"YYYY|YY|MM|DD|hh|mm|ss")
_STRFTIME = {"YYYY": "%Y", "YY": "%y", "MM": "%m", "DD": "%d", "hh": "%H", "mm": "%M", "ss": "%S"}



def escape_formula(text: str) -> str:
    """Neutralise a cell a spreadsheet would run as a formula (OWASP CSV injection)."""
    if text and text[0] in FORMULA_TRIGGERS and not (text[0] in "+-" and _HARMLESS_SIGNED.match(text)):
        return "'" + text
    return text


def strftime_pattern(fmt: str) -> str:
    """'DD/MM/YYYY hh:mm' -> '%d/%m/%Y %H:%M' (the import's date tokens, written back)."""
    out, pos = [], 0
    for m in _DATE_TOKEN_RE.finditer(fmt):
        out.append(fmt[pos:m.start()].replace("%", "%%"))
        out.append(_STRFTIME[m.group()])
        pos = m.end()
    out.append(fmt[pos:].replace("%", "%%"))
    return "".join(out)


def date_formatter(fmt: str) -> Callable[[Any], str]:
    """A fast formatter for the usual ISO patterns, strftime for the rest."""
    if fmt == "YYYY-MM-DD":
        return lambda v: v.isoformat()[:10] if isinstance(v, (date, datetime)) else str(v)
    pattern = strftime_pattern(fmt)
    return lambda v: v.strftime(pattern) if isinstance(v, (date, datetime)) else str(v)


def default_columns() -> list[ExportColumn]:
    """Every field of the recipient schema, headed by its internal name (re-importable as is)."""
    return [ExportColumn(expression=f.name, label=f.name, enum_labels=False) for f in RECIPIENT_FIELDS]


def field_of(expression: str) -> RecipientField | None:
    """The recipient field a column expression names directly ('city', '@city', '[city]'), if any."""
    text = expression.strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1].strip()
    f = FIELDS_BY_NAME.get(text)
    if f is not None:
        return f
    for cand in RECIPIENT_FIELDS:
        if text in (cand.xpath, cand.xpath.rsplit("/", 1)[-1]):
            return cand
    return None


@dataclass
class ColumnPlan:
    header: str
    field: RecipientField | None  # set for a plain field; None for an expression
    width: int
    source: ExportColumn


ColumnFn = Callable[[Sequence[Any], Sequence[Sequence[Any]]], Sequence[Any]]
"""(the fetched column, the fetched rows) -> the output column; rows are for expressions only."""

_FLAG_RE = re.compile(r"(?:\A|\n)(?:[=@\t\r]|[+-](?![0-9 ().,/+-]*(?:\n|\Z)))")
"""Finds, in a batch's text values joined by newlines, any value that may need escaping. Most batches
have none, so the per-value check runs only on the columns (and batches) that need it."""


class RowFormatter:
    """Turns a batch of fetched rows (the values of ``fields``, in order) into the output cells.

    Works column by column: a batch is transposed once (``zip``, in C), each column is converted
    with one comprehension or ``map`` — or not at all — and the result transposed back. Values
    arrive as the database driver gives them: SQLite hands dates as ISO text and booleans as 0/1,
    PostgreSQL as ``date`` and ``bool``; every converter accepts both.

    Args:
        settings: the export settings (columns, output options).
        native: keep numbers, dates and booleans as values (xlsx) rather than text.
    """

    def __init__(self, settings: ExportSettings, native: bool = False) -> None:
        self.output: ExportOutput = settings.output
        self.native = native
        columns = settings.columns or default_columns()
        self.fields: list[str] = []
        self.columns: list[ColumnPlan] = []
        self._plan_fns: list[tuple[int, ColumnFn | None]] = []  # (fetched position, converter or None)
        self.calc_errors = 0
        for n, col in enumerate(columns, start=1):
            self._plan(n, col)
        if not self.fields:
            self.fields.append("id")  # only constant expressions: still one row per recipient
        self._identity = all(fn is None for _, fn in self._plan_fns) and \
            [p for p, _ in self._plan_fns] == list(range(len(self.fields)))

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def _index(self, name: str) -> int:
        if name not in self.fields:
            self.fields.append(name)
        return self.fields.index(name)

    def _plan(self, n: int, col: ExportColumn) -> None:
        if not col.expression.strip():
            raise UserError(f"Column {n}: choose a field or write an expression")
        f = field_of(col.expression)
        header = col.label.strip() or (f.label if f else col.expression.strip())
        if f is not None:
            pos = self._index(f.name)
            self._plan_fns.append((pos, self._field_fn(f, col)))
            width = col.width or _default_width(f)
        else:
            self._plan_fns.append((-1, self._expression_fn(n, col)))
            width = col.width or 30
        self.columns.append(ColumnPlan(header, f, width, col))

    def _field_fn(self, f: RecipientField, col: ExportColumn) -> ColumnFn | None:
        out = self.output
        if f.type is FieldType.TEXT:
            return self._text_fn(col)
        if f.type is FieldType.INTEGER and f.enum and col.enum_labels:
            labels = f.enum
            return lambda c, _: list(map(labels.get, c, c))
        if f.type is FieldType.BOOLEAN:
            if self.native:
                return lambda c, _: [None if v is None else bool(v) for v in c]
            words = {True: "1", False: "0"}
            return lambda c, _: list(map(words.get, c, c))
        if f.type in (FieldType.DATE, FieldType.DATETIME):
            with_time = f.type is FieldType.DATETIME
            if self.native and not col.date_format:
                return _native_dates(with_time)
            fmt = col.date_format or (out.datetime_format if with_time else out.date_format)
            return _date_texts(fmt, with_time)
        if f.type is FieldType.DECIMAL and out.decimal_separator != "." and not self.native:
            sep = out.decimal_separator
            return lambda c, _: [None if v is None else repr(v).replace(".", sep) for v in c]
        return None

    def _expression_fn(self, n: int, col: ExportColumn) -> ColumnFn:
        def resolve(name: str) -> Callable[[Sequence[Any]], object] | None:
            f = field_of(name) or next((c for c in RECIPIENT_FIELDS if c.label.casefold() == name.casefold()), None)
            if f is None:
                return None
            pos = self._index(f.name)
            if f.type is FieldType.INTEGER and f.enum and col.enum_labels:
                labels = f.enum
                return lambda r: labels.get(r[pos], r[pos]) if r[pos] is not None else None
            if f.type in (FieldType.DATE, FieldType.DATETIME):
                return lambda r: _as_date(r[pos], f.type is FieldType.DATETIME)
            return lambda r: r[pos]

        try:
            expr = compile_expression(col.expression, resolve)
        except UserError as exc:
            raise UserError(f"Column {n} ({col.label or col.expression}): {exc}") from None
        dates = date_formatter(col.date_format) if col.date_format else None
        native = self.native

        def value(r: Sequence[Any]) -> object:
            try:
                v = expr(r)
            except CalcError:
                self.calc_errors += 1
                return None
            if dates is not None and isinstance(v, (date, datetime)):
                return dates(v)
            if native and (v is None or isinstance(v, (int, float, date, datetime))):
                return v
            return to_text(v)

        text = self._text_fn(col)

        def column(_: Sequence[Any], rows: Sequence[Sequence[Any]]) -> Sequence[Any]:
            values = [value(r) for r in rows]
            return text(values, rows) if text is not None else values

        return column

    def _text_fn(self, col: ExportColumn) -> ColumnFn | None:
        change: Callable[[str], str] | None = {
            Transform.UPPER: str.upper, Transform.LOWER: str.lower, Transform.TITLE: title_case,
        }.get(col.transform)
        escape = self.output.escape_formulas
        if change is None and not escape:
            return None

        def column(c: Sequence[Any], _: Sequence[Sequence[Any]]) -> Sequence[Any]:
            if change is not None:
                c = [change(v) if v.__class__ is str else v for v in c]
            if escape and _may_need_escaping(c):
                c = [escape_formula(v) if v.__class__ is str else v for v in c]
            return c

        return column

    def format_rows(self, rows: Sequence[Sequence[Any]]) -> Sequence[Sequence[Any]]:
        """The output cells of a batch of fetched rows."""
        if self._identity or not rows:
            return rows
        cols = list(zip(*rows, strict=True))
        out = [cols[p] if fn is None else fn(cols[p] if p >= 0 else (), rows) for p, fn in self._plan_fns]
        return list(zip(*out, strict=True))


def _may_need_escaping(column: Sequence[Any]) -> bool:
    try:
        return _FLAG_RE.search("\n".join(filter(None, column))) is not None
    except TypeError:  # not only text (an expression's numbers): look at each value
        return any(v.__class__ is str and v[:1] in FORMULA_TRIGGERS for v in column)


def _as_date(v: Any, with_time: bool) -> Any:
    if v.__class__ is not str:
        return v
    d = datetime.fromisoformat(v)
    return d if with_time else d.date()


def _native_dates(with_time: bool) -> ColumnFn:
    def column(c: Sequence[Any], _: Sequence[Sequence[Any]]) -> Sequence[Any]:
        first = next((v for v in c if v is not None), None)
        if first is None or first.__class__ is not str:
            return c
        return [None if v is None else _as_date(v, with_time) for v in c]

    return column


def _date_texts(fmt: str, with_time: bool) -> ColumnFn:
    """Dates as text in ``fmt``; SQLite's ISO text passes through when it already is that format."""
    iso = fmt == ("YYYY-MM-DD hh:mm:ss" if with_time else "YYYY-MM-DD")
    size = 19 if with_time else 10
    text = date_formatter(fmt)

    def column(c: Sequence[Any], _: Sequence[Sequence[Any]]) -> Sequence[Any]:
        first = next((v for v in c if v is not None), None)
        if first is None:
            return c
        if first.__class__ is str:
            if iso:
                return c if not with_time else [None if v is None else v[:size] for v in c]
            return [None if v is None else text(_as_date(v, with_time)) for v in c]
        if iso and with_time:
            return [None if v is None else v.isoformat(" ", "seconds") for v in c]
        if iso:
            return [None if v is None else v.isoformat() for v in c]
        return [None if v is None else text(v) for v in c]

    return column


def _default_width(f: RecipientField) -> int:
    if f.type is FieldType.DATE:
        return 10
    if f.type is FieldType.DATETIME:
        return 19
    if f.type in (FieldType.INTEGER, FieldType.BOOLEAN):
        return max(len(label) for label in f.enum.values()) if f.enum else 6
    if f.type is FieldType.DECIMAL:
        return 15
    return min(f.length or 30, 255)
