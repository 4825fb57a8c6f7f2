"""A big first import builds the search indexes once at the end; nothing can leave them missing."""

from __future__ import annotations

import pytest

from campaign_desktop.domain.job import JobStatus, RunControl
from campaign_desktop.storage import bulk_indexes
from campaign_desktop.storage.database import create_db_engine
from campaign_desktop.storage.search_key import SEARCH_INDEXES
from tests.support.files import write_recipients_csv


@pytest.fixture
def small_files_count_as_big(monkeypatch):
    """The tests' files have hundreds of lines, not the hundreds of thousands the rule waits for."""
    monkeypatch.setattr(bulk_indexes, "MIN_BULK_LINES", 10)


def index_names(engine) -> set[str]:
    if engine.dialect.name == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'recipients'"
    else:
        sql = "SELECT indexname FROM pg_indexes WHERE tablename = 'recipients'"
    with engine.connect() as conn:
        return set(conn.exec_driver_sql(sql).scalars())


def bulk_messages(service, job_id: int) -> list[str]:
    return [e.message for _, e in service.jobs.journal(job_id) if e.code == "BULK-INDEXES"]


def test_a_big_first_import_builds_the_search_indexes_at_the_end(service, tmp_path, small_files_count_as_big):
    path = write_recipients_csv(tmp_path / "prospects.csv", 1500)
    job_id = service.create_import_job(str(path), options=["advanced.batch_size=500"])
    seen_during: list[set[str]] = []
    out = service.run_job(job_id, progress=lambda p: seen_during.append(index_names(service.engine)))
    assert out.status is JobStatus.FINISHED and out.counters.inserted == 1500
    assert set(SEARCH_INDEXES) <= index_names(service.engine)
    if service.engine.dialect.name == "sqlite":
        # While it ran, only the index the email reconciliation looks up through was kept up to date.
        assert "ix_recipients_email_key" in seen_during[0]
        assert "ix_recipients_last_name_key" not in seen_during[0]
        said = bulk_messages(service, job_id)
        assert len(said) == 2 and "the last name and account number search indexes" in said[0]  # then "rebuilt"
    else:  # on PostgreSQL dropping an index would lock out the other workstations: never done
        assert set(SEARCH_INDEXES) <= set.intersection(*seen_during)
        assert bulk_messages(service, job_id) == []


def test_a_small_file_into_a_big_table_keeps_the_indexes_up_to_date(service, tmp_path, small_files_count_as_big):
    service.run_job(service.create_import_job(str(write_recipients_csv(tmp_path / "a.csv", 900))))
    job_id = service.create_import_job(str(write_recipients_csv(tmp_path / "b.csv", 100, start=900)))
    assert service.run_job(job_id).counters.inserted == 100
    assert bulk_messages(service, job_id) == [] or service.engine.dialect.name != "sqlite"


def test_a_paused_bulk_import_leaves_the_indexes_in_place(service, tmp_path, small_files_count_as_big):
    control = RunControl()
    job_id = service.create_import_job(str(write_recipients_csv(tmp_path / "p.csv", 1000)),
                                       options=["advanced.batch_size=100"])
    out = service.run_job(job_id, control=control, progress=lambda p: control.pause())
    assert out.status is JobStatus.PAUSED
    assert set(SEARCH_INDEXES) <= index_names(service.engine)
    assert service.run_job(job_id, resume=True).counters.inserted == 1000


def test_indexes_a_killed_import_left_dropped_are_back_at_the_next_opening(tmp_path):
    url = f"sqlite:///{tmp_path / 'campaign.db'}"
    engine = create_db_engine(url)
    with engine.connect() as conn:
        bulk_indexes.defer_indexes(conn, ["email"])  # as the import does, then the power goes
    assert "ix_recipients_account_key" not in index_names(engine)
    engine.dispose()

    reopened = create_db_engine(url)
    assert set(SEARCH_INDEXES) <= index_names(reopened)
    reopened.dispose()


def test_a_big_workbook_counts_its_rows_not_its_bytes(service, tmp_path, small_files_count_as_big):
    from tests.support.nasty_files import write_xlsx

    path = write_xlsx(tmp_path / "people.xlsx",
                      [["email", "last_name"], *([f"p{i}@x.com", f"Name{i}"] for i in range(40))])
    job_id = service.create_import_job(str(path))
    assert service.run_job(job_id).counters.inserted == 40
    assert set(SEARCH_INDEXES) <= index_names(service.engine)
    if service.engine.dialect.name == "sqlite":  # 40 rows >= 10; read as bytes, 40 would make no line at all
        assert len(bulk_messages(service, job_id)) == 2


def test_a_big_first_import_read_by_a_second_process_keeps_the_indexes(service, tmp_path, small_files_count_as_big,
                                                                      monkeypatch):
    """Then the reading process shares the job's work, and a rebuild at the end would only add a last step."""
    from campaign_desktop.jobs import reader_spawn

    monkeypatch.setattr(reader_spawn, "MIN_BYTES", 0)
    path = write_recipients_csv(tmp_path / "prospects.csv", 1500)
    job_id = service.create_import_job(str(path), options=["advanced.batch_size=500"])
    seen_during: list[set[str]] = []
    out = service.run_job(job_id, progress=lambda p: seen_during.append(index_names(service.engine)))
    assert out.status is JobStatus.FINISHED and out.counters.inserted == 1500
    assert set(SEARCH_INDEXES) <= set.intersection(*seen_during) and bulk_messages(service, job_id) == []
