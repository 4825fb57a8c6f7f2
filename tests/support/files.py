"""Builders of recipient files for tests and benchmarks: realistic, and nasty on purpose."""

from __future__ import annotations

import csv
import random
from pathlib import Path

HEADER = ["email", "first_name", "last_name", "birth_date", "gender", "account", "city", "phone"]
FIRST = ["Jean", "Marie", "Luc", "Anne", "Paul", "Sophie", "Hélène", "José", "Zoë", "Chloé"]
LAST = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau"]
CITY = ["Paris", "Lyon", "Marseille", "Toulouse", "Nice", "Nantes", "Lille", "Rennes", "Reims", "Dijon"]


def recipient_row(i: int, rng: random.Random | None = None) -> list[str]:
    r = rng or random
    return [
        f"user{i}@example{i % 97}.com", r.choice(FIRST), r.choice(LAST),
        f"{1950 + i % 50}-{1 + i % 12:02d}-{1 + i % 28:02d}", str(i % 3), f"ACC{i:08d}", r.choice(CITY),
        f"+33 6 {i % 100:02d} {i % 89:02d} {i % 83:02d} {i % 79:02d}",
    ]


def write_recipients_csv(path: Path, n: int, *, bad_every: int = 0, seed: int = 1, start: int = 0,
                         sep: str = ",", encoding: str = "utf-8") -> Path:
    """``n`` recipient lines; every ``bad_every``-th line has a bad email (a reject)."""
    rng = random.Random(seed)
    with open(path, "w", newline="", encoding=encoding) as fh:
        w = csv.writer(fh, delimiter=sep, lineterminator="\n")
        w.writerow(HEADER)
        for i in range(start, start + n):
            row = recipient_row(i, rng)
            if bad_every and i % bad_every == bad_every - 1:
                row[0] = f"not-an-email-{i}"
            w.writerow(row)
    return path
