"""Two workstations import overlapping files into one PostgreSQL database at the same moment.

Each workstation is a real process running `campaign-desktop import`. Whatever the interleaving of
their batches, no recipient is created twice, neither job fails on a deadlock, and each job's counters
are true: together they inserted every distinct email exactly once.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.support.files import write_recipients_csv

ROOT = Path(__file__).resolve().parents[2]
LINES = 6000  # per file; the files share 3,000 emails


@pytest.mark.postgres
def test_two_imports_of_overlapping_files_at_once_create_each_recipient_once(pg_cluster, tmp_path):
    pg_cluster.admin_execute("CREATE DATABASE cd_two_stations TEMPLATE cd_template")
    url = pg_cluster.url("cd_two_stations")
    first = write_recipients_csv(tmp_path / "station_a.csv", LINES, start=0, seed=1)
    second = write_recipients_csv(tmp_path / "station_b.csv", LINES, start=LINES // 2, seed=2)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-m", "campaign_desktop.cli.main", "--db", url, "import"]
    stations = [subprocess.Popen([*cmd, str(path), "--option", "advanced.batch_size=250"], cwd=ROOT, env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for path in (first, second)]
    results = [station.communicate(timeout=300) for station in stations]
    engine = create_engine(url)
    try:
        for station, (_out, err) in zip(stations, results, strict=True):
            assert station.returncode == 0, err
        with engine.connect() as conn:
            doubled = conn.execute(text(
                "SELECT email, COUNT(*) FROM recipients GROUP BY email HAVING COUNT(*) > 1")).all()
            total = conn.execute(text("SELECT COUNT(*) FROM recipients")).scalar_one()
            jobs = conn.execute(text(
                "SELECT status, processed, inserted, updated, unchanged, ignored, rejected FROM jobs")).all()
        assert doubled == []
        assert total == LINES + LINES // 2
        assert [j.status for j in jobs] == ["finished", "finished"]
        assert all(j.processed == LINES and j.rejected == 0 for j in jobs)
        assert sum(j.inserted for j in jobs) == total  # each distinct email inserted by exactly one station
        # The shared emails were inserted by one station and then matched (updated: other first names) by the other.
        assert sum(j.updated + j.ignored for j in jobs) == LINES // 2, jobs  # ignored includes unchanged
    finally:
        engine.dispose()
        pg_cluster.admin_execute("DROP DATABASE IF EXISTS cd_two_stations WITH (FORCE)")
