"""Finding the keys that appear more than once in a file, with bounded memory.

Only needed when doubles are ignored or rejected, since then *every* line sharing a key is
left out, which a single streaming pass cannot know in advance. Keys are counted in a
scratch SQLite database on disk, so a file of any size fits; only the (usually few)
doubled keys come back into memory.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from collections.abc import Iterable
from pathlib import Path

from campaign_desktop.reconcile.keys import Key


def key_text(key: Key) -> str:
    """A key as comparable text (dates and numbers included)."""
    return json.dumps(key, default=str, ensure_ascii=False)


def find_doubled_keys(keys: Iterable[Key]) -> set[str]:
    """The :func:`key_text` of every key seen more than once."""
    with tempfile.TemporaryDirectory(prefix="cd-doubles-") as tmp:
        db = sqlite3.connect(Path(tmp) / "keys.db")
        try:
            db.execute("PRAGMA journal_mode=OFF")
            db.execute("PRAGMA synchronous=OFF")
            db.execute("CREATE TABLE k (key TEXT NOT NULL)")
            batch: list[tuple[str]] = []
            for key in keys:
                batch.append((key_text(key),))
                if len(batch) >= 50_000:
                    db.executemany("INSERT INTO k VALUES (?)", batch)
                    batch.clear()
            db.executemany("INSERT INTO k VALUES (?)", batch)
            rows = db.execute("SELECT key FROM k GROUP BY key HAVING COUNT(*) > 1").fetchall()
        finally:
            db.close()
    return {r[0] for r in rows}
