"""Values, operators and functions of the calculated fields' expression language.

Column values arrive as text, so the semantics are a marketer's, not Python's: ``+`` adds
numbers (or numeric text) and concatenates text, an empty operand makes an arithmetic result
empty, "0"/"no"/"non" are false, dates compare with ISO text, ``substr`` counts from 1. Every
problem on a line raises CalcError with a sentence; the parser (``expression.py``) decides which
of these functions a user's text can reach.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta

from campaign_desktop.mapping.date_parse import auto_datetime_parser


class CalcError(Exception):
    """A calculated field could not be computed on one line (division by zero, text where a number was due).

    Attributes:
        code: the reject reason code ('calc_error', or 'enum_error' for an enumeration's other cases).
        value: the source text the problem is about, when there is one.
    """

    def __init__(self, message: str, code: str = "calc_error", value: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.value = value


# --- Values --------------------------------------------------------------------------------------

_INT_RE = re.compile(r"[+-]?[0-9]{1,30}")
_FLOAT_RE = re.compile(r"[+-]?[0-9]{0,30}[.,][0-9]{1,30}")
_TRUE_TEXT = frozenset(("1", "true", "yes", "y", "oui", "x", "vrai"))
_FALSE_TEXT = frozenset(("", "0", "false", "no", "n", "non", "faux"))
_parse_datetime = auto_datetime_parser()


def _is_number(v: object) -> bool:
    return (v.__class__ is int) or (v.__class__ is float)


def to_text(v: object) -> str:
    """How a computed value reads as text: numbers without a useless '.0', dates in ISO."""
    if v is None:
        return ""
    if v.__class__ is str:
        return v  # type: ignore[return-value]
    if v is True:
        return "true"
    if v is False:
        return "false"
    if v.__class__ is float:
        f: float = v  # type: ignore[assignment]
        if f.is_integer():
            return str(int(f))
        return repr(f)
    if isinstance(v, datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


def _number_or_none(v: object) -> int | float | None:
    """A number from a value, None when it is not one."""
    if _is_number(v):
        return v  # type: ignore[return-value]
    if v.__class__ is str:
        s = v.strip()  # type: ignore[attr-defined]
        if _INT_RE.fullmatch(s):
            return int(s)
        if _FLOAT_RE.fullmatch(s):
            return float(s.replace(",", "."))
    return None


def number(v: object, what: str) -> int | float:
    n = _number_or_none(v)
    if n is None:
        raise CalcError(f"{what} needs a number, not '{to_text(v)}'")
    return n


def is_empty(v: object) -> bool:
    return v is None or v == ""


def truth(v: object) -> bool:
    if v is None:
        return False
    if v.__class__ is str:
        s = v.strip().casefold()  # type: ignore[attr-defined]
        if s in _FALSE_TEXT:
            return False
        return True
    return bool(v)


def _as_date(v: object) -> date | None:
    if isinstance(v, date):
        return v
    if v.__class__ is str:
        return _parse_datetime(v.strip())  # type: ignore[attr-defined]
    return None


# --- Operators -----------------------------------------------------------------------------------


def _add(a: object, b: object) -> object:
    if _is_number(a) and _is_number(b):
        return a + b  # type: ignore[operator]
    if isinstance(a, date) and _is_number(b):
        return a + timedelta(days=b)  # type: ignore[arg-type]
    if _is_number(a) or _is_number(b):
        if is_empty(a) or is_empty(b):
            return None
        na, nb = _number_or_none(a), _number_or_none(b)
        if na is not None and nb is not None:
            return na + nb
    return to_text(a) + to_text(b)


def _sub(a: object, b: object) -> object:
    if is_empty(a) or is_empty(b):
        return None
    if isinstance(a, date):
        if _is_number(b):
            return a - timedelta(days=b)  # type: ignore[arg-type]
        db = _as_date(b)
        if db is not None:
            da = a.date() if isinstance(a, datetime) else a
            return (da - (db.date() if isinstance(db, datetime) else db)).days
    return number(a, "'-'") - number(b, "'-'")


def _mul(a: object, b: object) -> object:
    if is_empty(a) or is_empty(b):
        return None
    return number(a, "'*'") * number(b, "'*'")


def _div(a: object, b: object) -> object:
    if is_empty(a) or is_empty(b):
        return None
    d = number(b, "'/'")
    if d == 0:
        raise CalcError("division by zero")
    return number(a, "'/'") / d


def _comparable(a: object, b: object) -> tuple[object, object]:
    a = "" if a is None else a
    b = "" if b is None else b
    if _is_number(a) or _is_number(b):
        na, nb = _number_or_none(a), _number_or_none(b)
        if na is not None and nb is not None:
            return na, nb
    elif isinstance(a, date) or isinstance(b, date):
        da, db = _as_date(a), _as_date(b)
        if da is not None and db is not None:
            if isinstance(da, datetime) != isinstance(db, datetime):
                da = da if isinstance(da, datetime) else datetime(da.year, da.month, da.day)
                db = db if isinstance(db, datetime) else datetime(db.year, db.month, db.day)
            return da, db
    return to_text(a), to_text(b)


def compare_operator(op: str) -> Callable[[object, object], bool]:
    fn = {
        "=": operator.eq,
        "==": operator.eq,
        "!=": operator.ne,
        "<>": operator.ne,
        "<": operator.lt,
        ">": operator.gt,
        "<=": operator.le,
        ">=": operator.ge,
    }[op]

    def compare(a: object, b: object) -> bool:
        x, y = _comparable(a, b)
        return bool(fn(x, y))

    return compare


BINARY_OPERATORS: dict[str, Callable[[object, object], object]] = {
    "+": _add,
    "-": _sub,
    "*": _mul,
    "/": _div,
    "&": lambda a, b: to_text(a) + to_text(b),
}


# --- Functions (arguments arrive evaluated, except for if() and coalesce()) -------------------------


def _int_arg(v: object, fn: str) -> int:
    n = number(v, f"{fn}()")
    if n != n or n in (float("inf"), float("-inf")):
        raise CalcError(f"{fn}() needs a finite number")
    return max(0, int(n))


def _substr(s: object, start: object, length: object = None) -> str:
    text = to_text(s)
    i = max(1, _int_arg(start, "substr")) - 1
    if length is None:
        return text[i:]
    return text[i : i + _int_arg(length, "substr")]


def _right(s: object, n: object) -> str:
    k = _int_arg(n, "right")
    text = to_text(s)
    return text[len(text) - k :] if k else ""


def _date_part(part: str) -> Callable[[object], object]:
    def get(v: object) -> object:
        if is_empty(v):
            return None
        d = _as_date(v)
        if d is None:
            raise CalcError(f"{part}() needs a date, not '{to_text(v)}'")
        return getattr(d, part)

    return get


def _replace(s: object, old: object, new: object) -> str:
    a = to_text(old)
    return to_text(s).replace(a, to_text(new)) if a else to_text(s)


FUNCTIONS: dict[str, tuple[int, int, Callable[..., object]]] = {
    # name: (min args, max args, function)
    "upper": (1, 1, lambda s: to_text(s).upper()),
    "lower": (1, 1, lambda s: to_text(s).lower()),
    "trim": (1, 1, lambda s: to_text(s).strip()),
    "left": (2, 2, lambda s, n: to_text(s)[: _int_arg(n, "left")]),
    "right": (2, 2, _right),
    "len": (1, 1, lambda s: len(to_text(s))),
    "number": (1, 1, lambda s: None if is_empty(s) else number(s, "number()")),  # number([A]) + number([B])
    "concat": (1, 50, lambda *a: "".join(to_text(v) for v in a)),
    "replace": (3, 3, _replace),
    "substr": (2, 3, _substr),
    "today": (0, 0, lambda: date.today()),
    "year": (1, 1, _date_part("year")),
    "month": (1, 1, _date_part("month")),
    "day": (1, 1, _date_part("day")),
    "if": (3, 3, lambda c, a, b: a if truth(c) else b),  # compiled lazily, see _call
    "coalesce": (1, 50, lambda *a: next((v for v in a if not is_empty(v)), None)),  # lazy too
}
KEYWORDS = frozenset(("and", "or", "not", "true", "false", "null"))


__all__ = [
    "FUNCTIONS",
    "KEYWORDS",
    "BINARY_OPERATORS",
    "CalcError",
    "compare_operator",
    "is_empty",
    "number",
    "to_text",
    "truth",
]
