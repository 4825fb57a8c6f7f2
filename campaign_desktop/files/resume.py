"""How many lines the record before a resume point spanned, read backwards from that point.

A resumed import gets the last committed record's ``end_offset`` and ``line_no``; the next
record's line number is ``line_no`` plus the lines that record took, which only matters when
a quoted value held line breaks. Re-reading the file from the start would answer exactly but
costs seconds on big files, so the answer comes from the record's own lines, read backwards:
in well-formed delimited text every line break inside a quoted value leaves an odd number of
string delimiters on the record's first and last lines and an even number on the lines in
between, while a one-line record has an even number.
"""

from __future__ import annotations

import re

from campaign_desktop.files.lines import CR, LF
from campaign_desktop.files.text_file import TextFile

FIRST_WINDOW = 64 * 1024
_UNIVERSAL_BREAK = re.compile(r"\r\n|\r|\n")


def _unit(codec: str) -> int:
    if codec.startswith("utf-32"):
        return 4
    if codec.startswith("utf-16"):
        return 2
    return 1


def _read_window(tf: TextFile, start: int, end: int) -> str:
    with open(tf.path, "rb") as f:
        f.seek(start)
        data = f.read(end - start)
    return data.decode(tf.codec, "replace")


def _physical_lines(tf: TextFile, text: str) -> list[str]:
    if tf.mode == LF:
        parts = text.split("\n")
    elif tf.mode == CR:
        parts = text.split("\r")
    else:
        parts = _UNIVERSAL_BREAK.split(text)
    if parts and parts[-1] == "":
        parts.pop()  # what follows the record's own line break
    return parts


def extra_lines_of_record_ending_at(tf: TextFile, end_offset: int, lower_bound: int, quote: str) -> int:
    """Physical lines beyond the first taken by the record that ends at ``end_offset``.

    Args:
        tf: the text file.
        end_offset: byte offset just after the record (its ``end_offset``).
        lower_bound: offset where data records start (the record cannot begin before it).
        quote: the string delimiter ("" means records never span lines).

    Returns:
        0 for a one-line record (or when the lines do not tell, e.g. malformed quoting).
    """
    if not quote or end_offset <= lower_bound:
        return 0
    unit = _unit(tf.codec)
    window = FIRST_WINDOW
    while True:
        start = max(lower_bound, end_offset - window)
        start -= (start - tf.start) % unit
        lines = _physical_lines(tf, _read_window(tf, start, end_offset))
        complete = start <= lower_bound
        if not lines or lines[-1].count(quote) % 2 == 0:
            return 0
        extra = 0
        for i in range(len(lines) - 2, -1, -1):
            if i == 0 and not complete:
                break  # the window cut this line: read further back
            extra += 1
            if lines[i].count(quote) % 2 == 1:
                return extra
        else:
            return 0
        if window >= tf.limit:
            return 0
        window = tf.limit


__all__ = ["extra_lines_of_record_ending_at"]
