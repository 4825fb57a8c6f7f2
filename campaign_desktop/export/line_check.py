"""Which database-built lines of a batch still need quoting or formula escaping.

Kept apart from :mod:`campaign_desktop.export.sql_lines` and free of SQLAlchemy (it imports only
``re``) because the second process of a split export (:mod:`campaign_desktop.export.range_reader`)
runs it too, and that process must start in a few tens of milliseconds.
"""

from __future__ import annotations

import re


class LineChecker:
    """Finds the lines of a batch that the database could not finish: quoting or formula escaping.

    The batch test is a handful of single-character counts (memchr speed) and three regular expressions
    that only stop at '+', '-' and '@' respectively; a batch that fails it is checked line by line, and only the
    lines that really need it are redone.
    """

    def __init__(self, sep: str, quote: str, end: str, columns: int, escape: bool) -> None:
        self.sep = sep
        self.quote = quote
        self.end = end
        self.separators = columns - 1
        self.escape = escape
        s = re.escape(sep)
        harmless = r"[0-9 ().,/+\-]*"
        # A value starts at a line start or after a separator; in a batch whose values hold no separator,
        # a '+'/'-' value is harmless when only digits and punctuation follow up to the next separator.
        self.formula = re.compile(rf"(?m)(?:^|(?<={s}))(?:[=@\t\r]|[+-](?!{harmless}(?:{s}|$)))")
        # One expression per starting character rather than one over [+\-@]: a literal first character is
        # found at memchr speed, where a character class is tested at every position (twice as slow).
        self.batch_formulas = [re.compile(rf"{c}(?<=[\n{s}]{c})(?!{harmless}(?:{s}|\n|\Z))") for c in (r"\+", "-")]
        self.batch_formulas.append(re.compile(rf"@(?<=[\n{s}]@)"))
        self.rare = [c for c in dict.fromkeys((quote, "\r", "=", "\t")) if c != sep]

    def arguments(self) -> dict[str, object]:
        """The constructor's arguments, to build the same checker in another process."""
        return {"sep": self.sep, "quote": self.quote, "end": self.end, "columns": self.separators + 1,
                "escape": self.escape}

    def _dirty(self, line: str) -> bool:
        return (line.count(self.sep) != self.separators or self.quote in line or "\n" in line or "\r" in line
                or (self.escape and self.formula.search(line) is not None))

    def _clean(self, joined: str, count: int) -> bool:
        if joined.count(self.sep) != self.separators * count or joined.count("\n") != count - 1:
            return False
        if any(c in joined for c in self.rare):
            return False
        return not (self.escape and (joined[:1] in ("+", "-", "@")
                                     or any(f.search(joined) for f in self.batch_formulas)))

    def check(self, lines: list[str]) -> tuple[str, list[int]]:
        """(the batch's text if clean, else ''; the indexes of the lines to redo)."""
        joined = "\n".join(lines)
        if self._clean(joined, len(lines)):
            return (joined + "\n" if self.end == "\n" else self.end.join(lines) + self.end), []
        return "", [i for i, line in enumerate(lines) if self._dirty(line)]

    def check_joined(self, joined: str, count: int) -> str:
        """The finished text of ``count`` lines the database joined with LF, or '' if one needs redoing."""
        if not self._clean(joined, count):
            return ""
        return joined + "\n" if self.end == "\n" else joined.replace("\n", self.end) + self.end
