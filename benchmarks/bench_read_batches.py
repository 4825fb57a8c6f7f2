"""The import's reading half (file -> converted batches), in blocks and line by line, against a plain scan.

Three passes over the same recipients CSV in one process, each timed in CPU seconds (wall times
move with the load of a shared machine, CPU times much less):

  scan       ``source.records()`` counted: the per-line scanner alone, the reference
  by line    ``LineReader.batches`` without blocks: scanner + ``convert_row`` per line + bookkeeping
  blocks     ``LineReader.batches`` as the import runs it: plain lines read in blocks and converted
             a column at a time (files/blocks.py, mapping/columns.py)

Both batch passes track the seen keys (as a first import into an empty SQLite table does) and drop
each batch once made (as the reader process does once it has sent it); a last, untimed pass checks
that they give equal batches.
Target (issue 3, speed of the reading half): blocks <= 2x scan.

Run:  PYTHONPATH=. python benchmarks/bench_read_batches.py [--lines N] [--file PATH]
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from itertools import zip_longest
from pathlib import Path

from campaign_desktop.domain.template import ImportSettings
from campaign_desktop.files import OpenedSource, detect_column_formats, open_source
from campaign_desktop.jobs.batches import LineReader, ReadBatch, gc_paused
from campaign_desktop.mapping import RowConverter
from campaign_desktop.reconcile.keys import KeyPlan
from campaign_desktop.storage.recipients_writer import date_storage
from tests.support.files import write_recipients_csv


def _reader(source: OpenedSource, path: Path, use_blocks: bool) -> Iterator[ReadBatch]:
    settings = ImportSettings()
    formats = detect_column_formats(path, source.file_format)
    conv = RowConverter(source.columns, settings, formats, date_form=date_storage("sqlite"))
    keys = KeyPlan(settings.reconciliation, conv.destinations)
    reader = LineReader(conv, keys, settings.advanced, 20_000, track_keys=True, use_blocks=use_blocks)
    return reader.batches(source.records(), 0)


def _batches(path: Path, use_blocks: bool) -> float:
    """CPU time of all the batches, each dropped once made (the reader process sends and drops them)."""
    with gc_paused(), open_source(path) as source:
        start = time.process_time()
        for _ in _reader(source, path, use_blocks):
            pass
        return time.process_time() - start


def _equal(path: Path) -> bool:
    with gc_paused(), open_source(path) as a, open_source(path) as b:
        pairs = zip_longest(_reader(a, path, False), _reader(b, path, True))
        return all(x == y for x, y in pairs)


def _scan(path: Path) -> tuple[float, int]:
    with gc_paused(), open_source(path) as source:
        start = time.process_time()
        n = sum(1 for _ in source.records())
        return time.process_time() - start, n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--file", type=Path, help="an existing recipients CSV (default: generated)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        path = args.file or write_recipients_csv(Path(folder) / "recipients.csv", args.lines, bad_every=1000)
        load = os.getloadavg()[0]
        scan, lines = _scan(path)
        by_line = _batches(path, use_blocks=False)
        blocks = _batches(path, use_blocks=True)
        same = _equal(path)
    report = [
        f"## bench_read_batches — {datetime.datetime.now():%Y-%m-%d %H:%M}",
        f"`python benchmarks/bench_read_batches.py{' --lines ' + str(args.lines) if args.file is None else ''}`"
        f" — {lines:,} lines, load average at start {load:.1f}, CPU seconds",
        "| pass | CPU | ratio to scan |",
        "|---|---|---|",
        f"| scan (reference) | {scan:.2f} s | 1.00 |",
        f"| batches, line by line | {by_line:.2f} s | {by_line / scan:.2f} |",
        f"| batches, blocks + columns | {blocks:.2f} s | **{blocks / scan:.2f}** (target ≤ 2) |",
        f"batches equal: {'yes' if same else 'NO'}; blocks vs line by line: {by_line / blocks:.2f}x less CPU",
    ]
    print("\n".join(report))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
