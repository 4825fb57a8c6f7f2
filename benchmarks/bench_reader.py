"""How fast ``open_source().records()`` reads a 1M-line recipient CSV, next to plain ``csv.reader``.

The import engine's budget for 1,000,000 lines is ~8 s including database writes, so reading
must stay well under 1.5 s per million lines. Both readers run in the same process on the same
file, and the ratio is what to compare across machines (absolute times vary on shared ones).

Run:  PYTHONPATH=. python benchmarks/bench_reader.py [--lines N] [--runs R] [--quoted]
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from campaign_desktop.files import open_source
from tests.support.nasty_files import RECIPIENT_HEADER, recipient_rows


def write_file(path: Path, lines: int, quoted: bool) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        if quoted:
            writer = csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\n")
            writer.writerow(RECIPIENT_HEADER)
            writer.writerows(recipient_rows(lines))
        else:
            f.write(",".join(RECIPIENT_HEADER) + "\n")
            f.writelines(",".join(row) + "\n" for row in recipient_rows(lines))


def read_ours(path: Path) -> int:
    n = 0
    with open_source(path) as source:
        for rec in source.records():
            if rec.error:
                raise AssertionError(f"line {rec.line_no}: {rec.error}")
            n += 1
    return n


def read_csv_module(path: Path) -> int:
    n = 0
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        next(reader)
        for _ in reader:
            n += 1
    return n


def timed(fn: Callable[[Path], int], path: Path, runs: int) -> tuple[float, int]:
    times = []
    n = 0
    for _ in range(runs):
        start = time.perf_counter()
        n = fn(path)
        times.append(time.perf_counter() - start)
    return statistics.median(times), n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quoted", action="store_true", help="quote every field (csv path for every line)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "recipients.csv"
        write_file(path, args.lines, args.quoted)
        size_mb = path.stat().st_size / 1e6
        read_csv_module(path)  # warm the page cache
        base, n_base = timed(read_csv_module, path, args.runs)
        ours, n_ours = timed(read_ours, path, args.runs)
        if n_base != n_ours:
            print(f"record counts differ: csv.reader {n_base}, open_source {n_ours}", file=sys.stderr)
            return 1
        kind = "all fields quoted" if args.quoted else "unquoted"
        print(f"{n_ours:,} lines, {size_mb:.0f} MB, {kind}, median of {args.runs} runs")
        print(f"  csv.reader            {base:6.2f} s  {n_base / base:>12,.0f} lines/s")
        print(f"  open_source.records() {ours:6.2f} s  {n_ours / ours:>12,.0f} lines/s")
        print(f"  ratio (ours / csv.reader time): {ours / base:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
