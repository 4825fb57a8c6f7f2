"""Text to typed values: numbers, dates, booleans, closed enumerations, emails, country codes, case.

Each ``make_*`` function is called once per mapped field, when a RowConverter is built, and
returns a small parser ``parse(text) -> value | Bad``. A parser never raises on bad input and
never builds anything on the happy path; the ``Bad`` it returns names the reason code and a
sentence a marketer understands, naming the field and what was expected.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime

from campaign_desktop.domain.recipient_fields import RecipientField
from campaign_desktop.domain.template import Transform
from campaign_desktop.mapping.date_parse import (
    AUTO_DATE_FORMATS,
    auto_date_parser,
    auto_datetime_parser,
    compile_date_format,
    date_shape_matches,
)


class Bad:
    """A value that does not convert: a reason code and one sentence."""

    __slots__ = ("code", "message")

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"Bad({self.code!r}, {self.message!r})"


Parser = Callable[[str], object]  # returns the typed value or a Bad

INT_LIMIT = 2**63  # what the database's BIGINT holds
_SPACES = "\u0020\u00a0\u202f"  # thousands separators: space, no-break space, narrow no-break space


def _number_regex(decimal_separator: str, fraction: str) -> re.Pattern[str]:
    group = f"[{_SPACES}]"
    sep = re.escape(decimal_separator or ".")
    return re.compile(rf"([+-]?)([0-9]{{1,3}}(?:{group}[0-9]{{3}})+|[0-9]+)(?:{sep}({fraction}))?")


def _strip_groups(digits: str) -> str:
    return digits.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")


def make_integer_parser(label: str, decimal_separator: str = ".") -> Parser:
    """Whole numbers: '42', '-3', '1 234', and '3.0' / '3,0' (spreadsheets write whole numbers so)."""
    full = _number_regex(decimal_separator, "0*").fullmatch

    def bad(text: str) -> Bad:
        return Bad("invalid_number", f"Invalid number '{text}' in {label} (expected a whole number)")

    def parse(text: str) -> object:
        if text.isascii() and text.isdigit() and len(text) < 19:
            return int(text)
        m = full(text)
        if m is None:
            return bad(text)
        v = int(_strip_groups(m.group(2)))
        if v >= INT_LIMIT:
            return Bad("invalid_number", f"Number too large '{text}' in {label}")
        return -v if m.group(1) == "-" else v

    return parse


def make_decimal_parser(label: str, decimal_separator: str = ".") -> Parser:
    """Decimal numbers with the column's separator and optional thousands spaces: '1 234,56'."""
    sep = decimal_separator or "."
    full = _number_regex(sep, "[0-9]*").fullmatch
    example = f"1234{sep}56"

    def parse(text: str) -> object:
        m = full(text)
        if m is None:
            return Bad(
                "invalid_number", f"Invalid number '{text}' in {label} (expected a number like {example})"
            )
        frac = m.group(3)
        v = float(f"{m.group(1)}{_strip_groups(m.group(2))}.{frac or '0'}")
        if v - v != 0:  # inf: more digits than a float holds
            return Bad("invalid_number", f"Number too large '{text}' in {label}")
        return v

    return parse


DATE_CACHE_SIZE = 50_000


def make_date_parser(label: str, fmt: str, with_time: bool) -> Parser:
    """Dates (or datetimes) in the column's format; no format: ISO, then DD/MM/YYYY, then YYYY/MM/DD.

    Raises:
        ValueError: the format is not a date format (reported by the caller as a UserError).
    """
    if fmt:
        raw = compile_date_format(fmt)
        formats: tuple[str, ...] = (fmt,)
        expected = fmt
    else:
        raw = auto_datetime_parser() if with_time else auto_date_parser()
        formats = AUTO_DATE_FORMATS
        expected = " or ".join(AUTO_DATE_FORMATS)

    def bad(text: str) -> Bad:
        shaped = any(date_shape_matches(f, text) for f in formats)
        word = "Impossible" if shaped else "Invalid"
        return Bad("invalid_date", f"{word} date '{text}' in {label} (expected {expected})")

    # Birth dates repeat (a century has 36,525 days), so good values are remembered: a hit costs
    # one dict lookup instead of a regex and a date constructor (about 10x less).
    cache: dict[str, object] = {}
    cache_get = cache.get

    def parse(text: str) -> object:
        v = cache_get(text)
        if v is not None:
            return v
        v = raw(text)
        if v is None:
            return bad(text)
        if with_time and v.__class__ is date:
            v = datetime(v.year, v.month, v.day)
        elif not with_time and v.__class__ is datetime:
            v = v.date()  # type: ignore[union-attr]
        if len(cache) >= DATE_CACHE_SIZE:
            cache.clear()
        cache[text] = v
        return v

    parse.lookup = cache_get  # type: ignore[attr-defined]  # for whole columns (mapping/columns.py)
    return parse


TRUE_WORDS = ("1", "true", "t", "yes", "y", "oui", "o", "vrai", "x")
FALSE_WORDS = ("0", "false", "f", "no", "n", "non", "faux")
_BOOLEANS: dict[str, bool] = {**dict.fromkeys(TRUE_WORDS, True), **dict.fromkeys(FALSE_WORDS, False)}


def make_boolean_parser(label: str) -> Parser:
    """1/0, true/false, yes/no, oui/non, y/n, and 'x' for a ticked box (any case)."""
    table = _BOOLEANS

    def parse(text: str) -> object:
        v = table.get(text)
        if v is None:
            v = table.get(text.casefold())
            if v is None:
                return Bad(
                    "enum_error",
                    f"Invalid yes/no value '{text}' in {label} (expected 1 or 0, "
                    "yes or no, true or false, oui or non, or x)",
                )
        return v

    parse.lookup = table.get  # type: ignore[attr-defined]  # for whole columns (mapping/columns.py)
    return parse


# Closed enumerations (spec §8): the catalogue's labels plus the words marketers' files use.
ENUM_SYNONYMS: dict[str, dict[int, tuple[str, ...]]] = {
    "gender": {
        0: (
            "unknown",
            "not specified",
            "unspecified",
            "u",
            "inconnu",
            "non spécifié",
            "non precise",
            "non précisé",
        ),
        1: ("m", "male", "man", "mr", "mr.", "m.", "mister", "monsieur", "h", "homme", "masculin"),
        2: (
            "f",
            "female",
            "woman",
            "mrs",
            "mrs.",
            "ms",
            "ms.",
            "miss",
            "mme",
            "mme.",
            "madame",
            "mlle",
            "mademoiselle",
            "femme",
            "féminin",
            "feminin",
        ),
    },
    "email_format": {
        0: ("unknown", "undefined", "inconnu"),
        1: ("text", "texte", "txt", "plain", "plain text"),
        2: ("html",),
    },
}


def make_enum_parser(f: RecipientField) -> Parser:
    """A closed enumeration: its internal values (0, 1, 2) or a label in English or French."""
    table: dict[str, int] = {}
    for value, label in f.enum.items():
        table[str(value)] = value
        table[label.casefold()] = value
    for value, words in ENUM_SYNONYMS.get(f.name, {}).items():
        for w in words:
            table[w.casefold()] = value
    shown = ", ".join(f"{v} ({lbl})" for v, lbl in f.enum.items())

    def parse(text: str) -> object:
        v = table.get(text)
        if v is None:
            v = table.get(text.casefold())
            if v is None:
                return Bad("enum_error", f"Unknown value '{text}' for {f.label} (expected one of {shown})")
        return v

    parse.lookup = table.get  # type: ignore[attr-defined]  # for whole columns (mapping/columns.py)
    return parse


# One '@'; a local part without spaces or consecutive/edge dots (plus-addressing and apostrophes are
# fine); a domain of letter/digit labels (any script, for IDN) joined by dots, ending in a TLD of two
# letters or more (or a punycode 'xn--' TLD). The quantifiers are possessive (++, *+): no piece can
# give characters back to the next one (dots and hyphens separate them), so they never backtrack;
# that halves the time of a match and rules out pathological inputs.
_LOCAL = r"[^\s\x00-\x1f\x7f@.,;:<>()\[\]\\\"]++(?:\.[^\s\x00-\x1f\x7f@.,;:<>()\[\]\\\"]++)*+"
_LABEL = r"[^\W_]++(?:-++[^\W_]++)*+"
_TLD = r"(?:[^\W\d_]{2,}+|[xX][nN]--[a-zA-Z0-9-]++)"
EMAIL_RE = re.compile(rf"({_LOCAL})@((?:{_LABEL}\.)++{_TLD})")
# The same language on ASCII text (nearly every address), with ASCII classes: about twice as fast.
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]"
_ASCII_LABEL = r"[A-Za-z0-9]++(?:-++[A-Za-z0-9]++)*+"
EMAIL_ASCII_RE = re.compile(
    rf"({_ATEXT}++(?:\.{_ATEXT}++)*+)@((?:{_ASCII_LABEL}\.)++(?:[A-Za-z]{{2,}}+|[xX][nN]--[a-zA-Z0-9-]++))"
)


def normalize_email(text: str) -> tuple[str | None, str]:
    """Trim, lower-case the domain and check the syntax of an email address.

    Returns:
        (normalised address, "") when valid, else (None, "Invalid email '<text>'").
    """
    s = text.strip()
    m = (EMAIL_ASCII_RE if s.isascii() else EMAIL_RE).fullmatch(s)
    if m is None:
        return None, f"Invalid email '{s}'"
    return f"{m.group(1)}@{m.group(2).lower()}", ""


def make_email_parser() -> Parser:
    full, ascii_full = EMAIL_RE.fullmatch, EMAIL_ASCII_RE.fullmatch

    def parse(text: str) -> object:
        m = ascii_full(text) if text.isascii() else full(text)
        if m is None:
            return Bad("invalid_email", f"Invalid email '{text}'")
        local, domain = m.groups()
        return f"{local}@{domain.lower()}" if not domain.islower() else text

    parse.email = True  # type: ignore[attr-defined]  # checked a column at a time in mapping/columns.py
    return parse


def make_country_parser(label: str) -> Parser:
    """ISO-3166 alpha-2 codes, upper-cased ('fr' -> 'FR')."""

    def parse(text: str) -> object:
        if len(text) == 2 and text.isascii() and text.isalpha():
            return text.upper()
        return Bad(
            "enum_error", f"Invalid country code '{text}' in {label} (expected 2 letters, like FR or US)"
        )

    return parse


# --- Case --------------------------------------------------------------------------------------

_DIGIT_THEN_LETTER = re.compile(r"[0-9][^\W\d_]")
_WORD = re.compile(r"[^\W_]+")


def title_case(text: str) -> str:
    """First letter of each word in upper case: 'jean-pierre' -> 'Jean-Pierre', "o'neil" -> "O'Neil".

    Words are separated by anything but letters and digits, and '3rd' stays '3rd'.
    """
    if _DIGIT_THEN_LETTER.search(text) is None:
        return text.title()
    return _WORD.sub(lambda m: m[0][:1].upper() + m[0][1:].lower(), text)


def make_transform(*transforms: Transform) -> Callable[[str], str] | None:
    """The composition of the column's and the mapping's case transforms (None when there is none)."""
    steps = [t for t in transforms if t and t is not Transform.NONE]
    funcs: list[Callable[[str], str]] = [
        {Transform.UPPER: str.upper, Transform.LOWER: str.lower, Transform.TITLE: title_case}[Transform(t)]
        for t in steps
    ]
    if not funcs:
        return None
    if len(funcs) == 1:
        return funcs[0]

    def chain(text: str) -> str:
        for f in funcs:
            text = f(text)
        return text

    return chain


__all__ = [
    "Bad",
    "EMAIL_ASCII_RE",
    "EMAIL_RE",
    "ENUM_SYNONYMS",
    "FALSE_WORDS",
    "INT_LIMIT",
    "Parser",
    "TRUE_WORDS",
    "make_boolean_parser",
    "make_country_parser",
    "make_date_parser",
    "make_decimal_parser",
    "make_email_parser",
    "make_enum_parser",
    "make_integer_parser",
    "make_transform",
    "normalize_email",
    "title_case",
]
