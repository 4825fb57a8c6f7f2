"""`campaign-desktop COMMAND` leaves without the interpreter's teardown, and yet leaves everything closed.

The program ends with ``os._exit`` after a command: these run the real program in a process of its own and
look at what it leaves behind — its output whole, its exit code, a database closed the proper way (SQLite's
write-ahead log checkpointed and removed), the import's reading process gone.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.support.files import write_recipients_csv

ROOT = Path(__file__).resolve().parents[2]


def _program(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "campaign_desktop.cli.main", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_an_import_says_everything_and_leaves_its_database_closed(tmp_path: Path) -> None:
    path = write_recipients_csv(tmp_path / "big.csv", 25_000, bad_every=1000)  # big enough for a reading process
    db = tmp_path / "c.db"
    out = _program("--db", f"sqlite:///{db}", "import", str(path), "--option", "advanced.stop_on_rejects=false",
                   "--rejects", str(tmp_path / "rejects.csv"))
    assert out.returncode == 0, out.stderr
    assert "Inserted 24,975" in out.stdout and out.stdout.rstrip().endswith(f"25 rejected line(s) written to "
                                                                            f"{tmp_path / 'rejects.csv'}")
    assert not Path(f"{db}-wal").exists() and not Path(f"{db}-shm").exists()  # the last connection closed
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM recipients").fetchone() == (24_975,)
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert len((tmp_path / "rejects.csv").read_text().splitlines()) == 26


def test_a_failing_command_keeps_its_message_and_exit_code(tmp_path: Path) -> None:
    out = _program("--db", f"sqlite:///{tmp_path / 'c.db'}", "import", str(tmp_path / "missing.csv"))
    assert out.returncode == 2 and "campaign-desktop:" in out.stderr and "Traceback" not in out.stderr
    out = _program("--db", f"sqlite:///{tmp_path / 'c.db'}", "jobs", "show", "999")
    assert out.returncode != 0 and out.stderr.strip() and "Traceback" not in out.stderr
    assert not Path(f"{tmp_path / 'c.db'}-wal").exists()


def test_the_services_a_command_opened_are_closed_when_it_ends(tmp_path: Path, monkeypatch) -> None:
    from campaign_desktop.cli import main as cli
    from campaign_desktop.services import CampaignService

    closed: list[CampaignService] = []
    original = CampaignService.close
    monkeypatch.setattr(CampaignService, "close", lambda self: (closed.append(self), original(self))[1])
    assert cli.main(["--db", f"sqlite:///{tmp_path / 'c.db'}", "jobs", "list"]) == 0
    assert len(closed) == 1
    assert cli.main(["--db", f"sqlite:///{tmp_path / 'c.db'}", "templates", "show", "no such template"]) != 0
    assert len(closed) == 2
