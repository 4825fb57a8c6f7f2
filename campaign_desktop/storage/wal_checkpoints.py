"""Copying an import's write-ahead log into the SQLite database while the import runs, not after it.

A big import writes hundreds of MB into the write-ahead log; SQLite copies them into the database
file in checkpoints, which it runs inside a commit once the log is long enough (``wal_autocheckpoint``)
and once more after the last batch. Both times the import waits. During a big import a thread of its
own does that copying instead, every fraction of a second, with a connection of its own: a PASSIVE
checkpoint copies what is committed without blocking the import, which meanwhile commits without ever
checkpointing (``wal_autocheckpoint=0`` on its connection). The last batch then leaves little to copy.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from types import TracebackType

log = logging.getLogger(__name__)

EVERY_SECONDS = 0.3


class WalCheckpoints:
    """A thread checkpointing the SQLite file ``path`` until ``stop()`` (a context manager)."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="import-wal-checkpoints", daemon=True)

    def __enter__(self) -> WalCheckpoints:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(10)

    def _run(self) -> None:
        try:
            db = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error:
            log.debug("no checkpoint thread for %s", self._path, exc_info=True)
            return
        try:
            while not self._stop.wait(EVERY_SECONDS):
                try:
                    db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error:  # busy (another checkpoint), or the file went away: try again later
                    log.debug("checkpoint skipped", exc_info=True)
        finally:
            db.close()


__all__ = ["WalCheckpoints"]
