"""Where a column of flags is true, found at C speed.

The bulk paths of the import (block reading, column conversion, the seen-keys table) test a
million values with builtins mapped over a column; the few positions that need a closer look
must then be found without a Python loop over all of them. ``bytes(map(...))`` packs the flags
in C and ``bytes.find`` jumps from one hit to the next.
"""

from __future__ import annotations

from collections.abc import Iterable


def true_positions(flags: Iterable[bool | int]) -> list[int]:
    """The positions of the true flags; each flag is a bool, or an int 0 or 1."""
    packed = bytes(flags)
    out: list[int] = []
    find = packed.find
    i = find(1)
    while i >= 0:
        out.append(i)
        i = find(1, i + 1)
    return out


__all__ = ["true_positions"]
