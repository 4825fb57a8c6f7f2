"""How long RowConverter.convert takes per line on a typical recipient file (not a timed test).

Run: PYTHONPATH=. python benchmarks/bench_convert.py [lines]

Converts generated 8-column recipient lines (email, first name, last name, birth date,
gender, account, city, phone), as the import does, and prints microseconds per line for:
birth dates in a declared DD/MM/YYYY format, detected dates (half ISO, half DD/MM/YYYY),
and a single text column (the per-field floor). Best of 3 runs.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable

from campaign_desktop.domain.template import ColumnFormat, FileFormat, ImportSettings, Transform
from campaign_desktop.mapping import RowConverter

COLUMNS = ["Email", "First name", "Last name", "Birth date", "Gender", "Account #", "City", "Phone"]
FIRST = ["Jean", "Marie", "Pierre", "Anne", "Luc", "Sophie", "Jean-Pierre", "Zoé"]
LAST = ["Dupont", "Martin", "Durand", "O'Neil", "Lefèvre", "Bernard", "Petit", "Moreau"]
CITIES = ["Paris", "Lyon", "Marseille", "Toulouse", "Nantes", "Lille"]
GENDERS = ["M", "F", "1", "2", "Homme", "Femme", "0", ""]


def make_lines(n: int, iso_share: float) -> list[list[str]]:
    rnd = random.Random(42)
    lines = []
    for i in range(n):
        d, m, y = rnd.randint(1, 28), rnd.randint(1, 12), rnd.randint(1940, 2005)
        birth = f"{y:04d}-{m:02d}-{d:02d}" if rnd.random() < iso_share else f"{d:02d}/{m:02d}/{y:04d}"
        first, last = rnd.choice(FIRST), rnd.choice(LAST)
        lines.append(
            [
                f"{first.lower()}.{last.lower().replace(chr(39), '')}{i}@Example.com",
                first,
                last,
                birth,
                rnd.choice(GENDERS),
                f"ACC{i:08d}",
                rnd.choice(CITIES),
                f"+33 6 {i % 100:02d} {i % 97:02d} 12 34",
            ]
        )
    return lines


def best_of(make: Callable[[], RowConverter], lines: list[list[str]], runs: int = 3) -> float:
    """Best time per line; a fresh converter per run, so caches start cold as in a real import."""
    best = float("inf")
    for _ in range(runs):
        convert = make().convert
        t0 = time.perf_counter()
        for line in lines:
            convert(line)
        best = min(best, time.perf_counter() - t0)
    return best * 1e6 / len(lines)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    declared = ImportSettings(
        file_format=FileFormat(
            columns=[
                ColumnFormat(name="Birth date", date_format="DD/MM/YYYY"),
                ColumnFormat(name="Last name", transform=Transform.UPPER),
            ]
        )
    )
    lines_fr = make_lines(n, iso_share=0.0)
    lines_mixed = make_lines(n, iso_share=0.5)
    conv = RowConverter(COLUMNS, declared)
    assert not any(conv.convert(line).rejected for line in lines_fr[:1000])
    print(f"{n:,} lines, {len(conv.destinations)} fields: {', '.join(conv.destinations)}")
    us = best_of(lambda: RowConverter(COLUMNS, declared), lines_fr)
    print(f"  declared DD/MM/YYYY dates : {us:5.2f} µs/line  ({us:.2f} s per million lines)")
    conv_auto = RowConverter(COLUMNS, ImportSettings())
    assert not any(conv_auto.convert(line).rejected for line in lines_mixed[:1000])
    us = best_of(lambda: RowConverter(COLUMNS, ImportSettings()), lines_mixed)
    print(f"  detected dates (ISO/FR)   : {us:5.2f} µs/line  ({us:.2f} s per million lines)")
    city = [[line[6]] for line in lines_fr]
    us = best_of(lambda: RowConverter(["City"], ImportSettings()), city)
    print(f"  one text field (floor)    : {us:5.2f} µs/line")


if __name__ == "__main__":
    main()
