"""One mapped field, compiled: the pipeline from a source text to a recipient value (spec §4.5, §8).

``FieldPlan`` reads a column format, the destination field and the mapping once and builds the
closure the converter calls on every line: trim -> empty rule -> remapping -> conversion to the
destination's type (the column's declared type is checked too; closed enumerations, emails and
country codes have their own parsers) -> case transform (the column's, then the mapping's) ->
maximum length. A failure goes through the column's *Error processing*: an ``Issue`` that
rejects the line, an ``Issue`` that only warns (the value is left out), or the default value.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from campaign_desktop.domain.errors import UserError
from campaign_desktop.domain.recipient_fields import FieldType, RecipientField
from campaign_desktop.domain.template import ColumnFormat, EmptyRule, FieldMapping, OnError, Transform
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

FieldFn = Callable[[Sequence[str]], object]


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


DATE_FORM_CACHE = 100_000  # distinct date texts remembered per field (a century of days is 36,525)


def _in_form(parse: Parser, form: Callable[[object], object]) -> Parser:
    """``parse`` giving dates in the database's storage form (SQLite: ISO text), remembered per text."""
    cache: dict[str, object] = {}
    cache_get = cache.get

    def parse_in_form(s: str) -> object:
        v = cache_get(s)
        if v is not None:
            return v
        v = parse(s)
        if v.__class__ is Bad:
            return v
        v = form(v)
        if len(cache) < DATE_FORM_CACHE:
            cache[s] = v
        return v

    parse_in_form.lookup = cache_get  # type: ignore[attr-defined]  # for whole columns (mapping/columns.py)
    return parse_in_form


class FieldPlan:
    """Everything one mapped field needs, compiled; ``text_fn`` converts one text value."""

    def __init__(self, dest: RecipientField, fmt: ColumnFormat, mapping: FieldMapping, column: str,
                 date_form: Callable[[object], object] | None = None) -> None:
        self.dest = dest
        self.fmt = fmt
        self.column = column
        self.parse = _destination_parser(dest, fmt)
        if date_form is not None and self.parse is not None and dest.type in _DATES:
            self.parse = _in_form(self.parse, date_form)
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


__all__ = ["FieldFn", "FieldPlan", "Issue"]
