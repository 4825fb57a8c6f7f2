"""Blank fields bind as NULL, quickly: the adapter for None changes no stored value."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from campaign_desktop.storage.null_binding import bind_none_quickly
from campaign_desktop.storage.staged_rows import read_staged, stage_rows


def test_none_is_still_null_and_other_values_are_untouched() -> None:
    bind_none_quickly()
    bind_none_quickly()  # twice: harmless
    with closing(sqlite3.connect(":memory:")) as db:
        db.execute("CREATE TABLE t (a, b, c, d)")
        db.executemany("INSERT INTO t VALUES (?, ?, ?, ?)", [(None, 1, "x", 1.5), ("", None, None, b"\x00")])
        assert db.execute("SELECT typeof(a), typeof(b), typeof(c), typeof(d) FROM t ORDER BY rowid").fetchall() == [
            ("null", "integer", "text", "real"), ("text", "null", "null", "blob")]
    rows = [["ann@x.com", None, 3], ["bob@x.com", "Bob", None]]
    assert read_staged(stage_rows(rows)) == rows
