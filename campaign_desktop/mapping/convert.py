"""A source line's text values -> typed recipient field values (spec §4.5 column formats, §4.6 mapping).

``RowConverter`` reads the template once and compiles every mapped field into one small
closure ``field(values) -> value | Issue``; ``convert`` then only loops over those closures. On
a good line nothing is looked up in the settings, no regex is compiled and no exception is
raised, because this runs a million times per import (target: a few microseconds per line).

Per field, in this order: trim -> empty rule -> remapping -> conversion to the destination's
type (the column's own declared type is checked too) -> closed enumerations -> case transform
(the column's, then the mapping's) -> maximum length. A value that fails is handled by the
column's *Error processing*: reject the line, ignore the value with a warning, or use the
column's default value (converted once, up front). The per-field compilation lives in
``field_plan.py``; this module strings the fields of a mapping together.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from campaign_desktop.domain.errors import UserError
from campaign_desktop.domain.job import FieldError
from campaign_desktop.domain.recipient_fields import FIELDS_BY_NAME, RecipientField
from campaign_desktop.domain.template import (
    CalculatedField,
    CalculatedKind,
    ColumnFormat,
    FieldMapping,
    ImportSettings,
)
from campaign_desktop.mapping.calculated import compile_calculated
from campaign_desktop.mapping.expression import CalcError, Getter, to_text
from campaign_desktop.mapping.field_plan import FieldFn, FieldPlan, Issue
from campaign_desktop.mapping.guess import guess_mapping

log = logging.getLogger(__name__)


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
    Everything that can be wrong with the template itself is found here, as a UserError: a source
    that is not a column, a destination that is not an importable field, two sources for one
    field, an unusable date format or default value, a calculated field that does not parse.

    Attributes:
        destinations: the destination fields produced, in mapping order.
        mapped_sources: per destination, its source column's label (also when the mapping says '#N'),
            or the calculated field as the mapping names it; ``mapping`` keeps the sources as written.
        source_columns: per destination, the 0-based source column, or None for a calculated field.
        calculated_destinations: destinations fed by calculated fields (never usable as keys).
        mapping: the mappings in use (the guessed ones when the template had none).
    """

    def __init__(
        self, columns: list[str], settings: ImportSettings, column_formats: list[ColumnFormat] | None = None,
        *, date_form: Callable[[object], object] | None = None,
    ) -> None:
        self.columns = list(columns)
        self._date_form = date_form  # dates in the database's storage form (the import), else date objects
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
            ignored = {i for i, f in enumerate(self.formats) if f.ignore}
            mapping = [m for m in guess_mapping(self.columns) if self._column_index(m.source) not in ignored]
            log.debug("Guessed mapping: %s", ", ".join(f"{m.source} -> {m.destination}" for m in mapping))
        self.mapping = mapping
        self.destinations: list[str] = []
        self.mapped_sources: list[str] = []
        self.source_columns: list[int | None] = []
        self.calculated_destinations: set[str] = set()
        self.field_plans: list[FieldPlan | None] = []  # per destination; None: a calculated field
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
            fn, index, field_plan = self._field_fn(m, dest)
            plan.append((dest.name, fn))
            self.field_plans.append(field_plan)
            self.source_columns.append(index)
            self.destinations.append(dest.name)
            self.mapped_sources.append(self.columns[index] if index is not None else m.source)
        self._plan = tuple(plan)
        self._fns = tuple(fn for _, fn in plan)

    # --- construction -------------------------------------------------------------------------

    def _formats(self, given: list[ColumnFormat] | None, settings: ImportSettings) -> list[ColumnFormat]:
        """One format per source column.

        A format names its column (``name``, else ``label``), which wins: a template's formats still
        apply when next month's file has its columns in another order, or only some of them. A
        column no format names takes the format at its position when the list has one per column
        (formats detected from the file), else the default format.
        """
        formats = settings.file_format.columns if given is None else given
        by_name = {f.name: f for f in formats if f.name}
        by_label = {f.label: f for f in formats if f.label}
        positional = given is not None and len(given) == len(self.columns)
        out = []
        for i, c in enumerate(self.columns):
            f = by_name.get(c) or by_label.get(c)
            if f is None:
                f = formats[i] if positional else ColumnFormat(name=c)
            out.append(f)
        return out

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

    def _field_fn(self, m: FieldMapping, dest: RecipientField) -> tuple[FieldFn, int | None, FieldPlan | None]:
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
            field_plan = FieldPlan(dest, fmt, m, self.columns[i], self._date_form)
            return field_plan.row_fn(i), i, field_plan
        if calc is None:
            shown = ", ".join(f'"{c}"' for c in self.columns)
            raise UserError(f'Column "{m.source}" is not in the file; its columns are: {shown}')
        return self._calc_fn(calc, m, dest), None, None

    def _calc_fn(self, calc: CalculatedField, m: FieldMapping, dest: RecipientField) -> FieldFn:
        self.calculated_destinations.add(dest.name)
        pending = self._pending
        name = dest.name
        compute = compile_calculated(
            calc, self._text_getter, lambda value, msg: pending.append(FieldError(name, value, msg))
        )
        plan = FieldPlan(dest, ColumnFormat(name=calc.name), m, calc.label or calc.name, self._date_form)
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

    def convert_row(self, values: list[str]) -> list[object] | None:
        """The fast path of ``convert``: the values in ``destinations`` order, or None.

        None means "not a plain line": a field failed or warned, the line is ragged, or a value is
        not text; ``convert`` then says what happened. On a clean line (nearly all of them) this
        saves the dict and the result object, which a million-line import feels.
        """
        if len(values) != self._width:
            return None
        try:
            row = [fn(values) for fn in self._fns]
        except (AttributeError, TypeError):
            self._pending.clear()
            return None
        if self._pending:
            self._pending.clear()
            return None
        if Issue in map(type, row):
            return None
        return row

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
