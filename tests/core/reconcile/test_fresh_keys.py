"""A first import into an empty table skips the lookups of keys it has never met — and only those."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from campaign_desktop.reconcile.fresh_keys import FreshTable, SeenKeys
from campaign_desktop.storage.schema import recipients


def names_by_email(service) -> dict[str, str]:
    with service.engine.connect() as conn:
        return dict(conn.execute(select(recipients.c.email, recipients.c.first_name)).all())


def test_an_email_repeated_batches_later_in_a_first_import_updates_its_recipient(service, tmp_path: Path):
    lines = [f"p{i}@x.com;First{i}" for i in range(250)] + [f"p{i}@x.com;Again{i}" for i in range(50)]
    path = tmp_path / "doubles.csv"
    path.write_text("email;first_name\n" + "\n".join(lines) + "\n", encoding="utf-8")
    job_id = service.create_import_job(str(path), options=["advanced.batch_size=100"])
    out = service.run_job(job_id)
    assert (out.counters.inserted, out.counters.updated) == (250, 50)
    names = names_by_email(service)
    assert len(names) == 250 and names["p0@x.com"] == "Again0" and names["p60@x.com"] == "First60"


def test_the_reader_marks_only_keys_it_may_have_met_before():
    seen = SeenKeys()
    assert seen.maybe_met([("a@x.com",), ("b@x.com",), None], second=()) == []
    assert seen.maybe_met([("b@x.com",), ("c@x.com",), ("b@x.com",)], second=()) == [0, 2]
    # Key #2 values live apart: the same value met as a key #1 does not count.
    assert seen.maybe_met([("c@x.com",), ("ACC1",)], second={0}) == []
    assert seen.maybe_met([("ACC1",), ("c@x.com",)], second={1}) == [0, 1]


def test_a_fresh_table_goes_back_to_full_lookups_once_another_connection_writes(engine):
    if engine.dialect.name != "sqlite":
        with engine.connect() as conn:
            assert FreshTable.for_job(conn, dry_run=False) is None  # other workstations may write meanwhile
        return
    with engine.connect() as conn:
        fresh = FreshTable.for_job(conn, dry_run=False)
        assert fresh is not None and fresh.still_alone(conn)
        conn.rollback()
        with engine.begin() as other:  # the GUI's recipient form, another job…
            other.exec_driver_sql("INSERT INTO recipients (email, created, last_modified) "
                                  "VALUES ('z@x.com', '2024-01-01', '2024-01-01')")
        assert not fresh.still_alone(conn)
        conn.rollback()


def test_a_table_with_recipients_takes_no_shortcut(engine):
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO recipients (email, created, last_modified) "
                             "VALUES ('z@x.com', '2024-01-01', '2024-01-01')")
    with engine.connect() as conn:
        assert FreshTable.for_job(conn, dry_run=False) is None
