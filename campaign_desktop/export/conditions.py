"""The export filter: a condition tree compiled to a parameterised SQLAlchemy WHERE clause.

Users' values only ever become bound parameters; field names are looked up in the recipient
catalogue and never pasted into SQL. So a value like ``x' OR 1=1 --`` is just a value, and an
unknown field or operator is a sentence for the user rather than a database error. The same
tree reads back as a plain-language summary ("City equals 'Paris' and ...") for the wizard.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, not_, or_, select, true

from campaign_desktop.domain.errors import UserError
from campaign_desktop.domain.recipient_fields import DENYLIST_FIELDS, FIELDS_BY_NAME, FieldType, RecipientField
from campaign_desktop.domain.template import Condition
from campaign_desktop.storage.schema import list_members, lists, recipients, services, subscriptions


@dataclass(frozen=True)
class Operator:
    """An operator as the filter builder offers it: internal name, label, and what value it wants."""

    name: str
    label: str
    value: str  # "none" | "one" | "list" | "days" | "name"
    needs_field: bool = True


OPERATORS: tuple[Operator, ...] = (
    Operator("equals", "equal to", "one"),
    Operator("not_equals", "not equal to", "one"),
    Operator("contains", "contains", "one"),
    Operator("starts_with", "starts with", "one"),
    Operator("in", "is included in", "list"),
    Operator("is_empty", "is empty", "none"),
    Operator("is_not_empty", "is not empty", "none"),
    Operator("before", "before", "one"),
    Operator("on_or_before", "on or before", "one"),
    Operator("after", "after", "one"),
    Operator("on_or_after", "on or after", "one"),
    Operator("in_last_days", "in the last N days", "days"),
    Operator("denylisted", "is on the denylist", "none", needs_field=False),
    Operator("not_denylisted", "is not on the denylist", "none", needs_field=False),
    Operator("member_of", "is a member of the list", "name", needs_field=False),
    Operator("subscribed_to", "is subscribed to the service", "name", needs_field=False),
)
OPERATORS_BY_NAME = {o.name: o for o in OPERATORS}
GROUPS = ("and", "or")
_DATE_OPS = ("before", "on_or_before", "after", "on_or_after", "in_last_days")
_TEXT_OPS = ("contains", "starts_with")


def compile_condition(cond: Condition | None, *, today: datetime | None = None) -> ColumnElement[bool]:
    """The WHERE clause of ``cond`` over the ``recipients`` table (true when there is no filter).

    Args:
        cond: the root of the tree; an empty group matches everyone.
        today: "now" for relative dates (tests pass a fixed one).

    Raises:
        UserError: an unknown field or operator, or a value that does not fit the field.
    """
    if cond is None:
        return true()
    return _Compiler(today or datetime.now()).node(cond, "Filter")


def condition_problems(cond: Condition | None) -> list[str]:
    """What stops the filter from compiling, for the wizard and the CLI (empty: it runs)."""
    try:
        compile_condition(cond)
    except UserError as exc:
        return [str(exc)]
    return []


class _Compiler:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def node(self, c: Condition, where: str) -> ColumnElement[bool]:
        op = (c.op or "").strip().lower()
        if op in GROUPS:
            prefix = "Condition " if where == "Filter" else f"{where}."
            parts = [self.node(child, f"{prefix}{i + 1}") for i, child in enumerate(c.children)]
            if not parts:
                return true()
            return and_(*parts) if op == "and" else or_(*parts)
        spec = OPERATORS_BY_NAME.get(op)
        if spec is None:
            known = ", ".join([*GROUPS, *OPERATORS_BY_NAME])
            raise UserError(f"{where}: '{c.op}' is not a filter operator (known: {known})")
        if not spec.needs_field:
            return self.special(op, c, where)
        f = _field(c.field, where)
        col = recipients.c[f.name]
        builder: Callable[..., ColumnElement[bool]] = getattr(self, "op_" + op)
        return builder(f, col, c.value, where)

    # --- operators on a field ------------------------------------------------------------------

    def op_equals(self, f: RecipientField, col: Any, value: Any, where: str) -> ColumnElement[bool]:
        v = coerce_value(f, value, where)
        return col.is_(None) if v is None else col == v

    def op_not_equals(self, f: RecipientField, col: Any, value: Any, where: str) -> ColumnElement[bool]:
        v = coerce_value(f, value, where)
        if v is None:
            return col.is_not(None)
        return or_(col != v, col.is_(None))  # "city is not Paris" includes recipients without a city

    def op_contains(self, f: RecipientField, col: Any, value: Any, where: str) -> ColumnElement[bool]:
        return col.icontains(self._text(f, value, where), autoescape=True)

    def op_starts_with(self, f: RecipientField, col: Any, value: Any, where: str) -> ColumnElement[bool]:
        return col.istartswith(self._text(f, value, where), autoescape=True)

    def op_in(self, f: RecipientField, col: Any, value: Any, where: str) -> ColumnElement[bool]:
        items = value if isinstance(value, list) else [p.strip() for p in str(value or "").split(",")]
        wanted = [coerce_value(f, v, where) for v in items if str(v).strip() != ""]
        if not wanted:
            raise UserError(f"{where}: '{f.label}' is included in: give at least one value")
        return col.in_(wanted)

    def op_is_empty(self, f: RecipientField, col: Any, value: Any, where: str) -> ColumnElement[bool]:
        return or_(col.is_(None), col == "") if f.type is FieldType.TEXT else col.is_(None)

    def op_is_not_empty(self, f: RecipientField, col: Any, value: Any, where: str) -> ColumnElement[bool]:
        return not_(self.op_is_empty(f, col, value, where))

    def op_before(self, f: RecipientField, col: Any, value: Any, where: str) -> ColumnElement[bool]:
        return col < self._day(f, value, where)[0]

    def op_on_or_before(self, f: RecipientField, col: Any, value: Any, where: str) -> ColumnElement[bool]:
        start, end = self._day(f, value, where)
        return col < end if f.type is FieldType.DATETIME else col <= start

    def op_after(self, f: RecipientField, col: Any, value: Any, where: str) -> ColumnElement[bool]:
        start, end = self._day(f, value, where)
        return col >= end if f.type is FieldType.DATETIME else col > start

    def op_on_or_after(self, f: RecipientField, col: Any, value: Any, where: str) -> ColumnElement[bool]:
        return col >= self._day(f, value, where)[0]

    def op_in_last_days(self, f: RecipientField, col: Any, value: Any, where: str) -> ColumnElement[bool]:
        self._need_date(f, where)
        try:
            days = int(str(value).strip())
        except ValueError:
            raise UserError(f"{where}: 'in the last N days' needs a whole number of days, not {value!r}") from None
        if days < 0:
            raise UserError(f"{where}: the number of days cannot be negative")
        if f.type is FieldType.DATE:
            return col >= self.now.date() - timedelta(days=days)
        return col >= self.now - timedelta(days=days)

    # --- operators without a field -----------------------------------------------------------

    def special(self, op: str, c: Condition, where: str) -> ColumnElement[bool]:
        if op in ("denylisted", "not_denylisted"):
            flags = [c.field] if c.field else list(DENYLIST_FIELDS)
            for name in flags:
                if name not in DENYLIST_FIELDS:
                    raise UserError(f"{where}: '{name}' is not a denylist flag (one of {', '.join(DENYLIST_FIELDS)})")
            on = or_(*(recipients.c[n] == true() for n in flags))
            return on if op == "denylisted" else not_(on)
        name = str(c.value or "").strip()
        if not name:
            what = "list" if op == "member_of" else "service"
            raise UserError(f"{where}: choose the {what}")
        if op == "member_of":
            return exists(
                select(list_members.c.recipient_id).join(lists, lists.c.id == list_members.c.list_id)
                .where(list_members.c.recipient_id == recipients.c.id, or_(lists.c.name == name, lists.c.label == name))
            )
        return exists(
            select(subscriptions.c.recipient_id).join(services, services.c.id == subscriptions.c.service_id)
            .where(subscriptions.c.recipient_id == recipients.c.id,
                   or_(services.c.name == name, services.c.label == name))
        )

    # --- values ------------------------------------------------------------------------------

    @staticmethod
    def _text(f: RecipientField, value: Any, where: str) -> str:
        if f.type is not FieldType.TEXT:
            raise UserError(f"{where}: 'contains' and 'starts with' apply to text fields; '{f.label}' is not text")
        text = "" if value is None else str(value)
        if not text:
            raise UserError(f"{where}: give the text to look for in '{f.label}'")
        return text

    @staticmethod
    def _need_date(f: RecipientField, where: str) -> None:
        if f.type not in (FieldType.DATE, FieldType.DATETIME):
            raise UserError(f"{where}: date comparisons apply to date fields; '{f.label}' is not a date")

    def _day(self, f: RecipientField, value: Any, where: str) -> tuple[Any, Any]:
        """The first instant of the given day and of the day after (dates: the day itself twice)."""
        self._need_date(f, where)
        d = _parse_date(value, where)
        if f.type is FieldType.DATE:
            return d, d
        start = datetime(d.year, d.month, d.day)
        return start, start + timedelta(days=1)


def _field(name: str, where: str) -> RecipientField:
    f = FIELDS_BY_NAME.get((name or "").strip())
    if f is None:
        raise UserError(f"{where}: '{name}' is not a recipient field (e.g. email, city, birth_date)")
    return f


def _parse_date(value: Any, where: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        raise UserError(f"{where}: '{text}' is not a date (write it YYYY-MM-DD, e.g. 2024-01-31)") from None


_TRUE = ("1", "true", "yes", "y", "oui", "x")
_FALSE = ("0", "false", "no", "n", "non", "")


def coerce_value(f: RecipientField, value: Any, where: str) -> Any:
    """A filter value as the field's type, so the database compares like with like.

    Enumerations take their label ('Female') or internal value (2); None means "no value".
    """
    if value is None:
        return None
    if f.type is FieldType.TEXT:
        return str(value)
    text = str(value).strip()
    if f.type is FieldType.INTEGER:
        for v, label in f.enum.items():
            if text.casefold() == label.casefold():
                return v
        try:
            return int(text)
        except ValueError:
            raise UserError(f"{where}: '{f.label}' holds whole numbers, not {text!r}") from None
    if f.type is FieldType.DECIMAL:
        try:
            return float(text.replace(",", "."))
        except ValueError:
            raise UserError(f"{where}: '{f.label}' holds numbers, not {text!r}") from None
    if f.type is FieldType.BOOLEAN:
        if isinstance(value, bool):
            return value
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise UserError(f"{where}: '{f.label}' is yes or no, not {text!r}")
    if f.type is FieldType.DATE:
        return _parse_date(value, where)
    try:
        return value if isinstance(value, datetime) else datetime.fromisoformat(text)
    except ValueError:
        raise UserError(f"{where}: '{text}' is not a date and time (YYYY-MM-DD hh:mm:ss)") from None


def describe_condition(cond: Condition | None) -> str:
    """A plain-language summary: "City equal to 'Paris' and (Gender equal to 'Female' or ...)"."""
    if cond is None or (cond.op in GROUPS and not cond.children):
        return "All recipients"
    return _describe(cond, top=True)


def _describe(c: Condition, top: bool = False) -> str:
    if c.op in GROUPS:
        inner = f" {c.op} ".join(_describe(ch) for ch in c.children) or "everyone"
        return inner if top or len(c.children) < 2 else f"({inner})"
    spec = OPERATORS_BY_NAME.get(c.op)
    label = spec.label if spec else c.op
    f = FIELDS_BY_NAME.get(c.field)
    subject = f.label if f else (c.field or "Recipient")
    if spec is None or spec.value == "none":
        return f"{subject} {label}"
    value = ", ".join(map(str, c.value)) if isinstance(c.value, list) else str(c.value)
    if spec.value == "days":
        return f"{subject} in the last {value} day(s)"
    return f"{subject} {label} '{value}'"


__all__ = ["OPERATORS", "OPERATORS_BY_NAME", "Operator", "coerce_value", "compile_condition",
           "condition_problems", "describe_condition"]
