"""The date-format token language shared by the file reader and the mapping room.

Campaign describes dates with tokens (``DD/MM/YYYY``, ``YYYY-MM-DD hh:mm:ss``), not with
``strptime`` directives, and marketers type them in the File format dialog. This module turns
such a format into a fast parser and guesses the format of a column from its values, saying
when the day/month order is a guess, because "03/04/2024" silently read the wrong way is the
classic import disaster.

Tokens: ``YYYY`` (4-digit year), ``YY`` (2-digit year), ``MM`` (month), ``DD`` (day), ``hh``
(hour 0-23), ``mm`` (minutes), ``ss`` (seconds, optionally followed by a fraction). Any other
character is a literal separator. Day, month and hour accept one or two digits ("3/4/2024").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date, datetime

DateParser = Callable[[str], date | datetime | None]

_TOKEN_RE = re.compile(r"YYYY|YY|MM|DD|hh|mm|ss")
_TOKEN_PATTERNS = {
    "YYYY": r"(?P<Y>\d{4})",
    "YY": r"(?P<y>\d{2})",
    "MM": r"(?P<M>\d{1,2})",
    "DD": r"(?P<D>\d{1,2})",
    "hh": r"(?P<h>\d{1,2})",
    "mm": r"(?P<m>\d{2})",
    "ss": r"(?P<s>\d{2})(?:[.,](?P<f>\d{1,6}))?",
}
_TIME_TOKENS = ("hh", "mm", "ss")


def has_time(fmt: str) -> bool:
    """Whether a format carries a time of day, so its values are datetimes rather than dates."""
    return any(tok in _TIME_TOKENS for tok in _TOKEN_RE.findall(fmt))


def expand_two_digit_year(yy: int, today: date | None = None) -> int:
    """The century of a ``YY`` year: within 89 years before and 10 years after today.

    Recipient files are mostly birth dates and recent events; a fixed pivot (Python's 69)
    would put everyone born in the 1950s-60s in the future.
    """
    this_year = (today or date.today()).year
    year = (this_year // 100) * 100 + yy
    if year > this_year + 10:
        year -= 100
    return year


def format_regex(fmt: str) -> re.Pattern[str]:
    """The shape of values written in ``fmt``, digits only: "31/02/2024" has the shape of DD/MM/YYYY.

    Raises:
        ValueError: the format has no day/month/year tokens or repeats a token.
    """
    tokens = _TOKEN_RE.findall(fmt)
    if len(set(tokens)) != len(tokens):
        raise ValueError(f"the date format {fmt!r} repeats a part")
    if not ({"YYYY", "YY"} & set(tokens)) or "MM" not in tokens or "DD" not in tokens:
        raise ValueError(f"the date format {fmt!r} needs a year (YYYY or YY), a month (MM) and a day (DD)")
    pattern = []
    pos = 0
    for m in _TOKEN_RE.finditer(fmt):
        pattern.append(re.escape(fmt[pos:m.start()]))
        pattern.append(_TOKEN_PATTERNS[m.group()])
        pos = m.end()
    pattern.append(re.escape(fmt[pos:]))
    return re.compile("".join(pattern))


def compile_date_format(fmt: str) -> DateParser:
    """A parser for values written in ``fmt``.

    The parser returns a ``date`` (or a ``datetime`` when the format has a time), or None
    when the value does not match or is impossible (31/02/2024, 25:00). It is built once
    per column and called per value, so common formats get a slicing fast path.

    Raises:
        ValueError: the format has no day/month/year tokens or repeats a token.
    """
    regex = format_regex(fmt)
    with_time = has_time(fmt)
    fullmatch = regex.fullmatch

    def parse(value: str) -> date | datetime | None:
        m = fullmatch(value.strip())
        if m is None:
            return None
        g = m.groupdict()
        year = int(g["Y"]) if g.get("Y") else expand_two_digit_year(int(g["y"]))
        try:
            if not with_time:
                return date(year, int(g["M"]), int(g["D"]))
            frac = g.get("f") or ""
            micro = int(frac.ljust(6, "0")) if frac else 0
            return datetime(year, int(g["M"]), int(g["D"]), int(g.get("h") or 0), int(g.get("m") or 0),
                            int(g.get("s") or 0), micro)
        except ValueError:
            return None

    fast = _fast_parser(fmt, parse)
    return fast or parse


def _fast_parser(fmt: str, slow: DateParser) -> DateParser | None:
    """Slicing parsers for the two formats that dominate real files; the regex is the fallback."""
    if fmt == "YYYY-MM-DD":
        def iso(value: str) -> date | datetime | None:
            if len(value) == 10 and value[4] == "-" and value[7] == "-" and value[:4].isdigit():
                try:
                    return date.fromisoformat(value)
                except ValueError:
                    return None
            return slow(value)
        return iso
    m = re.fullmatch(r"DD(.)MM\1YYYY", fmt)
    if m:
        sep = m.group(1)

        def dmy(value: str) -> date | datetime | None:
            if len(value) == 10 and value[2] == sep and value[5] == sep:
                d, mo, y = value[:2], value[3:5], value[6:]
                if d.isdigit() and mo.isdigit() and y.isdigit():
                    try:
                        return date(int(y), int(mo), int(d))
                    except ValueError:
                        return None
            return slow(value)
        return dmy
    return None


# --- Detection ----------------------------------------------------------------------------

_SHAPE_RE = re.compile(
    r"(\d{1,4})([/.\-])(\d{1,2})\2(\d{1,4})"
    r"(?:([ T])(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d{1,6})?)?)?"
)
_COMPACT_RE = re.compile(r"(\d{4})(\d{2})(\d{2})")


def _time_suffix(m: re.Match[str]) -> str:
    if m.group(5) is None:
        return ""
    return f"{m.group(5)}hh:mm" + (":ss" if m.group(8) is not None else "")


def _shape(value: str) -> tuple[str, int, int] | None:
    """The format family of one value and its first two numbers, or None if it is no date.

    Families keep the order open: "D?M" means day and month in the first two places, in an
    order only the set of values can tell.
    """
    m = _SHAPE_RE.fullmatch(value)
    if m is None:
        c = _COMPACT_RE.fullmatch(value)
        if c and 1900 <= int(c.group(1)) <= 2100:
            return "YYYYMMDD", 0, 0
        return None
    a, sep, b, c_ = m.group(1), m.group(2), m.group(3), m.group(4)
    suffix = _time_suffix(m)
    if len(a) == 4 and len(c_) <= 2:
        return f"YYYY{sep}MM{sep}DD{suffix}", 0, 0
    if len(a) <= 2 and len(c_) in (2, 4):
        year = "YYYY" if len(c_) == 4 else "YY"
        return f"D?M{sep}{year}{suffix}", int(a), int(b)
    return None


def detect_date_format(values: Iterable[str]) -> tuple[str, str]:
    """Guess the date format of a column.

    Returns:
        ``(format, ambiguity)``: the format in token syntax, or "" when most values are not
        dates; ``ambiguity`` explains a day/month order that could not be proven either way
        ("03/04/2024: 812 rows ambiguous, 37 prove DD/MM"), "" when the order is certain.
        When no value proves the order, DD/MM is assumed (the European convention of the
        product's users) and the message says so.
    """
    families: Counter[str] = Counter()
    day_first = month_first = ambiguous = 0
    example = ""
    total = 0
    for raw in values:
        value = raw.strip()
        if not value:
            continue
        total += 1
        shape = _shape(value)
        if shape is None:
            continue
        family, first, second = shape
        families[family] += 1
        if family.startswith("D?M"):
            if first > 12 >= second:
                day_first += 1
            elif second > 12 >= first:
                month_first += 1
            elif first <= 12 and second <= 12 and first != second:
                ambiguous += 1
                example = example or value
    if not families:
        return "", ""
    family, count = families.most_common(1)[0]
    if count < max(1, total // 2):
        return "", ""
    if not family.startswith("D?M"):
        return family, ""
    rest = family[3:]
    sep = rest[0]
    dmy = f"DD{sep}MM{rest}"
    mdy = f"MM{sep}DD{rest}"
    if month_first > day_first:
        chosen, order, proof = mdy, "MM/DD", month_first
    else:
        chosen, order, proof = dmy, "DD/MM", day_first
    if not ambiguous and not (day_first and month_first):
        return chosen, ""
    if proof == 0:
        return chosen, (f"{example}: {ambiguous} rows ambiguous, none proves the day/month order "
                        f"(DD/MM assumed)")
    message = f"{example or 'dates'}: {ambiguous} rows ambiguous, {proof} prove {order}"
    other = day_first if order == "MM/DD" else month_first
    if other:
        message += f", {other} prove {'DD/MM' if order == 'MM/DD' else 'MM/DD'}"
    return chosen, message


__all__ = ["DateParser", "compile_date_format", "detect_date_format", "expand_two_digit_year", "format_regex",
           "has_time"]
