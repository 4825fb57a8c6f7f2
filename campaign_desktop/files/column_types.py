"""Guessing a column's type from its values, cautiously.

A wrong guess costs more than no guess: a phone number or a zip code read as an integer
loses its "+" and leading zeros, so anything with a leading zero or a sign stays text. A
type is chosen when at least ``MIN_SHARE`` of the non-empty values fit it; the rest are
counted as invalid so the user sees them before the import rejects them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from campaign_desktop.domain.recipient_fields import FieldType
from campaign_desktop.files.dates import compile_date_format, detect_date_format, format_regex, has_time

MIN_SHARE = 0.8
EXAMPLES = 5

_BOOLEAN_WORDS = {"true", "false", "yes", "no", "oui", "non", "vrai", "faux", "y", "n", "t", "f", "0", "1"}
_INTEGER_RE = re.compile(r"-?(?:0|[1-9]\d{0,17})")
_DECIMAL_DOT_RE = re.compile(r"-?(?:0|[1-9]\d*)?\.\d+|-?(?:0|[1-9]\d{0,17})")
_DECIMAL_COMMA_RE = re.compile(r"-?(?:0|[1-9]\d*)?,\d+|-?(?:0|[1-9]\d{0,17})")


@dataclass
class TypeGuess:
    """The type that fits a column's values, and the values that do not fit it."""

    type: FieldType = FieldType.TEXT
    date_format: str = ""
    decimal_separator: str = "."
    invalid: int = 0
    invalid_examples: list[str] = field(default_factory=list)
    ambiguity: str = ""


def _fit(values: Sequence[str], ok: Callable[[str], bool]) -> tuple[int, list[str]]:
    """Count the values ``ok`` refuses, with the first few of them."""
    bad = 0
    examples: list[str] = []
    for v in values:
        if not ok(v):
            bad += 1
            if len(examples) < EXAMPLES:
                examples.append(v)
    return bad, examples


def _accept(values: Sequence[str], bad: int) -> bool:
    return len(values) - bad >= MIN_SHARE * len(values)


def guess_type(values: Sequence[str]) -> TypeGuess:
    """The type of a column from its non-empty, trimmed values (text when nothing fits)."""
    if not values:
        return TypeGuess()
    folded = {v.casefold() for v in values}
    if folded <= _BOOLEAN_WORDS and not folded <= {"0", "1"}:
        return TypeGuess(FieldType.BOOLEAN)
    bad, examples = _fit(values, _INTEGER_RE.fullmatch)  # type: ignore[arg-type]
    if bad == 0 or (_accept(values, bad) and len(values) - bad > 1):
        if not any(v.lstrip("-").startswith("0") and len(v.lstrip("-")) > 1 for v in values):
            return TypeGuess(FieldType.INTEGER, invalid=bad, invalid_examples=examples)
    commas = sum(1 for v in values if "," in v)
    dots = sum(1 for v in values if "." in v)
    sep, regex = (",", _DECIMAL_COMMA_RE) if commas > dots else (".", _DECIMAL_DOT_RE)
    if commas or dots:
        bad, examples = _fit(values, regex.fullmatch)  # type: ignore[arg-type]
        if _accept(values, bad):
            return TypeGuess(FieldType.DECIMAL, decimal_separator=sep, invalid=bad, invalid_examples=examples)
    fmt, ambiguity = detect_date_format(values)
    if fmt:
        shape = format_regex(fmt).fullmatch
        parse = compile_date_format(fmt)
        bad, examples = _fit(values, lambda v: parse(v) is not None)
        # Impossible dates (31/02) are date errors to show, not a reason to call the column text.
        if _accept(values, sum(1 for v in values if not shape(v))):
            kind = FieldType.DATETIME if has_time(fmt) else FieldType.DATE
            return TypeGuess(kind, date_format=fmt, invalid=bad, invalid_examples=examples,
                             ambiguity=ambiguity)
    return TypeGuess()


__all__ = ["MIN_SHARE", "TypeGuess", "guess_type"]
