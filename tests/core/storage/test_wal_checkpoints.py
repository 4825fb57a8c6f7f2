"""While a big import writes, its write-ahead log is copied into the database by a thread of its own."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from campaign_desktop.storage import wal_checkpoints
from campaign_desktop.storage.wal_checkpoints import WalCheckpoints


def test_the_log_of_a_writer_that_never_checkpoints_is_copied_meanwhile(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(wal_checkpoints, "EVERY_SECONDS", 0.01)
    path = str(tmp_path / "c.db")
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")  # as the import's connection during the import
    writer.execute("CREATE TABLE t (v TEXT)")
    with WalCheckpoints(path):
        for batch in range(5):
            writer.execute("BEGIN")
            writer.executemany("INSERT INTO t VALUES (?)", [(f"row {batch} {i}" * 5,) for i in range(2000)])
            writer.execute("COMMIT")
        # The database file itself (read without the log) ends up holding the rows.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (tmp_path / "c.db").stat().st_size < 500_000:
            time.sleep(0.02)
        assert (tmp_path / "c.db").stat().st_size >= 500_000
    assert not any(t.name == "import-wal-checkpoints" for t in threading.enumerate())
    assert writer.execute("SELECT count(*) FROM t").fetchone()[0] == 10_000
    writer.close()
