"""`campaign-desktop import BIG_FILE` starts its reading process before loading the rest of itself."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from campaign_desktop.jobs import reader_spawn
from campaign_desktop.jobs.reader_spawn import discard, early_reader
from tests.support.files import write_recipients_csv

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def big(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setattr(reader_spawn, "MIN_BYTES", 10_000)
    return write_recipients_csv(tmp_path / "prospects.csv", 300)


def test_the_file_is_found_among_the_import_options(big: Path, tmp_path: Path):
    for argv in (["import", str(big)], ["--db", "sqlite:///x.db", "import", "--template", "newImport", str(big)],
                 ["import", "--option", "advanced.batch_size=100", "--dry-run", str(big), "--label", "L"]):
        proc = early_reader(argv)
        assert proc is not None and proc.poll() is None  # started, waiting for its job
        discard(proc)
        assert proc.poll() is not None
    small = write_recipients_csv(tmp_path / "small.csv", 3)
    assert early_reader(["import", str(small)]) is None
    assert early_reader(["import", str(tmp_path / "missing.csv")]) is None
    assert early_reader(["jobs", "list"]) is None
    assert early_reader(["import", "--template", str(big)]) is None  # a template named like the file: no file


def test_a_big_import_from_the_command_line_uses_the_reading_process_it_started(tmp_path: Path):
    # 2 MB and more: the real threshold, in a real `python -m campaign_desktop.cli.main` process.
    path = write_recipients_csv(tmp_path / "big.csv", 25_000, bad_every=1000)
    assert path.stat().st_size >= reader_spawn.MIN_BYTES
    db = f"sqlite:///{tmp_path / 'c.db'}"
    out = subprocess.run([sys.executable, "-m", "campaign_desktop.cli.main", "--db", db, "import", str(path),
                          "--option", "advanced.stop_on_rejects=false"], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert "Inserted 24,975" in out.stdout and "Rejected 25" in out.stdout and out.stderr == ""
