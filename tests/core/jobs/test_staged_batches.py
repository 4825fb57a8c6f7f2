"""A first import's big batches come from the reading process as small databases, copied by SQLite.

Staging must change nothing but the speed: each story imports the same file read inline (rows
through the planner) and read by a second process that stages its batches, and compares what
ends in the database. The thresholds are lowered so that batches of 100 lines are staged.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete, func, select

from campaign_desktop.domain.job import JobStatus
from campaign_desktop.domain.template import ImportSettings
from campaign_desktop.files import open_source
from campaign_desktop.jobs import batch_writing, reader_process, reader_spawn, staged_batches
from campaign_desktop.jobs.reader_process import ReaderJob, ReaderProcess
from campaign_desktop.jobs.staged_batches import unstage
from campaign_desktop.reconcile.keys import KeyPlan
from campaign_desktop.storage.recipients_writer import RecipientsWriter
from campaign_desktop.storage.schema import enum_values, list_members, recipients
from tests.support.files import write_recipients_csv

SKIPPED = {"id", "created", "last_modified", "created_by_job_id", "modified_by_job_id"}


@pytest.fixture
def reading(monkeypatch):
    """reading("process") / reading("inline"); every batch from 50 lines staged."""
    monkeypatch.setattr(staged_batches, "MIN_STAGED_ROWS", 50)
    monkeypatch.setattr(staged_batches, "WHEN_BEHIND", False)

    def choose(where: str) -> None:
        size = 0 if where == "process" else 10**15
        monkeypatch.setattr(reader_spawn, "MIN_BYTES", size)
        monkeypatch.setattr(reader_process, "MIN_ROWS", size)

    return choose


def crm_file(tmp_path: Path) -> Path:
    """450 recipients (a bad email every 41 lines) with an opt-out column, then awkward lines: blank,
    ragged, a quoted value over two lines, an impossible date, and an email met 300 lines earlier."""
    lines = ["email,first_name,last_name,birth_date,gender,account,city,phone,blacklist_email"]
    for i, row in enumerate(write_recipients_csv(tmp_path / "base.csv", 450, bad_every=41)
                            .read_text(encoding="utf-8").splitlines()[1:]):
        lines.append(f"{row},{['yes', '', 'no'][i % 3]}")
    again = lines[120].split(",")
    again[1], again[6] = "Renamed", "Brest"
    lines += ["", "short@x.com,Ann", 'multi@x.com,"Jean\nPierre",Martin,1980-01-01,1,ACC9,Paris,+33 1,yes',
              "late@x.com,Zoe,Petit,2024-02-31,2,ACC8,Lyon,+33 2,", ",".join(again)]
    path = tmp_path / "crm.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def snapshot_and_empty(service) -> tuple[list[dict], list[tuple]]:  # type: ignore[no-untyped-def]
    """The recipients (in id order, without ids and stamps) and enumeration values; then none of either."""
    with service.engine.begin() as conn:
        rows = [{k: v for k, v in r._mapping.items() if k not in SKIPPED}
                for r in conn.execute(select(recipients).order_by(recipients.c.id))]
        enums = sorted(conn.execute(select(enum_values.c.enum, enum_values.c.value)).all())
        conn.execute(delete(recipients))
        conn.execute(delete(enum_values))
    return rows, enums


def run(service, path: Path, options: list[str]):  # type: ignore[no-untyped-def]
    job_id = service.create_import_job(str(path), options=["advanced.batch_size=100", *options])
    return service.run_job(job_id)


def rejects_of(service, job_id: int) -> list[tuple[int, str, str]]:  # type: ignore[no-untyped-def]
    return [(r.line_no, r.reason_code, r.raw) for r in service.jobs.iter_rejects(job_id)]


def test_a_staged_first_import_writes_exactly_what_an_inline_one_writes(service, tmp_path, reading, monkeypatch):
    copies: list[int] = []
    real_copy = RecipientsWriter._insert_staged

    def copy(self, columns, rows, *args):  # type: ignore[no-untyped-def]
        copies.append(len(rows))
        return real_copy(self, columns, rows, *args)

    monkeypatch.setattr(RecipientsWriter, "_insert_staged", copy)
    path = crm_file(tmp_path)
    options = ["advanced.stop_on_rejects=false"]
    reading("inline")
    inline = run(service, path, options)
    expected = snapshot_and_empty(service)
    reading("process")
    staged = run(service, path, options)
    # SQLite copies the batches whose lines are all new; the last one holds the email met before.
    assert len(copies) == (4 if service.engine.dialect.name == "sqlite" else 0) and sum(copies) < 400
    assert staged.status is inline.status is JobStatus.FINISHED
    assert staged.counters.as_dict() == inline.counters.as_dict() and staged.counters.balanced()
    assert (staged.counters.inserted, staged.counters.updated) == (441, 1)  # Brest: the email met earlier
    assert rejects_of(service, staged.job_id) == rejects_of(service, inline.job_id)
    got = snapshot_and_empty(service)
    assert got == expected
    rows, enums = got
    assert {r["blacklist_email"] for r in rows} == {True, False}  # "" -> false, as one by one
    assert ("city", "Brest") in enums and ("city", "Lyon") in enums


def test_the_reject_threshold_cuts_a_staged_batch_where_it_cuts_a_plain_one(service, tmp_path, reading):
    path = write_recipients_csv(tmp_path / "bad.csv", 700, bad_every=13)
    options = ["advanced.max_rejects=30"]
    reading("inline")
    inline = run(service, path, options)
    expected = snapshot_and_empty(service)
    reading("process")
    staged = run(service, path, options)
    assert staged.status is inline.status is JobStatus.FINISHED_WITH_ERRORS
    assert staged.counters.as_dict() == inline.counters.as_dict() and staged.counters.rejected == 30
    assert service.jobs.get(staged.job_id).resume_state == service.jobs.get(inline.job_id).resume_state
    assert snapshot_and_empty(service) == expected


def test_a_second_import_of_the_same_file_updates_through_the_planner_as_before(service, tmp_path, reading):
    reading("process")
    path = crm_file(tmp_path)
    first = run(service, path, ["advanced.stop_on_rejects=false"])
    again = run(service, path, ["advanced.stop_on_rejects=false"])
    assert first.counters.inserted == 441 and again.counters.inserted == 0
    assert again.counters.unchanged + again.counters.updated == 442


def test_the_reading_process_stages_the_big_batches_of_a_fresh_import(tmp_path):
    path = crm_file(tmp_path)
    settings = ImportSettings()
    with open_source(path) as source:
        fmt, columns = source.file_format, source.columns
    destinations = ["email", "first_name", "last_name", "birth_date", "gender", "account", "city", "phone",
                    "blacklist_email"]
    assert columns == destinations
    batches = {}
    for stage_from in (0, 60):
        job = ReaderJob(str(path), fmt, settings, [], "sqlite", 100, 0, 0, 0, track_keys=True,
                        stage_from=stage_from)
        child = ReaderProcess(job, destinations)
        try:
            batches[stage_from] = list(child.batches())
        finally:
            child.close()
    plain, staged = batches[0], batches[60]
    assert [b.staged is not None for b in staged] == [True] * 4 + [False]  # the last batch: 55 lines
    assert staged[0].rows == [] and staged[0].staged.count == len(plain[0].rows) == 98  # 2 bad emails
    keys = KeyPlan(settings.reconciliation, destinations)
    for p, s in zip(plain, staged, strict=True):
        unstage(s, keys, destinations)
        assert (s.rows, s.keys, s.line_nos, s.raws, s.missing) == (p.rows, p.keys, p.line_nos, p.raws, p.missing)
        assert (s.rejects, s.marks, s.last, s.met_before) == (p.rejects, p.marks, p.last, p.met_before)
    assert staged[0].rows[0][-1] is True and staged[0].rows[1][-1] is None  # booleans read back as booleans


def test_the_same_file_again_is_found_unchanged_by_sqlite_as_by_the_planner(service, tmp_path, reading,
                                                                            monkeypatch):
    """Again, into a list, with some recipients opted out meanwhile: same counters, same list, either way."""
    comparisons: list[int] = []
    real_match = batch_writing.match_staged

    def match(*args, **kw):  # type: ignore[no-untyped-def]
        out = real_match(*args, **kw)
        comparisons.append(out.unchanged)
        return out

    monkeypatch.setattr(batch_writing, "match_staged", match)
    path = write_recipients_csv(tmp_path / "again.csv", 450, bad_every=41)
    options = ["advanced.stop_on_rejects=false", "recipients.list_name=Again", "recipients.list_mode=add"]
    outcomes = {}
    for where in ("inline", "process"):
        reading(where)
        run(service, path, options)
        with service.engine.begin() as conn:
            conn.execute(recipients.update().where(recipients.c.account.like('%7')).values(blacklist_email=True))
            conn.execute(delete(list_members))
        outcomes[where] = run(service, path, options)
        with service.engine.connect() as conn:
            members = conn.execute(select(func.count()).select_from(list_members)).scalar_one()
        assert members == 440
        snapshot_and_empty(service)
    inline, staged = outcomes["inline"].counters, outcomes["process"].counters
    assert staged.as_dict() == inline.as_dict()
    assert (staged.unchanged, staged.denylist_kept, staged.inserted) == (440, 44, 0)
    assert len(comparisons) == (4 if service.engine.dialect.name == "sqlite" else 0)
    assert sum(comparisons) == (391 if service.engine.dialect.name == "sqlite" else 0)  # the last batch: 49 lines


def test_a_line_changed_since_sends_its_staged_batch_to_the_planner(service, tmp_path, reading):
    reading("process")
    path = write_recipients_csv(tmp_path / "v1.csv", 300)
    run(service, path, [])
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[150] = lines[150].replace(lines[150].split(",")[1], "Changed", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    again = run(service, path, [])
    assert (again.counters.updated, again.counters.unchanged, again.counters.inserted) == (1, 299, 0)
    with service.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(recipients)
                            .where(recipients.c.first_name == "Changed")).scalar_one() == 1
