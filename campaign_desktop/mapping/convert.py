"""A source line's text values -> typed recipient field values (spec §4.5 column formats, §4.6 mapping).

``RowConverter`` reads the template once and compiles every mapped field into one small
closure ``field(values) -> value | Issue``; ``convert`` then only loops over those closures. On
a good line nothing is looked up in the settings, no regex is compiled and no exception is
raised, because this runs a million times per import (target: a few microseconds per line).

Per field, in this order: trim -> empty rule -> remapping -> conversion to the destination's
type (the column's own declared type is checked too) -> closed enumerations -> case transform
(the column's, then the mapping's) -> maximum length. A value that fails is handled by the
column's *Error processing*: reject the line, ignore the value with a warning, or use the
column's default value (converted once, up front).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from campaign_desktop.domain.errors import UserError
from campaign_desktop.domain.job import FieldError
from campaign_desktop.domain.recipient_fields import FIELDS_BY_NAME, FieldType, RecipientField
from campaign_desktop.domain.template import (
    CalculatedField,
    CalculatedKind,
    ColumnFormat,
    EmptyRule,
    FieldMapping,
    ImportSettings,
    OnError,
    Transform,
)
from campaign_desktop.mapping.calculated import compile_calculated
from campaign_desktop.mapping.expression import CalcError, Getter, to_text
from campaign_desktop.mapping.guess import guess_mapping
from campaign_desktop.mapping.values import (
    Bad,
    Parser,
    make_boolean_parser,
    make_country_parser,
    make_date_parser,
    make_decimal_parser,
    make_email_parser,
    make_enum_parser,
    make_integer_parser,
    make_transform,
)

log = logging.getLogger(__name__)

FieldFn = Callable[[Sequence[str]], object]


@dataclass(slots=True)
class ConvertedRow:
    """What one line becomes.

    Attributes:
        values: destination field name -> typed value (str, int, float, bool, date, datetime or None).
        rejected: the line must be rejected.
        reason_code: when rejected: 'invalid_email', 'invalid_date', 'invalid_number', 'required_empty',
            'too_long', 'not_remapped', 'enum_error' or 'calc_error' (of the first failing field).
        message: when rejected: one sentence a marketer understands.
        field_errors: every failing field (field = destination name, value = source text, message).
        warnings: values ignored with a warning (on_error=ignore; the field is left out of ``values``),
            and enumeration values kept with a warning (calculated field "Generates a warning").
    """

    values: dict[str, object]
    rejected: bool
    reason_code: str
    message: str
    field_errors: list[FieldError]
    warnings: list[FieldError]


class Issue:
    """A field that failed: rejects the line (``reject``) or is left out with a warning."""

    __slots__ = ("field", "value", "code", "message", "reject")

    def __init__(self, field: str, value: str, code: str, message: str, reject: bool) -> None:
        self.field = field
        self.value = value
        self.code = code
        self.message = message
        self.reject = reject


_NUMERIC = (FieldType.INTEGER, FieldType.DECIMAL)
_DATES = (FieldType.DATE, FieldType.DATETIME)


def _type_parser(t: FieldType, label: str, fmt: ColumnFormat) -> Parser | None:
    """The plain parser of a value type (None for text)."""
    if t is FieldType.INTEGER:
        return make_integer_parser(label, fmt.decimal_separator)
    if t is FieldType.DECIMAL:
        return make_decimal_parser(label, fmt.decimal_separator)
    if t in _DATES:
        try:
            return make_date_parser(label, fmt.date_format.strip(), with_time=t is FieldType.DATETIME)
        except ValueError as exc:
            raise UserError(f"Column '{fmt.name}' has a date format that cannot be used: {exc}") from None
    if t is FieldType.BOOLEAN:
        return make_boolean_parser(label)
    return None


def _destination_parser(f: RecipientField, fmt: ColumnFormat) -> Parser | None:
    """How text becomes a value of field ``f``, the column's declared type checked first."""
    if f.enum:
        parse = make_enum_parser(f)
    elif f.name == "email":
        parse = make_email_parser()
    elif f.name == "country_code":
        parse = make_country_parser(f.label)
    else:
        parse = _type_parser(FieldType(f.type), f.label, fmt)
    col_type = FieldType(fmt.type)
    same = col_type is f.type or (col_type in _DATES and f.type in _DATES)
    if col_type is FieldType.TEXT or same:
        return parse
    check = _type_parser(col_type, f.label, fmt)
    if check is None:  # pragma: no cover - every non-text type has a parser
        return parse
    if parse is None:

        def checked_text(s: str) -> object:
            v = check(s)
            return v if v.__class__ is Bad else s

        return checked_text

    def checked(s: str) -> object:
        v = check(s)
        return v if v.__class__ is Bad else parse(s)

    return checked


class _FieldPlan:
    """Everything one mapped field needs, compiled; ``text_fn`` converts one text value."""

    def __init__(self, dest: RecipientField, fmt: ColumnFormat, mapping: FieldMapping, column: str) -> None:
        self.dest = dest
        self.fmt = fmt
        self.column = column
        self.parse = _destination_parser(dest, fmt)
        is_text = dest.type is FieldType.TEXT
        transforms = (Transform(fmt.transform), Transform(mapping.transform))
        self.xform = make_transform(*transforms) if is_text else None
        lengths = [n for n in (dest.length, fmt.length) if n] if is_text else []
        self.maxlen = min(lengths) if lengths else 0
        self.remap = {k.strip(): v for k, v in fmt.remap.items()} if fmt.remap else None
        self.remap_folded = {k.casefold(): v for k, v in self.remap.items()} if self.remap else None
        self.on_error = OnError(fmt.on_error)
        self.default: object = None
        if self.on_error in (OnError.DEFAULT, OnError.DEFAULT_IF_UNMAPPED):
            # The default is already a destination value: converted and checked once, never remapped.
            self.default = self._compile(self._handler(OnError.REJECT_LINE, None), remapping=False)(
                fmt.default
            )
            if isinstance(self.default, Issue):
                raise UserError(
                    f"The default value '{fmt.default}' of column '{column}' cannot be used for "
                    f"{dest.label}: {self.default.message}"
                )
        self.text_fn = self._compile(self._handler(self.on_error, self.default))

    def _handler(self, on_error: OnError, default: object) -> Callable[[str, str, str], object]:
        """fail(code, source text, message) -> the field's value or an Issue, per the error processing."""
        name = self.dest.name
        if on_error is OnError.IGNORE:
            return lambda code, text, msg: Issue(name, text, code, msg + " (value ignored)", False)
        if on_error is OnError.DEFAULT:
            return lambda code, text, msg: default
        if on_error is OnError.DEFAULT_IF_UNMAPPED:
            return lambda code, text, msg: (
                default if code == "not_remapped" else Issue(name, text, code, msg, True)
            )
        return lambda code, text, msg: Issue(name, text, code, msg, True)

    def _empty_result(self, fail: Callable[[str, str, str], object]) -> object:
        """What an empty value gives, per the column's 'Allow NULLs' rule (computed once)."""
        label = self.dest.label
        rule = EmptyRule(self.fmt.empty_rule)
        if rule is EmptyRule.REQUIRED:
            return fail("required_empty", "", f"{label} is required but the value is empty")
        if rule is EmptyRule.DEFAULT and FieldType(self.fmt.type) in _NUMERIC:
            return fail(
                "required_empty",
                "",
                f"{label} is empty, but column '{self.column}' is numeric "
                "(allow empty values in its format to accept this)",
            )
        return None

    def _compile(
        self, fail: Callable[[str, str, str], object], remapping: bool = True
    ) -> Callable[[str], object]:
        """The whole pipeline for one text value: trim, empty, remap, parse, transform, length."""
        self.fail = fail
        self.empty_result = empty_result = self._empty_result(fail)
        trim, parse, xform, maxlen = self.fmt.trim, self.parse, self.xform, self.maxlen
        remap, remap_folded = (self.remap, self.remap_folded) if remapping else (None, None)
        unmapped_fails = self.on_error in (OnError.REJECT_IF_UNMAPPED, OnError.DEFAULT_IF_UNMAPPED)
        known = ", ".join(list(remap)[:8]) if remap else ""
        column, too_long = self.column, self._too_long(fail)

        def general(s: str) -> object:
            if trim:
                s = s.strip()
            if not s:
                return empty_result
            if remap is not None:
                r = remap.get(s)
                if r is None:
                    r = remap_folded.get(s.casefold())  # type: ignore[union-attr]
                if r is not None:
                    s = r.strip() if trim else r
                    if not s:
                        return empty_result
                elif unmapped_fails:
                    return fail(
                        "not_remapped",
                        s,
                        f"No remapping for '{s}' in column {column} (known values: {known})",
                    )
            if parse is not None:
                v = parse(s)
                if v.__class__ is Bad:
                    return fail(v.code, s, v.message)  # type: ignore[attr-defined]
            else:
                v = s
            if v.__class__ is str:
                if xform is not None:
                    v = xform(v)  # type: ignore[arg-type]
                if maxlen and len(v) > maxlen:  # type: ignore[arg-type]
                    return too_long(s, v)  # type: ignore[arg-type]
            return v

        return general

    def _too_long(self, fail: Callable[[str, str, str], object]) -> Callable[[str, str], object]:
        label, maxlen = self.dest.label, self.maxlen
        return lambda s, v: fail(
            "too_long", s, f"Value too long for {label}: {len(v)} characters, at most {maxlen}"
        )

    def row_fn(self, i: int) -> FieldFn:
        """``field(values)`` reading column ``i``: the common shapes get one closure (one call per field)."""
        text_fn = self.text_fn
        if not self.fmt.trim or self.remap is not None or (self.parse is not None and self.xform is not None):
            return lambda values: text_fn(values[i])
        fail, empty_result, too_long = self.fail, self.empty_result, self._too_long(self.fail)
        parse, xform, maxlen = self.parse, self.xform, self.maxlen
        if parse is not None:

            def typed(values: Sequence[str]) -> object:
                s = values[i].strip()
                if not s:
                    return empty_result
                v = parse(s)
                if v.__class__ is Bad:
                    return fail(v.code, s, v.message)  # type: ignore[attr-defined]
                if maxlen and v.__class__ is str and len(v) > maxlen:  # type: ignore[arg-type]
                    return too_long(s, v)  # type: ignore[arg-type]
                return v

            return typed
        if xform is not None:

            def text_transformed(values: Sequence[str]) -> object:
                s = values[i].strip()
                if not s:
                    return empty_result
                v = xform(s)
                if maxlen and len(v) > maxlen:
                    return too_long(s, v)
                return v

            return text_transformed

        def text_only(values: Sequence[str]) -> object:
            s = values[i].strip()
            if not s:
                return empty_result
            if maxlen and len(s) > maxlen:
                return too_long(s, s)
            return s

        return text_only


def _cell_text(v: object) -> str:
    """A reader may hand over something that is not text (a spreadsheet number, None): read it as text."""
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, datetime):
        return (
            v.isoformat(sep=" ")
            if (v.hour, v.minute, v.second, v.microsecond) != (0, 0, 0, 0)
            else v.date().isoformat()
        )
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


class RowConverter:
    """Converts the lines of one source file for one template's mapping.

    Build one per job (and per thread: ``convert`` keeps a scratch list of pending warnings).

    Attributes:
        destinations: the destination fields produced, in mapping order.
        mapped_sources: the mapping's sources as written (column label, '#N' or calculated field).
        source_columns: per destination, the 0-based source column, or None for a calculated field.
        calculated_destinations: destinations fed by calculated fields (never usable as keys).
        mapping: the mappings in use (the guessed ones when the template had none).
    """

    def __init__(
        self, columns: list[str], settings: ImportSettings, column_formats: list[ColumnFormat] | None = None
    ) -> None:
        self.columns = list(columns)
        self._width = len(self.columns)
        self.formats = self._formats(column_formats, settings)
        self._by_label: dict[str, int] = {}
        folded: dict[str, list[int]] = {}
        for i, c in enumerate(self.columns):
            self._by_label.setdefault(c, i)
            folded.setdefault(c.strip().casefold(), []).append(i)
        self._by_folded = {k: v[0] for k, v in folded.items() if len(v) == 1}
        self._calcs: dict[str, CalculatedField] = {}
        for c in settings.calculated_fields:
            self._calcs.setdefault(c.name, c)
        for c in settings.calculated_fields:
            if c.label:
                self._calcs.setdefault(c.label, c)
        for c in settings.calculated_fields:
            for key in (c.name, c.label):
                if key:
                    self._calcs.setdefault(key.strip().casefold(), c)
        self._pending: list[FieldError] = []

        mapping = list(settings.mapping)
        guessed = not mapping and settings.guess_mapping
        if guessed:
            mapping = [
                m
                for m in guess_mapping(self.columns)
                if not self.formats[self._column_index(m.source)].ignore
            ]  # type: ignore[index]
        self.mapping = mapping
        self.destinations: list[str] = []
        self.mapped_sources: list[str] = []
        self.source_columns: list[int | None] = []
        self.calculated_destinations: set[str] = set()
        plan: list[tuple[str, FieldFn]] = []
        seen: dict[str, str] = {}
        for m in mapping:
            dest = self._destination(m.destination)
            if dest.name in seen:
                raise UserError(
                    f"Two sources are mapped to {dest.label}: '{seen[dest.name]}' and "
                    f"'{m.source}'; keep only one"
                )
            seen[dest.name] = m.source
            fn, index = self._field_fn(m, dest)
            plan.append((dest.name, fn))
            self.source_columns.append(index)
            self.destinations.append(dest.name)
            self.mapped_sources.append(m.source)
        self._plan = tuple(plan)

    # --- construction -------------------------------------------------------------------------

    def _formats(self, given: list[ColumnFormat] | None, settings: ImportSettings) -> list[ColumnFormat]:
        if given is not None:
            if len(given) != len(self.columns):
                raise UserError(f"The file has {len(self.columns)} columns but {len(given)} column formats")
            return list(given)
        by_name = {f.name: f for f in settings.file_format.columns}
        by_label = {f.label: f for f in settings.file_format.columns if f.label}
        return [by_name.get(c) or by_label.get(c) or ColumnFormat(name=c) for c in self.columns]

    def _column_index(self, source: str) -> int | None:
        if source in self._by_label:
            return self._by_label[source]
        s = source.strip()
        if len(s) > 1 and s[0] == "#" and s[1:].isdigit():
            n = int(s[1:])
            if not 1 <= n <= self._width:
                raise UserError(
                    f"Column {s} is not in the file, which has {self._width} column"
                    f"{'s' if self._width != 1 else ''}"
                )
            return n - 1
        return None

    def _resolve_column(self, name: str) -> int | None:
        i = self._column_index(name)
        if i is None:
            i = self._by_folded.get(name.strip().casefold())
        return i

    def _text_getter(self, name: str) -> Getter | None:
        """For calculated fields: a column's text in a line, trimmed when its format says so."""
        i = self._resolve_column(name)
        if i is None:
            return None
        if self.formats[i].trim:
            return lambda values: values[i].strip()
        return lambda values: values[i]

    def _destination(self, name: str) -> RecipientField:
        f = FIELDS_BY_NAME.get(name.strip())
        if f is None:
            key = name.strip().casefold()
            f = next(
                (x for x in FIELDS_BY_NAME.values() if key in (x.xpath.casefold(), x.label.casefold())), None
            )
        if f is None:
            raise UserError(f"'{name}' is not a recipient field (see the list of destination fields)")
        if not f.importable:
            raise UserError(f"{f.label} cannot be imported: the application sets it itself")
        return f

    def _field_fn(self, m: FieldMapping, dest: RecipientField) -> tuple[FieldFn, int | None]:
        i = self._column_index(m.source)
        calc = self._calcs.get(m.source) if i is None else None
        if i is None and calc is None:
            i = self._by_folded.get(m.source.strip().casefold())
            if i is None:
                calc = self._calcs.get(m.source.strip().casefold())
        if i is not None:
            fmt = self.formats[i]
            if fmt.ignore:
                raise UserError(
                    f"Column '{self.columns[i]}' is mapped to {dest.label} but is set to be "
                    "ignored in the file format"
                )
            return _FieldPlan(dest, fmt, m, self.columns[i]).row_fn(i), i
        if calc is None:
            shown = ", ".join(f'"{c}"' for c in self.columns)
            raise UserError(f'Column "{m.source}" is not in the file; its columns are: {shown}')
        return self._calc_fn(calc, m, dest), None

    def _calc_fn(self, calc: CalculatedField, m: FieldMapping, dest: RecipientField) -> FieldFn:
        self.calculated_destinations.add(dest.name)
        pending = self._pending
        name = dest.name
        compute = compile_calculated(
            calc, self._text_getter, lambda value, msg: pending.append(FieldError(name, value, msg))
        )
        plan = _FieldPlan(dest, ColumnFormat(name=calc.name), m, calc.label or calc.name)
        text_fn = plan.text_fn
        if CalculatedKind(calc.kind) is CalculatedKind.FIXED:
            const = text_fn(calc.body)
            if isinstance(const, Issue):
                shown = calc.label or calc.name
                raise UserError(
                    f"The fixed value '{calc.body}' of calculated field '{shown}' cannot be used "
                    f"for {dest.label}: {const.message}"
                )
            return lambda values: const

        def calculated(values: Sequence[str]) -> object:
            try:
                v = compute(values)
                return text_fn(v if v.__class__ is str else to_text(v))  # type: ignore[arg-type]
            except CalcError as exc:
                return Issue(name, exc.value, exc.code, exc.message, True)
            except ValueError as exc:  # an integer too long to write as text
                message = f"The calculated field '{calc.label or calc.name}' could not be computed: {exc}"
                return Issue(name, "", "calc_error", message, True)

        return calculated

    # --- per line -------------------------------------------------------------------------------

    def convert(self, values: list[str]) -> ConvertedRow:
        """Convert one line's text values (same order as ``columns``); never raises on bad values."""
        if len(values) != self._width:
            values = self._fit(values)
        out: dict[str, object] = {}
        issues: list[Issue] | None = None
        try:
            for dest, fn in self._plan:
                v = fn(values)
                if v.__class__ is Issue:
                    if issues is None:
                        issues = []
                    issues.append(v)  # type: ignore[arg-type]
                else:
                    out[dest] = v
        except (AttributeError, TypeError):
            if all(v.__class__ is str for v in values):
                raise  # a bug, not a value
            # Not text (a spreadsheet number, None): read the values as text, and convert again.
            self._pending.clear()
            return self.convert([_cell_text(v) for v in values])
        if issues is None and not self._pending:
            return ConvertedRow(out, False, "", "", [], [])
        return self._finish(out, issues or [])

    def _fit(self, values: Sequence[str]) -> list[str]:
        """A short line has its missing trailing values empty; extra values are not read."""
        values = list(values)
        if len(values) < self._width:
            return values + [""] * (self._width - len(values))
        return values[: self._width]

    def _finish(self, out: dict[str, object], issues: list[Issue]) -> ConvertedRow:
        errors = [FieldError(i.field, i.value, i.message) for i in issues if i.reject]
        warnings = [FieldError(i.field, i.value, i.message) for i in issues if not i.reject]
        if self._pending:
            warnings.extend(self._pending)
            self._pending.clear()
        if not errors:
            return ConvertedRow(out, False, "", "", [], warnings)
        first = next(i for i in issues if i.reject)
        message = first.message
        if len(errors) > 1:
            more = len(errors) - 1
            message += f" (and {more} more error{'s' if more > 1 else ''} on this line)"
        return ConvertedRow(out, True, first.code, message, errors, warnings)


__all__ = ["ConvertedRow", "RowConverter"]
