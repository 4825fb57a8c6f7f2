"""The small, safe expression language of calculated fields (spec §4.6, "JavaScript expression").

Users' text is never given to Python's ``eval``, ``exec`` or ``compile``: a tokenizer and a
recursive-descent parser turn it into a tree of closures that can only read the line's columns
and call the functions listed in ``FUNCTIONS``. Nothing else is reachable: there is no
attribute access, no indexing, no assignment, no import.

Grammar (lowest precedence first)::

    expr    := and ('or' and)*
    and     := not ('and' not)*
    not     := 'not' not | compare
    compare := concat (('=' | '==' | '!=' | '<>' | '<' | '>' | '<=' | '>=') concat)?
    concat  := sum ('&' sum)*
    sum     := product (('+' | '-') product)*
    product := unary (('*' | '/') unary)*
    unary   := ('-' | '+') unary | primary
    primary := NUMBER | STRING | true | false | null | [Column name] | name | name '(' args ')' | '(' expr ')'

Strings use single or double quotes; a doubled quote inside is one quote ('O''Neil').
Column values are text; ``+`` adds when both sides are numbers (or one is a number and the
other numeric text) and concatenates otherwise; ``-``, ``*`` and ``/`` want numbers; an empty
operand makes an arithmetic result empty. ``substr`` counts from 1.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta

from campaign_desktop.domain.errors import UserError
from campaign_desktop.mapping.date_parse import auto_datetime_parser

Getter = Callable[[Sequence[str]], object]
Resolver = Callable[[str], Getter | None]

MAX_LENGTH = 2000
MAX_NODES = 300
MAX_DEPTH = 40
MAX_NUMBER_DIGITS = 30


class ExpressionError(UserError):
    """A calculated field's expression does not parse (bad syntax, unknown column or function)."""


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


def _number(v: object, what: str) -> int | float:
    n = _number_or_none(v)
    if n is None:
        raise CalcError(f"{what} needs a number, not '{to_text(v)}'")
    return n


def _empty(v: object) -> bool:
    return v is None or v == ""


def _truth(v: object) -> bool:
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
        if _empty(a) or _empty(b):
            return None
        na, nb = _number_or_none(a), _number_or_none(b)
        if na is not None and nb is not None:
            return na + nb
    return to_text(a) + to_text(b)


def _sub(a: object, b: object) -> object:
    if _empty(a) or _empty(b):
        return None
    if isinstance(a, date):
        if _is_number(b):
            return a - timedelta(days=b)  # type: ignore[arg-type]
        db = _as_date(b)
        if db is not None:
            da = a.date() if isinstance(a, datetime) else a
            return (da - (db.date() if isinstance(db, datetime) else db)).days
    return _number(a, "'-'") - _number(b, "'-'")


def _mul(a: object, b: object) -> object:
    if _empty(a) or _empty(b):
        return None
    return _number(a, "'*'") * _number(b, "'*'")


def _div(a: object, b: object) -> object:
    if _empty(a) or _empty(b):
        return None
    d = _number(b, "'/'")
    if d == 0:
        raise CalcError("division by zero")
    return _number(a, "'/'") / d


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


def _compare(op: str) -> Callable[[object, object], bool]:
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


_BINARY: dict[str, Callable[[object, object], object]] = {
    "+": _add,
    "-": _sub,
    "*": _mul,
    "/": _div,
    "&": lambda a, b: to_text(a) + to_text(b),
}


# --- Functions (arguments arrive evaluated, except for if() and coalesce()) -------------------------


def _int_arg(v: object, fn: str) -> int:
    n = _number(v, f"{fn}()")
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
        if _empty(v):
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
    "concat": (1, 50, lambda *a: "".join(to_text(v) for v in a)),
    "replace": (3, 3, _replace),
    "substr": (2, 3, _substr),
    "today": (0, 0, lambda: date.today()),
    "year": (1, 1, _date_part("year")),
    "month": (1, 1, _date_part("month")),
    "day": (1, 1, _date_part("day")),
    "if": (3, 3, lambda c, a, b: a if _truth(c) else b),  # compiled lazily, see _call
    "coalesce": (1, 50, lambda *a: next((v for v in a if not _empty(v)), None)),  # lazy too
}
KEYWORDS = frozenset(("and", "or", "not", "true", "false", "null"))


# --- Tokenizer -----------------------------------------------------------------------------------

_TOKEN_RE = re.compile(
    r"""\s*(?:
        (?P<num>[0-9]+(?:\.[0-9]+)?)
      | (?P<str>'(?:[^']|'')*'|"(?:[^"]|"")*")
      | (?P<ref>\[[^\]]*\])
      | (?P<name>[^\W\d]\w*)
      | (?P<op><=|>=|<>|!=|==|[-+*/&=<>(),])
    )""",
    re.VERBOSE,
)


def tokenize(text: str) -> list[tuple[str, str, int]]:
    """[(kind, text, position)], ending with ('end', '', len(text))."""
    tokens: list[tuple[str, str, int]] = []
    pos, n = 0, len(text)
    while True:
        while pos < n and text[pos].isspace():
            pos += 1
        if pos >= n:
            break
        m = _TOKEN_RE.match(text, pos)
        if m is None or m.lastgroup is None:
            ch = text[pos]
            hint = " (quote text with ' or \")" if ch in "'\"" else ""
            raise ExpressionError(f"unexpected character '{ch}' at position {pos + 1}{hint}")
        kind = m.lastgroup
        tokens.append((kind, m.group(kind), m.start(kind)))
        pos = m.end()
    tokens.append(("end", "", n))
    return tokens


# --- Parser, compiling to closures as it goes ----------------------------------------------------


class _Parser:
    def __init__(self, text: str, resolve: Resolver) -> None:
        self.tokens = tokenize(text)
        self.i = 0
        self.resolve = resolve
        self.depth = 0
        self.nodes = 0
        self.references: list[str] = []

    # helpers
    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.i]

    def take(self) -> tuple[str, str, int]:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def at_op(self, *ops: str) -> bool:
        kind, text, _ = self.tokens[self.i]
        return kind == "op" and text in ops

    def at_word(self, word: str) -> bool:
        kind, text, _ = self.tokens[self.i]
        return kind == "name" and text.lower() == word

    def expect(self, op: str) -> None:
        kind, text, pos = self.take()
        if kind != "op" or text != op:
            got = "the end" if kind == "end" else f"'{text}'"
            raise ExpressionError(f"expected '{op}' at position {pos + 1}, found {got}")

    def node(self) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise ExpressionError(f"the expression is too long (at most {MAX_NODES} parts)")

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(f"the expression is nested too deeply (at most {MAX_DEPTH} levels)")

    # grammar
    def parse(self) -> Getter:
        fn = self.expr()
        kind, text, pos = self.peek()
        if kind != "end":
            raise ExpressionError(f"unexpected '{text}' at position {pos + 1}")
        return fn

    def expr(self) -> Getter:
        left = self.conj()
        while self.at_word("or"):
            self.take()
            self.node()
            right = self.conj()
            left = (lambda a, b: lambda v: _truth(a(v)) or _truth(b(v)))(left, right)
        return left

    def conj(self) -> Getter:
        left = self.negation()
        while self.at_word("and"):
            self.take()
            self.node()
            right = self.negation()
            left = (lambda a, b: lambda v: _truth(a(v)) and _truth(b(v)))(left, right)
        return left

    def negation(self) -> Getter:
        if self.at_word("not"):
            self.take()
            self.node()
            self.enter()
            inner = self.negation()
            self.depth -= 1
            return lambda v: not _truth(inner(v))
        return self.comparison()

    def comparison(self) -> Getter:
        left = self.concat()
        if self.at_op("=", "==", "!=", "<>", "<", ">", "<=", ">="):
            cmp = _compare(self.take()[1])
            self.node()
            right = self.concat()
            return lambda v: cmp(left(v), right(v))
        return left

    def _binary_chain(self, ops: tuple[str, ...], operand: Callable[[], Getter]) -> Getter:
        left = operand()
        while self.at_op(*ops):
            fn = _BINARY[self.take()[1]]
            self.node()
            right = operand()
            left = (lambda f, a, b: lambda v: f(a(v), b(v)))(fn, left, right)
        return left

    def concat(self) -> Getter:
        return self._binary_chain(("&",), self.sum)

    def sum(self) -> Getter:
        return self._binary_chain(("+", "-"), self.product)

    def product(self) -> Getter:
        return self._binary_chain(("*", "/"), self.unary)

    def unary(self) -> Getter:
        if self.at_op("-", "+"):
            op = self.take()[1]
            self.node()
            self.enter()
            inner = self.unary()
            self.depth -= 1
            if op == "+":
                return inner

            def negate(v: Sequence[str]) -> object:
                x = inner(v)
                return None if _empty(x) else -_number(x, "'-'")

            return negate
        return self.primary()

    def primary(self) -> Getter:
        kind, text, pos = self.take()
        self.node()
        if kind == "num":
            digits = text.replace(".", "")
            if len(digits) > MAX_NUMBER_DIGITS:
                raise ExpressionError(f"the number at position {pos + 1} is too long")
            const: object = float(text) if "." in text else int(text)
            return lambda v: const
        if kind == "str":
            q = text[0]
            s = text[1:-1].replace(q + q, q)
            return lambda v: s
        if kind == "ref":
            return self.column(text[1:-1].strip(), pos)
        if kind == "name":
            low = text.lower()
            if low in ("true", "false", "null"):
                value = {"true": True, "false": False, "null": None}[low]
                return lambda v: value
            if low in KEYWORDS:
                raise ExpressionError(f"unexpected '{text}' at position {pos + 1}")
            if self.at_op("("):
                return self.call(low, text, pos)
            return self.column(text, pos)
        if kind == "op" and text == "(":
            self.enter()
            inner = self.expr()
            self.expect(")")
            self.depth -= 1
            return inner
        found = "the end of the expression" if kind == "end" else f"'{text}'"
        raise ExpressionError(f"expected a value at position {pos + 1}, found {found}")

    def column(self, name: str, pos: int) -> Getter:
        getter = self.resolve(name)
        if getter is None:
            raise ExpressionError(
                f"unknown column '{name}' at position {pos + 1} (write column names with "
                "spaces in square brackets, like [Last name])"
            )
        self.references.append(name)
        return getter

    def call(self, low: str, name: str, pos: int) -> Getter:
        spec = FUNCTIONS.get(low)
        if spec is None:
            raise ExpressionError(
                f"unknown function '{name}' at position {pos + 1} (known: {', '.join(sorted(FUNCTIONS))})"
            )
        self.expect("(")
        self.enter()
        args: list[Getter] = []
        if not self.at_op(")"):
            args.append(self.expr())
            while self.at_op(","):
                self.take()
                args.append(self.expr())
        self.expect(")")
        self.depth -= 1
        lo, hi, fn = spec
        if not lo <= len(args) <= hi:
            want = str(lo) if lo == hi else f"{lo} to {hi}"
            raise ExpressionError(f"{low}() takes {want} argument{'s' if hi != 1 else ''}, not {len(args)}")
        if low == "if":
            c, a, b = args
            return lambda v: a(v) if _truth(c(v)) else b(v)
        if low == "coalesce":

            def coalesce(v: Sequence[str]) -> object:
                for g in args:
                    x = g(v)
                    if not _empty(x):
                        return x
                return None

            return coalesce
        if not args:
            return lambda v: fn()
        if len(args) == 1:
            a0 = args[0]
            return lambda v: fn(a0(v))
        return lambda v: fn(*[g(v) for g in args])


class CompiledExpression:
    """A parsed expression: call it with a line's values; ``references`` names the columns it reads."""

    __slots__ = ("text", "references", "_fn")

    def __init__(self, text: str, fn: Getter, references: list[str]) -> None:
        self.text = text
        self._fn = fn
        self.references = references

    def __call__(self, values: Sequence[str]) -> object:
        """Evaluate on one line.

        Raises:
            CalcError: the value cannot be computed on this line (with a sentence saying why).
        """
        try:
            return self._fn(values)
        except CalcError:
            raise
        except (ArithmeticError, ValueError, TypeError, RecursionError) as exc:
            raise CalcError(str(exc) or exc.__class__.__name__) from None


def compile_expression(text: str, resolve: Resolver) -> CompiledExpression:
    """Parse ``text`` into a CompiledExpression.

    Args:
        text: the expression the user typed.
        resolve: column name -> getter of that column's (trimmed) text in a line, or None when
            there is no such column.

    Raises:
        ExpressionError: the text does not parse; the message says where and why.
    """
    if not isinstance(text, str):
        raise ExpressionError("the expression must be text")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"the expression is too long (at most {MAX_LENGTH} characters)")
    if not text.strip():
        raise ExpressionError("the expression is empty")
    parser = _Parser(text, resolve)
    try:
        fn = parser.parse()
    except RecursionError:  # pragma: no cover - MAX_DEPTH keeps well under the limit
        raise ExpressionError("the expression is nested too deeply") from None
    return CompiledExpression(text, fn, parser.references)


__all__ = [
    "CalcError",
    "CompiledExpression",
    "ExpressionError",
    "FUNCTIONS",
    "compile_expression",
    "to_text",
    "tokenize",
]
