"""Guessing the shape of a delimited text file from its first lines.

``csv.Sniffer`` guesses wrong on real marketing files (decimal commas in semicolon files,
a single quoted column, a header of all-text labels), so the guesses here are plain counts
that are easy to explain: the separator is the candidate that splits the first ~50 records
into the same number of fields (quotes respected); the header is the first row when its cells
are not of the type the column's data has (no number over a column of numbers, no date over
a column of dates).
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter

from campaign_desktop.domain.recipient_fields import RECIPIENT_FIELDS
from campaign_desktop.files.dates import detect_date_format

# Tie-break order: the rarer a character is inside values, the more a consistent count means.
SEPARATOR_CANDIDATES = ("\t", ";", ",", "|")
SAMPLE_RECORDS = 50

_NUMBER_RE = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
_KNOWN_LABELS = {
    label.casefold()
    for f in RECIPIENT_FIELDS
    for label in (f.name, f.label, f.xpath.lstrip("@"), *f.aliases)
}


def parse_sample(text: str, separator: str, quote: str, limit: int = SAMPLE_RECORDS) -> list[list[str]]:
    """The first non-blank records of a text sample, parsed with the csv module.

    The caller cuts the sample after a line break, so only a quoted value still open at the
    end of the sample can give a partial last record, which does no harm to a guess.
    """
    options: dict[str, object] = {"delimiter": separator, "strict": False}
    if quote:
        options["quotechar"] = quote
    else:
        options["quoting"] = csv.QUOTE_NONE
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), **options):  # type: ignore[arg-type]
            if row and any(v.strip() for v in row):
                rows.append(row)
                if len(rows) >= limit:
                    break
    except csv.Error:
        pass  # a guess works on what could be read
    return rows


def sniff_separator(text: str, quote: str = '"') -> str:
    """The separator among tab ; , | that gives the most consistent field count (``,`` if none)."""
    best: tuple[float, int, int] | None = None
    chosen = ","
    for priority, candidate in enumerate(reversed(SEPARATOR_CANDIDATES)):
        rows = parse_sample(text, candidate, quote)
        if not rows:
            continue
        counts = Counter(len(r) for r in rows)
        width, freq = counts.most_common(1)[0]
        if width < 2:
            continue
        score = (freq / len(rows), priority, width)
        if best is None or score > best:
            best, chosen = score, candidate
    return chosen


def sniff_quote(text: str, separator: str) -> str:
    """``"`` unless values are wrapped in single quotes and never in double quotes."""
    double = single = 0
    for line in text.splitlines()[:SAMPLE_RECORDS]:
        for field in line.split(separator):
            value = field.strip()
            if len(value) >= 2:
                if value[0] == '"' == value[-1]:
                    double += 1
                elif value[0] == "'" == value[-1]:
                    single += 1
    if single > 0 and double == 0:
        return "'"
    return '"'


def _kind(value: str) -> str:
    value = value.strip()
    if not value:
        return "empty"
    if _NUMBER_RE.fullmatch(value):
        return "number"
    if "@" in value and " " not in value:
        return "email"
    if detect_date_format([value])[0]:
        return "date"
    return "text"


def sniff_header(rows: list[list[str]]) -> bool:
    """Whether the first row holds column labels rather than data.

    Each column votes: when its data is mostly numbers, dates or emails, a first cell of the
    same kind says "data", any other says "label". With no typed column, a first row that
    contains a known field label ("Email", "Nom") or has no empty and no repeated cell is a header.
    """
    if not rows:
        return True
    first, data = rows[0], rows[1:]
    votes_for = votes_against = 0
    for j, cell in enumerate(first):
        kinds = Counter(_kind(r[j]) for r in data if j < len(r))
        kinds.pop("empty", None)
        if not kinds:
            continue
        kind, n = kinds.most_common(1)[0]
        if kind == "text" or n < 0.8 * sum(kinds.values()):
            continue
        if _kind(cell) == kind:
            votes_against += 1
        else:
            votes_for += 1
    if votes_for != votes_against:
        return votes_for > votes_against
    labels = [c.strip() for c in first]
    if any(c.casefold() in _KNOWN_LABELS for c in labels):
        return True
    return all(labels) and len(set(labels)) == len(labels)


__all__ = ["SEPARATOR_CANDIDATES", "parse_sample", "sniff_header", "sniff_quote", "sniff_separator"]
