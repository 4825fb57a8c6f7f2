"""A first import into an empty table skips the lookups of keys it has never met — and only those."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from campaign_desktop.reconcile.fresh_keys import FreshKeys
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


def test_only_keys_met_before_are_looked_up(engine):
    if engine.dialect.name != "sqlite":
        with engine.connect() as conn:
            assert FreshKeys.for_job(conn, dry_run=False) is None  # other workstations may write meanwhile
        return
    with engine.connect() as conn:
        fresh = FreshKeys.for_job(conn, dry_run=False)
        assert fresh is not None
        assert fresh.to_look_up(0, [("a@x.com",), ("b@x.com",)]) == []
        assert fresh.to_look_up(0, [("b@x.com",), ("c@x.com",)]) == [("b@x.com",)]
        assert fresh.to_look_up(1, [("c@x.com",)]) == []  # key #2 is another set of keys


def test_the_filter_stands_down_once_another_connection_writes(engine):
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as conn:
        fresh = FreshKeys.for_job(conn, dry_run=False)
        assert fresh is not None and fresh.still_alone(conn)
        conn.rollback()
        with engine.begin() as other:  # the GUI's recipient form, another job…
            other.exec_driver_sql("INSERT INTO recipients (email, created, last_modified) "
                                  "VALUES ('z@x.com', '2024-01-01', '2024-01-01')")
        assert not fresh.still_alone(conn)
        conn.rollback()


def test_a_table_with_recipients_gets_no_filter(engine):
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO recipients (email, created, last_modified) "
                             "VALUES ('z@x.com', '2024-01-01', '2024-01-01')")
    with engine.connect() as conn:
        assert FreshKeys.for_job(conn, dry_run=False) is None
