"""Big files stream with bounded memory: an import of several GB must not grow with the file."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from campaign_desktop.files import open_source, preview
from tests.support.nasty_files import write_recipients_csv


def _peak_while_reading(path: Path) -> tuple[int, int]:
    tracemalloc.start()
    try:
        count = 0
        with open_source(path) as source:
            for _ in source.records():
                count += 1
        return count, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_reading_a_file_costs_memory_independent_of_its_size(tmp_path: Path) -> None:
    small = write_recipients_csv(tmp_path / "small.csv", 15_000)
    big = write_recipients_csv(tmp_path / "big.csv", 60_000)
    n_small, peak_small = _peak_while_reading(small)
    n_big, peak_big = _peak_while_reading(big)
    assert (n_small, n_big) == (15_000, 60_000)
    assert peak_big < 8 * 1024 * 1024
    assert peak_big < peak_small + 2 * 1024 * 1024


def test_a_file_without_any_line_break_is_refused_in_pieces_not_loaded(tmp_path: Path) -> None:
    path = tmp_path / "one_line.csv"
    with open(path, "wb") as f:
        f.write(b"email;name\n")
        for _ in range(25):
            f.write(b"x" * (1024 * 1024))
    count, peak = _peak_while_reading(path)
    assert count == 1
    assert peak < 40 * 1024 * 1024


def test_the_preview_of_a_big_file_reads_only_its_start(tmp_path: Path) -> None:
    path = write_recipients_csv(tmp_path / "big.csv", 200_000)
    tracemalloc.start()
    try:
        result = preview(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(result.rows) == 200
    assert peak < 16 * 1024 * 1024
