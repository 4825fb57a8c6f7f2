"""The import's bulk insert: many rows per statement on SQLite, every row in file order, on both backends."""

from __future__ import annotations

from datetime import datetime

import pytest

from campaign_desktop.storage.recipients_writer import RecipientsWriter


@pytest.mark.parametrize("count", [1, 49, 50, 123])
def test_every_row_is_inserted_once_in_order_whatever_the_count(engine, count):
    stamp = datetime(2024, 5, 1, 9, 30)
    rows = [(f"p{i}@x.com", f"Name{i}", None if i % 3 else "Paris") for i in range(count)]
    with engine.begin() as conn:
        RecipientsWriter(conn).insert(["email", "first_name", "city"], rows,
                                      {"created": stamp, "last_modified": stamp, "created_by_job_id": 7})
    with engine.connect() as conn:
        got = conn.exec_driver_sql("SELECT email, first_name, city, created_by_job_id FROM recipients "
                                   "ORDER BY id").all()
    assert [tuple(r) for r in got] == [(*r, 7) for r in rows]


def test_wide_rows_stay_under_the_parameter_limit(engine):
    names = ["email", "first_name", "last_name", "middle_name", "salutation", "account", "company", "language",
             "origin", "mobile_phone", "phone", "fax", "comment", "address1", "address2", "address3", "address4",
             "zip_code", "city", "state_code"]
    stamp = datetime(2024, 5, 1)
    rows = [tuple(f"{n[:2]}{i}" for n in names) for i in range(500)]
    with engine.begin() as conn:
        RecipientsWriter(conn).insert(names, rows, {"created": stamp, "last_modified": stamp})
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT COUNT(*), MIN(city), MAX(email) FROM recipients").one() == (
            500, "ci0", "em99")
