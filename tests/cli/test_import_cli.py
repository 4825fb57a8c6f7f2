"""`campaign-desktop import` and `jobs …` as a scheduler or a tester runs them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from campaign_desktop.cli.main import main
from tests.support.files import write_recipients_csv

ROOT = Path(__file__).resolve().parents[2]


def cli(db_url: str, *args: str) -> int:
    return main(["--db", db_url, *args])


def test_import_prints_a_summary_and_exits_0_even_with_rejects(db_url, tmp_path, capsys):
    path = write_recipients_csv(tmp_path / "p.csv", 500, bad_every=100)
    assert cli(db_url, "import", str(path), "--rejects", str(tmp_path / "rej.csv")) == 0
    out = capsys.readouterr().out
    assert "Finished" in out and "Inserted 495" in out and "Rejected 5" in out
    assert "5 rejected line(s) written to" in out
    assert (tmp_path / "rej.csv").read_text().count("\n") == 6


def test_a_dry_run_writes_nothing(db_url, tmp_path, capsys):
    path = write_recipients_csv(tmp_path / "p.csv", 50)
    assert cli(db_url, "import", str(path), "--dry-run") == 0
    assert "Inserted 50" in capsys.readouterr().out
    cli(db_url, "recipients", "count")
    assert capsys.readouterr().out.strip() == "0"


def test_options_override_the_template(db_url, tmp_path, capsys):
    path = tmp_path / "p.csv"
    path.write_text("mail|prenom\na@x.com|Ann\n", encoding="utf-8")
    assert cli(db_url, "import", str(path), "--option", "reconciliation.operation=update") == 0
    assert "Ignored 1" in capsys.readouterr().out
    assert cli(db_url, "import", str(path), "--option", "advanced.max_rejects=zero") == 2
    assert "expected a whole number" in capsys.readouterr().err


def test_too_many_rejects_exit_with_code_3(db_url, tmp_path, capsys):
    path = write_recipients_csv(tmp_path / "p.csv", 400, bad_every=2)
    assert cli(db_url, "import", str(path), "--option", "advanced.max_rejects=10") == 3
    assert "Stopped: 10 line(s) rejected" in capsys.readouterr().out


def test_a_missing_file_exits_2_with_a_message(db_url, tmp_path, capsys):
    assert cli(db_url, "import", str(tmp_path / "nope.csv")) == 2
    err = capsys.readouterr().err
    assert "nope.csv" in err and "Traceback" not in err


def test_jobs_list_show_and_rejects(db_url, tmp_path, capsys):
    path = write_recipients_csv(tmp_path / "p.csv", 30, bad_every=10)
    cli(db_url, "import", str(path), "--label", "October prospects")
    capsys.readouterr()
    assert cli(db_url, "jobs", "list") == 0
    out = capsys.readouterr().out
    assert "October prospects" in out and "Finished" in out
    job_id = out.splitlines()[2].split()[0]
    assert cli(db_url, "jobs", "show", job_id) == 0
    assert "End of import: 30 line(s) processed" in capsys.readouterr().out
    assert cli(db_url, "jobs", "rejects", job_id, "--out", str(tmp_path / "r.csv")) == 0
    assert "3 rejected line(s)" in capsys.readouterr().out


def test_a_killed_import_shows_interrupted_and_resumes_to_the_same_result(db_url, tmp_path, capsys):
    path = write_recipients_csv(tmp_path / "p.csv", 60_000)
    cli(db_url, "db", "upgrade")
    cmd = [sys.executable, "-m", "campaign_desktop.cli.main", "--db", db_url, "import", str(path),
           "--option", "advanced.batch_size=1000"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    engine = create_engine(db_url)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with engine.connect() as conn:
                done = conn.execute(text("SELECT COALESCE(MAX(processed), 0) FROM jobs")).scalar()
            if done and done >= 3000:
                break
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        with engine.connect() as conn:
            job_id, processed, inserted = conn.execute(text("SELECT id, processed, inserted FROM jobs")).one()
            count = conn.execute(text("SELECT COUNT(*) FROM recipients")).scalar()
        assert processed < 60_000, "the import finished before it could be killed"
        assert count == inserted == processed  # whole batches only, counters true
    finally:
        engine.dispose()
    capsys.readouterr()
    cli(db_url, "jobs", "list")
    assert "Interrupted" in capsys.readouterr().out
    assert cli(db_url, "jobs", "resume", str(job_id)) == 0
    assert "Inserted 60,000" in capsys.readouterr().out
    cli(db_url, "recipients", "count")
    assert capsys.readouterr().out.strip() == "60000"
