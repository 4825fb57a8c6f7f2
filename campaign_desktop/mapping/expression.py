"""The small, safe expression language of calculated fields (spec §4.6, "JavaScript expression").

Users' text is never given to Python's ``eval``, ``exec`` or ``compile``: a tokenizer and a
recursive-descent parser turn it into a tree of closures that can only read the line's columns
and call the functions listed in ``expression_functions.FUNCTIONS``. Nothing else is reachable: there is no
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
other numeric text) and concatenates otherwise, so two text columns are added with
``number([A]) + number([B])``; ``-``, ``*`` and ``/`` want numbers; an empty operand makes an
arithmetic result empty. ``substr`` counts from 1.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from campaign_desktop.domain.errors import UserError
from campaign_desktop.mapping.expression_functions import (
    BINARY_OPERATORS,
    FUNCTIONS,
    KEYWORDS,
    CalcError,
    compare_operator,
    is_empty,
    number,
    to_text,
    truth,
)

Getter = Callable[[Sequence[str]], object]
Resolver = Callable[[str], Getter | None]

MAX_LENGTH = 2000
MAX_NODES = 300
MAX_DEPTH = 40
MAX_NUMBER_DIGITS = 30


class ExpressionError(UserError):
    """A calculated field's expression does not parse (bad syntax, unknown column or function)."""


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
            left = (lambda a, b: lambda v: truth(a(v)) or truth(b(v)))(left, right)
        return left

    def conj(self) -> Getter:
        left = self.negation()
        while self.at_word("and"):
            self.take()
            self.node()
            right = self.negation()
            left = (lambda a, b: lambda v: truth(a(v)) and truth(b(v)))(left, right)
        return left

    def negation(self) -> Getter:
        if self.at_word("not"):
            self.take()
            self.node()
            self.enter()
            inner = self.negation()
            self.depth -= 1
            return lambda v: not truth(inner(v))
        return self.comparison()

    def comparison(self) -> Getter:
        left = self.concat()
        if self.at_op("=", "==", "!=", "<>", "<", ">", "<=", ">="):
            cmp = compare_operator(self.take()[1])
            self.node()
            right = self.concat()
            return lambda v: cmp(left(v), right(v))
        return left

    def _binary_chain(self, ops: tuple[str, ...], operand: Callable[[], Getter]) -> Getter:
        left = operand()
        while self.at_op(*ops):
            fn = BINARY_OPERATORS[self.take()[1]]
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
                return None if is_empty(x) else -number(x, "'-'")

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
            return lambda v: a(v) if truth(c(v)) else b(v)
        if low == "coalesce":

            def coalesce(v: Sequence[str]) -> object:
                for g in args:
                    x = g(v)
                    if not is_empty(x):
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
