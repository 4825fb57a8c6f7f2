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

Cell = Callable[[Sequence[Any]], Any]


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


class RowFormatter:
    """Turns a fetched row (the values of ``fields``, in order) into the output cells.

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
        self._cells: list[Cell | None] = []  # None: the fetched value passes through
        self._positions: list[int] = []
        self.calc_errors = 0
        for n, col in enumerate(columns, start=1):
            self._plan(n, col)
        self._identity = all(c is None for c in self._cells) and self._positions == list(range(len(self.fields)))

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
            self._positions.append(pos)
            self._cells.append(self._field_cell(f, pos, col))
            width = col.width or _default_width(f)
        else:
            self._positions.append(-1)
            self._cells.append(self._expression_cell(n, col))
            width = col.width or 30
        self.columns.append(ColumnPlan(header, f, width))

    def _field_cell(self, f: RecipientField, pos: int, col: ExportColumn) -> Cell | None:
        out = self.output
        if f.type is FieldType.TEXT:
            return self._text_cell(lambda r: r[pos], col, plain=True)
        if f.type is FieldType.INTEGER and f.enum and col.enum_labels:
            labels = f.enum
            return lambda r: None if r[pos] is None else labels.get(r[pos], r[pos])
        if f.type is FieldType.BOOLEAN:
            if self.native:
                return None
            return lambda r: None if r[pos] is None else ("1" if r[pos] else "0")
        if f.type in (FieldType.DATE, FieldType.DATETIME):
            fmt = col.date_format or (out.date_format if f.type is FieldType.DATE else out.datetime_format)
            if self.native and not col.date_format:
                return None
            text = date_formatter(fmt)
            return lambda r: None if r[pos] is None else text(r[pos])
        if f.type is FieldType.DECIMAL and out.decimal_separator != "." and not self.native:
            sep = out.decimal_separator
            return lambda r: None if r[pos] is None else repr(r[pos]).replace(".", sep)
        return None

    def _expression_cell(self, n: int, col: ExportColumn) -> Cell:
        def resolve(name: str) -> Callable[[Sequence[Any]], object] | None:
            f = field_of(name) or next((c for c in RECIPIENT_FIELDS if c.label.casefold() == name.casefold()), None)
            if f is None:
                return None
            pos = self._index(f.name)
            if f.type is FieldType.INTEGER and f.enum and col.enum_labels:
                labels = f.enum
                return lambda r: labels.get(r[pos], r[pos]) if r[pos] is not None else None
            return lambda r: r[pos]

        try:
            expr = compile_expression(col.expression, resolve)
        except UserError as exc:
            raise UserError(f"Column {n} ({col.label or col.expression}): {exc}") from None

        def value(r: Sequence[Any]) -> object:
            try:
                v = expr(r)
            except CalcError:
                self.calc_errors += 1
                return None
            if isinstance(v, (date, datetime)) and col.date_format:
                return date_formatter(col.date_format)(v)
            if self.native and (v is None or isinstance(v, (int, float, date, datetime))):
                return v
            return to_text(v)

        return self._text_cell(value, col, plain=False)

    def _text_cell(self, get: Cell, col: ExportColumn, plain: bool) -> Cell | None:
        change: Callable[[str], str] | None = {
            Transform.UPPER: str.upper, Transform.LOWER: str.lower, Transform.TITLE: title_case,
        }.get(col.transform)
        escape = self.output.escape_formulas
        if plain and change is None and not escape:
            return None
        triggers = FORMULA_TRIGGERS

        def cell(r: Sequence[Any]) -> Any:
            v = get(r)
            if v is None or v.__class__ is not str:
                return v
            if change is not None:
                v = change(v)
            if escape and v and v[0] in triggers:
                v = escape_formula(v)
            return v

        return cell

    def format_rows(self, rows: Sequence[Sequence[Any]]) -> list[Sequence[Any]]:
        """The output cells of a batch of fetched rows."""
        if self._identity:
            return rows  # type: ignore[return-value]
        plan = list(zip(self._positions, self._cells, strict=True))
        out: list[Sequence[Any]] = []
        append = out.append
        for r in rows:
            append([r[p] if c is None else c(r) for p, c in plan])
        return out


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
