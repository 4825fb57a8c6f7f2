"""Date formats such as ``DD/MM/YYYY``, compiled once into fast parsers.

The token language is the one of the File format dialog (spec §4.5): ``YYYY`` ``YY`` ``MM``
``DD`` ``hh`` ``mm`` ``ss``; every other character is a literal. A colleague writes the same
function in ``campaign_desktop/files/dates.py``; this copy keeps the mapping room independent
until the two are folded together, so the name and the behaviour must stay the same.

Users type formats in either case ("dd/mm/yyyy" in Campaign's own examples), so tokens are
read case-insensitively and ``mm`` means minutes only next to an hour or a seconds token
("hh:mm", "mm:ss"); everywhere else it is the month.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta

DateParser = Callable[[str], date | datetime | None]

_TOKEN_RE = re.compile(r"yyyy|yy|mm|dd|hh|ss", re.IGNORECASE)
_WIDTHS = {"Y4": 4, "Y2": 2, "M": 2, "D": 2, "h": 2, "m": 2, "s": 2}


def two_digit_year(yy: int) -> int:
    """Years 00-68 are 2000-2068, 69-99 are 1969-1999 (the POSIX ``%y`` pivot)."""
    return yy + (2000 if yy < 69 else 1900)


def _tokens(fmt: str) -> list[tuple[str, str]]:
    """Split a format into ('tok', kind) and ('lit', text) parts; 'mm' resolved to month or minutes."""
    parts: list[tuple[str, str]] = []
    pos = 0
    for m in _TOKEN_RE.finditer(fmt):
        if m.start() > pos:
            parts.append(("lit", fmt[pos : m.start()]))
        t = m.group().lower()
        kind = {"yyyy": "Y4", "yy": "Y2", "dd": "D", "hh": "h", "ss": "s"}.get(t, "mm")
        parts.append(("tok", kind))
        pos = m.end()
    if pos < len(fmt):
        parts.append(("lit", fmt[pos:]))
    toks = [i for i, (k, _) in enumerate(parts) if k == "tok"]
    for n, i in enumerate(toks):
        if parts[i][1] != "mm":
            continue
        prev_kind = parts[toks[n - 1]][1] if n > 0 else ""
        next_kind = parts[toks[n + 1]][1] if n + 1 < len(toks) else ""
        parts[i] = ("tok", "m" if prev_kind == "h" or next_kind == "s" else "M")
    return parts


def _pattern(parts: list[tuple[str, str]]) -> tuple[str, list[str]]:
    """A regex with one group per token; 1-2 digit fields where a literal separates them."""
    regex: list[str] = []
    kinds: list[str] = []
    for i, (k, v) in enumerate(parts):
        if k == "lit":
            regex.append(r"\s+" if v.isspace() else re.escape(v))
            continue
        width = _WIDTHS[v]
        before_lit = i == 0 or parts[i - 1][0] == "lit"
        after_lit = i + 1 == len(parts) or parts[i + 1][0] == "lit"
        if width == 2 and v != "Y2" and before_lit and after_lit:
            regex.append(r"([0-9]{1,2})")
        else:
            regex.append(f"([0-9]{{{width}}})")
        kinds.append(v)
    return "".join(regex), kinds


def compile_date_format(fmt: str) -> DateParser:
    """Compile ``fmt`` into a function from text to a date (or a datetime when it has time tokens).

    The parser returns None when the text does not match or names an impossible date
    (31/02/2024); it never raises, so a bad value costs no exception on the import's hot path.

    Raises:
        ValueError: the format has no date or time token, or the same token twice.
    """
    parts = _tokens(fmt)
    regex, kinds = _pattern(parts)
    if not kinds:
        raise ValueError(f"the date format {fmt!r} has none of YYYY, YY, MM, DD, hh, mm, ss")
    unique = {"Y2" if k == "Y4" else k for k in kinds}
    if len(unique) != len(kinds):
        raise ValueError(f"the date format {fmt!r} names the same part twice")
    match = re.compile(regex).fullmatch
    pos = {k: i for i, k in enumerate(kinds)}
    yi = pos.get("Y4", pos.get("Y2", -1))
    short_year = "Y2" in pos
    mi, di = pos.get("M", -1), pos.get("D", -1)
    hi, ni, si = pos.get("h", -1), pos.get("m", -1), pos.get("s", -1)
    has_time = hi >= 0 or ni >= 0 or si >= 0

    if not has_time and not short_year and yi >= 0 and mi >= 0 and di >= 0:

        def parse_date(text: str) -> date | datetime | None:
            m = match(text)
            if m is None:
                return None
            g = m.groups()
            try:
                return date(int(g[yi]), int(g[mi]), int(g[di]))
            except ValueError:
                return None

        return parse_date

    def parse_any(text: str) -> date | datetime | None:
        m = match(text)
        if m is None:
            return None
        g = m.groups()
        year = int(g[yi]) if yi >= 0 else 1900
        if short_year:
            year = two_digit_year(year)
        month = int(g[mi]) if mi >= 0 else 1
        day = int(g[di]) if di >= 0 else 1
        try:
            if not has_time:
                return date(year, month, day)
            return datetime(
                year,
                month,
                day,
                int(g[hi]) if hi >= 0 else 0,
                int(g[ni]) if ni >= 0 else 0,
                int(g[si]) if si >= 0 else 0,
            )
        except ValueError:
            return None

    return parse_any


def date_shape_matches(fmt: str, text: str) -> bool:
    """Whether ``text`` has the shape of ``fmt`` (digits and separators), whatever the numbers.

    Used on the error path only, to tell "Impossible date '31/02/2024'" from "Invalid date 'soon'".
    """
    try:
        regex, _ = _pattern(_tokens(fmt))
    except KeyError:  # pragma: no cover - _tokens only yields known kinds
        return False
    return re.fullmatch(regex, text) is not None


# --- Detection when the column has no format ----------------------------------------------------

AUTO_DATE_FORMATS = ("YYYY-MM-DD", "DD/MM/YYYY", "YYYY/MM/DD")
AUTO_DATETIME_FORMATS = (
    "YYYY-MM-DD hh:mm:ss",
    "YYYY-MM-DD hh:mm",
    "DD/MM/YYYY hh:mm:ss",
    "DD/MM/YYYY hh:mm",
    "YYYY/MM/DD hh:mm:ss",
    "YYYY/MM/DD hh:mm",
)
_ISO_DATETIME_RE = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]{1,6})?)?"
    r"(?:Z|[+-][0-9]{2}:?[0-9]{2})?"
)


def _first_of(parsers: list[DateParser]) -> DateParser:
    def parse(text: str) -> date | datetime | None:
        for p in parsers:
            v = p(text)
            if v is not None:
                return v
        return None

    return parse


def auto_date_parser() -> DateParser:
    """ISO YYYY-MM-DD, then DD/MM/YYYY, then YYYY/MM/DD (the order of the import's detection)."""
    return _first_of([compile_date_format(f) for f in AUTO_DATE_FORMATS])


def _iso_datetime(text: str) -> datetime | None:
    if _ISO_DATETIME_RE.fullmatch(text) is None:
        return None
    try:
        v = datetime.fromisoformat(text.replace(",", "."))
    except ValueError:
        return None
    if v.tzinfo is not None:  # stored as naive UTC, like every other datetime of the app
        v = (v - (v.utcoffset() or timedelta(0))).replace(tzinfo=None)
    return v


def auto_datetime_parser() -> DateParser:
    """ISO date and time (with 'T', fractions, 'Z' or an offset), the usual day-first forms, or a date."""
    fixed = [compile_date_format(f) for f in AUTO_DATETIME_FORMATS]
    return _first_of([_iso_datetime, *fixed, auto_date_parser()])


__all__ = [
    "AUTO_DATE_FORMATS",
    "AUTO_DATETIME_FORMATS",
    "DateParser",
    "auto_date_parser",
    "auto_datetime_parser",
    "compile_date_format",
    "date_shape_matches",
    "two_digit_year",
]
