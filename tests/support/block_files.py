"""Delimited files that mix plain lines with every kind of odd line, to prove block reading changes nothing.

The block reader (``files/blocks.py``) and the column-wise converter take the plain lines in bulk and
hand the others to the per-line code, so these files put odd lines everywhere: at the start and end
of chunks, in runs, spanning lines (quoted newlines), and make the plain ones vary (accents, spaces to
trim, bad emails, impossible dates, unknown genders, empty values).
"""

from __future__ import annotations

import random
from pathlib import Path

HEADER = ["email", "first_name", "last_name", "birth_date", "gender", "account", "city", "phone"]
NAMES = ["Jean", "Hélène", " Zoë ", "Chloé", "o'neil", "", "  ", "Émile", "ANNE", "Ōno"]
EMAILS = ["user{i}@example.com", " user{i}@Example.COM ", "User.{i}@mail.fr", "bad-{i}", "", "x{i}@ex",
          "a..b{i}@ex.com", "é{i}@exämple.fr", "u{i}@xn--bcher-kva.ch", "u{i}@exa_mple.com", "  "]
DATES = ["1970-01-0{d}", "31/12/1999", "2001-02-30", "", "1980-13-01", "2024-02-29", " 1990-05-05 ", "soon"]
GENDERS = ["0", "1", "2", "m", "F", "Madame", "x", "", " 1 "]


def _plain(rng: random.Random, i: int, sep: str) -> str:
    values = [rng.choice(EMAILS).format(i=i), rng.choice(NAMES), rng.choice(NAMES),
              rng.choice(DATES).format(d=1 + i % 9), rng.choice(GENDERS), f"ACC{i:05d}", rng.choice(NAMES),
              f"+33 6 {i % 100:02d}"]
    return sep.join(v.replace(sep, " ") for v in values)


def _odd(rng: random.Random, i: int, sep: str, stray_cr: bool) -> str:
    good = _plain(rng, i, sep)
    kind = rng.randrange(10)
    if kind == 0:
        return ""  # blank
    if kind == 1:
        return good + sep + "extra"  # too many
    if kind == 2:
        return good.rsplit(sep, 2)[0]  # too few
    if kind == 3:
        return good + sep + sep  # trailing separators (kept: empty extras)
    if kind == 4:
        return f'"q{i}@ex.com"{sep}"a {sep} b"' + sep * 6  # quoted with a separator
    if kind == 5:
        return f'"m{i}@ex.com"{sep}"two\nlines"' + sep * 6  # a quoted newline
    if kind == 6:
        return good.replace("ACC", "A\x00CC")  # NUL
    if kind == 7:
        return sep * 7  # all empty: a blank record
    if kind == 8 and stray_cr:
        return good + "\r"  # a stray CR before the line end (the file's line ends become 'mixed')
    return f'"open{i}{sep}never closed' if rng.random() < 0.02 else good


def nasty_text(n: int, seed: int, sep: str = ",", odd_share: float = 0.2, header: bool = True,
               stray_cr: bool = False) -> str:
    """``n`` lines, about ``odd_share`` of them odd, joined by LF (the caller picks other line ends)."""
    rng = random.Random(seed)
    lines = [sep.join(HEADER)] if header else []
    for i in range(n):
        if rng.random() < odd_share:
            lines.extend([_odd(rng, i, sep, stray_cr) for _ in range(rng.randrange(1, 4))])
        else:
            lines.append(_plain(rng, i, sep))
    return "\n".join(lines) + ("\n" if rng.random() < 0.5 else "")


def write_nasty(path: Path, n: int, seed: int, *, sep: str = ",", encoding: str = "utf-8", newline: str = "\n",
                bom: bool = False, odd_share: float = 0.2, header: bool = True, stray_cr: bool = False) -> Path:
    """A nasty delimited file (see ``nasty_text``) with the given encoding and line ends."""
    text = nasty_text(n, seed, sep, odd_share, header, stray_cr)
    if newline != "\n":
        text = text.replace("\n", newline)
    data = text.encode(encoding, "replace")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


__all__ = ["HEADER", "nasty_text", "write_nasty"]
