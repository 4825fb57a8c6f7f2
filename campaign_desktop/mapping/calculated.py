"""Calculated fields (spec §4.6): virtual source columns computed from the line.

Four kinds, as in Campaign's "Import calculated field definition" dialog:

* FIXED: the same text on every line (a marker such as "yes").
* TEMPLATE: text with ``{Column}`` placeholders ("{First name} {Last name}"); ``{{`` and ``}}``
  write a literal brace. It replaces Campaign's "String with JavaScript tags".
* EXPRESSION: the safe expression language of ``expression.py`` (Campaign's "JavaScript
  expression"), never Python eval.
* ENUMERATION: a source column's value looked up in a table, with Campaign's "For the other
  cases" policy: keep the value, use a fixed value, keep it with a warning, or reject the line.

``compile_calculated`` turns one definition into ``compute(values) -> object``, which returns
the field's value (text, or any typed value for an expression) and raises CalcError on a line
where it cannot be computed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from campaign_desktop.domain.errors import UserError
from campaign_desktop.domain.template import CalculatedField, CalculatedKind, OtherCases
from campaign_desktop.mapping.expression import (
    CalcError,
    ExpressionError,
    Getter,
    compile_expression,
    to_text,
)

Compute = Callable[[Sequence[str]], object]
Warn = Callable[[str, str], None]  # (source value, message)


def _describe(calc: CalculatedField) -> str:
    return f"calculated field '{calc.label or calc.name}'"


def parse_template(body: str, resolve: Callable[[str], Getter | None], what: str) -> Compute:
    """Compile "{First name} {Last name}" into a function of the line.

    Raises:
        UserError: an unknown column, or a brace that does not close.
    """
    parts: list[str | Getter] = []
    literal: list[str] = []
    i, n = 0, len(body)
    while i < n:
        ch = body[i]
        if ch == "{" and body.startswith("{{", i):
            literal.append("{")
            i += 2
        elif ch == "}" and body.startswith("}}", i):
            literal.append("}")
            i += 2
        elif ch == "{":
            end = body.find("}", i + 1)
            if end < 0:
                raise UserError(
                    f"The {what} has a '{{' at position {i + 1} that is never closed "
                    "(write '{{' for a literal brace)"
                )
            name = body[i + 1 : end].strip()
            getter = resolve(name)
            if getter is None:
                raise UserError(f"The {what} refers to column '{name}', which is not in the file")
            if literal:
                parts.append("".join(literal))
                literal = []
            parts.append(getter)
            i = end + 1
        elif ch == "}":
            raise UserError(
                f"The {what} has a '}}' at position {i + 1} with no '{{' before it "
                "(write '}}' for a literal brace)"
            )
        else:
            literal.append(ch)
            i += 1
    if literal:
        parts.append("".join(literal))
    if not any(callable(p) for p in parts):
        text = "".join(p for p in parts if isinstance(p, str))
        return lambda values: text
    # One str.format call per line: literal braces are doubled, each getter is a positional field.
    fmt = "".join(p.replace("{", "{{").replace("}", "}}") if isinstance(p, str) else "{}" for p in parts)
    getters = [p for p in parts if not isinstance(p, str)]
    fmt_call = fmt.format
    if len(getters) == 1:
        g0 = getters[0]
        return lambda values: fmt_call(g0(values))
    if len(getters) == 2:
        g0, g1 = getters
        return lambda values: fmt_call(g0(values), g1(values))
    return lambda values: fmt_call(*[g(values) for g in getters])


def _enumeration(calc: CalculatedField, resolve: Callable[[str], Getter | None], warn: Warn) -> Compute:
    what = _describe(calc)
    source = resolve(calc.source.strip()) if calc.source.strip() else None
    if source is None:
        if not calc.source.strip():
            raise UserError(f"The {what} needs a source column")
        raise UserError(f"The {what} reads column '{calc.source}', which is not in the file")
    table = dict(calc.values)
    folded = {k.strip().casefold(): v for k, v in table.items()}
    policy = OtherCases(calc.other_cases)
    other = calc.other_value
    column = calc.source

    def compute(values: Sequence[str]) -> object:
        text = source(values)
        v = table.get(text)  # type: ignore[arg-type]
        if v is not None:
            return v
        if not text:
            return text
        v = folded.get(text.casefold())  # type: ignore[attr-defined]
        if v is not None:
            return v
        if policy is OtherCases.KEEP:
            return text
        if policy is OtherCases.VALUE:
            return other
        message = f"Value '{text}' of column {column} is not in the list of the {what}"
        if policy is OtherCases.WARNING:
            warn(str(text), message + "; it was kept as is")
            return text
        raise CalcError(message, code="enum_error", value=str(text))

    return compute


def compile_calculated(calc: CalculatedField, resolve: Callable[[str], Getter | None], warn: Warn) -> Compute:
    """Compile one calculated field.

    Args:
        calc: the definition.
        resolve: a column name (label or '#N') -> getter of its trimmed text in a line.
        warn: called with (source value, message) for the enumeration's "Generates a warning" case.

    Raises:
        UserError: the definition cannot work on this file (unknown column, expression that does
            not parse); the message names the calculated field.
    """
    what = _describe(calc)
    kind = CalculatedKind(calc.kind)
    if kind is CalculatedKind.FIXED:
        body = calc.body
        return lambda values: body
    if kind is CalculatedKind.TEMPLATE:
        return parse_template(calc.body, resolve, what)
    if kind is CalculatedKind.ENUMERATION:
        return _enumeration(calc, resolve, warn)
    try:
        expr = compile_expression(calc.body, resolve)
    except ExpressionError as exc:
        raise ExpressionError(f"The expression of the {what} does not parse: {exc}") from None
    refs = expr.references

    def compute(values: Sequence[str]) -> object:
        try:
            return expr(values)
        except CalcError as exc:
            shown = ", ".join(f"{r}='{to_text(resolve(r)(values))}'" for r in refs[:4])  # type: ignore[misc]
            raise CalcError(f"The {what} could not be computed: {exc.message}", value=shown) from None

    return compute


__all__ = ["Compute", "compile_calculated", "parse_template"]
