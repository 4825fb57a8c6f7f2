"""Converting whole columns at once: the common field shapes at C speed, the rest left to ``convert_row``.

``RowConverter.convert_row`` calls one closure per field per line: on a million lines of eight
fields that is eight million Python calls, most of them to strip a value and hand it back. The
block reader (``files/blocks.py``) already gives the plain lines of a file as columns, so here
each mapped field converts its whole column with builtins mapped over it: ``str.strip``, ``''
in``, ``max(map(len, ...))``, the parsers' own lookup tables (dates remembered per text, closed
enumerations, yes/no words) through ``dict.get``, and emails checked by one regex over the column.

Nothing here decides a line's fate. A field returns its converted column and the positions that
are *not plain* (an empty value that is refused, a value that fails or warns, one too long...);
the caller sends those lines, whole, through ``convert_row``/``convert``, so rejects, warnings,
messages and defaults are exactly the per-line ones. Field shapes not handled here (calculated
fields) make ``convert`` return None: the caller converts every line per line, as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from campaign_desktop.domain.positions import true_positions
from campaign_desktop.mapping.convert import RowConverter
from campaign_desktop.mapping.field_plan import FieldPlan, Issue
from campaign_desktop.mapping.values import EMAIL_ASCII_RE, Bad

ColumnFn = Callable[[list[str], bool], tuple[list[Any], set[int]]]

# The ASCII address language, one address per line of a joined column: ``sub`` leaves only the lines
# that are not addresses (no class of the pattern takes a line break, so a match is one whole line).
_EMAIL_LINES = re.compile(rf"(?m)^(?:{EMAIL_ASCII_RE.pattern})$")
_NOT_EMPTY = re.compile(r"[^\n]+")


def _positions(values: list[Any], target: Any) -> list[int]:
    """Every position of ``target`` in ``values`` (``list.index`` runs in C between hits)."""
    out: list[int] = []
    i = -1
    try:
        while True:
            i = values.index(target, i + 1)
            out.append(i)
    except ValueError:
        return out


def may_be_padded(col: list[str], spaced: bool) -> bool:
    """Whether a value of ``col`` may start or end with white space, i.e. whether trimming can change it.

    ``spaced``: the block has white space other than plain spaces. Else only spaces count, found with
    C searches over the column joined by NUL (never in a plain line).
    """
    if spaced:
        return True
    joined = "\x00".join(col)
    if " " not in joined:
        return False
    return joined[0] == " " or joined[-1] == " " or " \x00" in joined or "\x00 " in joined


def _emails(texts: list[str], parse: Callable[[str], object]) -> tuple[list[object], list[int] | None]:
    """``list(map(parse, texts))`` for the email parser, with one regex pass over an ASCII column.

    Returns the values and the positions parsed one by one (None: all of them), the only ones that
    can be ``Bad``.
    """
    joined = "\n".join(texts)
    if not joined.isascii():
        return list(map(parse, texts)), None
    out: list[object] = list(texts)
    suspects: list[int] = []
    rest = _EMAIL_LINES.sub("", joined)
    if len(rest) != len(texts) - 1:  # not only the line breaks are left: some lines are no address
        line = pos = 0
        for m in _NOT_EMPTY.finditer(rest):
            line += rest.count("\n", pos, m.start())
            pos = m.start()
            suspects.append(line)
    lowered = joined.lower()
    if lowered != joined:  # upper case somewhere: those addresses are normalised one by one
        suspects = sorted(set(suspects).union(true_positions(map(str.__ne__, texts, lowered.split("\n")))))
    suspects = [i for i in suspects if texts[i]]  # an empty value is left to the caller's empty rule
    for i in suspects:
        out[i] = parse(texts[i])
    return out, suspects


def _typed(texts: list[str], parse: Callable[[str], object]) -> tuple[list[object], list[int] | None]:
    """The parser over a column, through its lookup table first when it has one.

    Returns the values and the positions parsed one by one (None: all of them).
    """
    if getattr(parse, "email", False):
        return _emails(texts, parse)
    lookup = getattr(parse, "lookup", None)
    if lookup is None:
        return list(map(parse, texts)), None
    out = list(map(lookup, texts))
    if None not in out:
        return out, []
    suspects: list[int] = []
    for i in _positions(out, None):
        if texts[i]:
            out[i] = parse(texts[i])
            suspects.append(i)
        else:  # an empty value: the caller's empty rule decides what it becomes, never the parser
            out[i] = ""  # (a date parser's explanation of what is wrong with '' cost 30 µs a value)
    return out, suspects


def _too_long(values: list[Any], maxlen: int) -> list[int]:
    """Positions of the texts longer than ``maxlen`` (other values are never too long)."""
    try:
        if max(map(len, values), default=0) <= maxlen:
            return []
    except TypeError:  # not only texts
        return [i for i, v in enumerate(values) if v.__class__ is str and len(v) > maxlen]
    return true_positions(map(maxlen.__lt__, map(len, values)))


def _field_column(plan: FieldPlan, i: int) -> ColumnFn:
    """The column version of ``plan.row_fn(i)``: same values at the plain positions."""
    text_fn = plan.text_fn
    if not plan.fmt.trim or plan.remap is not None or (plan.parse is not None and plan.xform is not None):

        def general(col: list[str], spaced: bool) -> tuple[list[Any], set[int]]:
            out = list(map(text_fn, col))
            odd = {j for j, v in enumerate(out) if v.__class__ is Issue} if Issue in set(map(type, out)) else set()
            return out, odd

        return general
    parse, xform, maxlen, empty_result = plan.parse, plan.xform, plan.maxlen, plan.empty_result
    empty_refused = empty_result.__class__ is Issue

    def trimmed(col: list[str], spaced: bool) -> tuple[list[Any], set[int]]:
        texts = list(map(str.strip, col)) if may_be_padded(col, spaced) else col
        odd: set[int] = set()
        if parse is not None:
            out, suspects = _typed(texts, parse)
            if suspects is None:
                suspects = true_positions(map(Bad.__instancecheck__, out)) if Bad in set(map(type, out)) else []
            for j in suspects:
                if out[j].__class__ is Bad:
                    out[j] = ""  # an odd line (or an empty value, set below): this value is never used
                    if texts[j]:
                        odd.add(j)
        elif xform is not None:
            out = list(map(xform, texts))
        else:
            out = texts
        if maxlen:
            odd.update(_too_long(out, maxlen))
        if "" in texts:
            if empty_refused:
                odd.update(_positions(texts, ""))
            else:  # every empty text's value becomes the empty rule's, in one C pass: dict.get(text, value)
                out = list(map({"": empty_result}.get, texts, out))
        return out, odd

    return trimmed


class ColumnConverter:
    """A ``RowConverter``'s mapping, field by field over columns (see the module's docstring)."""

    def __init__(self, converter: RowConverter) -> None:
        self.width = len(converter.columns)
        fns: list[ColumnFn] = []
        sources: list[int] = []
        for plan, i in zip(converter.field_plans, converter.source_columns, strict=True):
            if plan is None or i is None:  # a calculated field: per line only
                fns, sources = [], []
                self.usable = False
                break
            fns.append(_field_column(plan, i))
            sources.append(i)
        else:
            self.usable = True
        self._fields = list(zip(fns, sources, strict=True))

    def convert(self, columns: list[list[str]], spaced: bool = True) -> tuple[list[list[Any]], list[int]] | None:
        """Converted columns in destination order, and the sorted positions to convert per line.

        ``spaced``: the values may hold white space other than plain spaces (see ``may_be_padded``).
        None when the mapping has fields that only convert line by line.
        """
        if not self.usable or len(columns) != self.width:
            return None
        out: list[list[Any]] = []
        odd: set[int] = set()
        for fn, i in self._fields:
            values, bad = fn(columns[i], spaced)
            out.append(values)
            odd |= bad
        return out, sorted(odd)


__all__ = ["ColumnConverter", "may_be_padded"]
