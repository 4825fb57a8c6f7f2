"""PostgreSQL batches written as one COPY text: exact, or left to psycopg when a value needs escaping."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from campaign_desktop.storage.recipients_writer import copy_text


def test_a_batch_of_plain_values_becomes_one_copy_text_with_nulls_and_shared_tail_values():
    rows = [["ann@x.com", None, 3, date(1980, 1, 2), True], ["bob@x.com", "Bob", 1.5, None, False]]
    text = copy_text(rows, (None, "web", datetime(2026, 11, 29, 9, 30)), 8)
    assert text == ("ann@x.com\t\\N\t3\t1980-01-02\tt\t\\N\tweb\t2026-11-29T09:30:00\n"
                    "bob@x.com\tBob\t1.5\t\\N\tf\t\\N\tweb\t2026-11-29T09:30:00\n")


@pytest.mark.parametrize("value", ["tab\there", "two\nlines", "back\\slash", "carriage\rreturn", "nul\x00"])
def test_a_value_that_would_need_escaping_leaves_the_batch_to_psycopg(value):
    assert copy_text([["ok@x.com", "fine"], ["x@x.com", value]], (), 2) is None


def test_a_value_of_an_unknown_type_leaves_the_batch_to_psycopg():
    assert copy_text([["ok@x.com", object()]], (), 2) is None


def test_an_empty_batch_is_an_empty_text():
    assert copy_text([], (1,), 1) == ""


def test_values_with_tabs_backslashes_and_line_breaks_are_stored_exactly(service, tmp_path):
    from sqlalchemy import select

    from campaign_desktop.storage.schema import recipients

    path = tmp_path / "odd.csv"
    path.write_text('email,first_name,last_name,company\n'
                    'a@x.com,Ann,Lee,Plain\n'
                    'b@x.com,"Tab\there","Back\\slash","Two\nlines"\n'
                    'c@x.com,\\N,,"Quote "" inside"\n', encoding="utf-8")
    job_id = service.create_import_job(str(path))
    out = service.run_job(job_id)
    assert out.counters.inserted == 3
    with service.engine.connect() as conn:
        got = conn.execute(select(recipients.c.first_name, recipients.c.last_name, recipients.c.company)
                           .order_by(recipients.c.email)).all()
    assert [tuple(r) for r in got] == [("Ann", "Lee", "Plain"), ("Tab\there", "Back\\slash", "Two\nlines"),
                                       ("\\N", None, 'Quote " inside')]
