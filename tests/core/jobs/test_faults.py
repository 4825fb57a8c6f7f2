"""Faults during a job: a full disk, a read-only database, a database server restarted mid-job.

Each ends the job as Finished with errors with a message naming the cause; no half batch is
left in the database; once the cause is gone, resume completes the job and the recipients equal
those of an uninterrupted run.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import event

from campaign_desktop.domain.job import JobStatus, Progress
from campaign_desktop.services import CampaignService
from campaign_desktop.storage.database import create_db_engine
from tests.support.files import write_recipients_csv

LINES = 3000
OPTIONS = ["advanced.batch_size=500"]


def recipients_state(service: CampaignService) -> list[tuple]:
    with service.engine.connect() as conn:
        return sorted(conn.exec_driver_sql("SELECT email, first_name, last_name, account FROM recipients"))


def expected_state(tmp_path: Path, source: Path) -> list[tuple]:
    """The recipients an uninterrupted run of the same file leaves."""
    reference = CampaignService(create_db_engine(f"sqlite:///{tmp_path / 'reference.db'}"))
    try:
        out = reference.run_job(reference.create_import_job(str(source), options=OPTIONS))
        assert out.status is JobStatus.FINISHED
        return recipients_state(reference)
    finally:
        reference.close()


def assert_consistent(service: CampaignService, job_id: int) -> None:
    """No half batch: the database holds exactly what the job's committed counters say."""
    job = service.jobs.get(job_id)
    assert job.counters.inserted == service.count_recipients()
    assert job.counters.inserted % 500 == 0  # whole batches only


def test_a_full_disk_ends_the_job_with_errors_and_resume_finishes_it_once_space_is_freed(tmp_path):
    source = write_recipients_csv(tmp_path / "prospects.csv", LINES)
    service = CampaignService(create_db_engine(f"sqlite:///{tmp_path / 'campaign.db'}"))
    opened: list[sqlite3.Connection] = []
    event.listen(service.engine, "connect", lambda dbapi, _record: opened.append(dbapi))
    service.engine.dispose()  # from now on every connection is one we can reach

    def fill_the_disk(p: Progress) -> None:
        if p.status is JobStatus.RUNNING and p.counters.inserted == 1000:
            for dbapi in opened:  # the file may not grow any more: SQLite says "database or disk is full"
                pages = dbapi.execute("PRAGMA page_count").fetchone()[0]
                dbapi.execute(f"PRAGMA max_page_count = {pages}")

    job_id = service.create_import_job(str(source), options=OPTIONS)
    out = service.run_job(job_id, progress=fill_the_disk)

    assert out.status is JobStatus.FINISHED_WITH_ERRORS
    assert "disk is full" in out.message and "resume" in out.message
    job = service.jobs.get(job_id)
    assert job.status is JobStatus.FINISHED_WITH_ERRORS and job.message == out.message
    assert_consistent(service, job_id)
    assert 1000 <= service.count_recipients() < LINES

    for dbapi in opened:  # space is freed
        dbapi.execute("PRAGMA max_page_count = 1073741823")
    resumed = service.run_job(job_id, resume=True)
    assert resumed.status is JobStatus.FINISHED, resumed.message
    assert resumed.counters.inserted == LINES and resumed.counters.balanced()
    assert recipients_state(service) == expected_state(tmp_path, source)
    service.close()


def test_a_read_only_database_is_named_and_resume_works_once_writable(tmp_path):
    source = write_recipients_csv(tmp_path / "prospects.csv", LINES)
    path = tmp_path / "campaign.db"
    service = CampaignService(create_db_engine(f"sqlite:///{path}"))
    job_id = service.create_import_job(str(source), options=OPTIONS)
    opened: list[sqlite3.Connection] = []
    event.listen(service.engine, "connect", lambda dbapi, _record: opened.append(dbapi))
    service.engine.dispose()

    def lose_write_access(p: Progress) -> None:
        if p.status is JobStatus.RUNNING and p.counters.inserted == 500:
            for dbapi in opened:  # what a file made read-only under a running job looks like to SQLite
                dbapi.execute("PRAGMA query_only = ON")

    out = service.run_job(job_id, progress=lose_write_access)
    assert out.status is JobStatus.FINISHED_WITH_ERRORS, out.message
    assert "read-only" in out.message
    for dbapi in opened:
        dbapi.execute("PRAGMA query_only = OFF")
    # The job could not write its own end into a read-only database: once writable again, the app
    # (any process, this one included) shows it as Interrupted, with its true counts.
    assert service.jobs.mark_interrupted() == [job_id]
    assert service.jobs.get(job_id).status is JobStatus.INTERRUPTED
    assert_consistent(service, job_id)

    resumed = service.run_job(job_id, resume=True)
    assert resumed.status is JobStatus.FINISHED and resumed.counters.inserted == LINES
    assert recipients_state(service) == expected_state(tmp_path, source)
    service.close()


@pytest.mark.postgres
def test_a_database_server_restarted_mid_job_is_named_and_resume_completes(pg_cluster, tmp_path):
    source = write_recipients_csv(tmp_path / "prospects.csv", LINES)
    pg_cluster.admin_execute("CREATE DATABASE cd_restart TEMPLATE cd_template")
    service = CampaignService(create_db_engine(pg_cluster.url("cd_restart")))
    try:
        def restart_the_server(p: Progress) -> None:
            if p.status is JobStatus.RUNNING and p.counters.inserted == 1000:
                pg_cluster.restart()

        job_id = service.create_import_job(str(source), options=OPTIONS)
        out = service.run_job(job_id, progress=restart_the_server)

        assert out.status is JobStatus.FINISHED_WITH_ERRORS
        assert "server stopped answering" in out.message
        assert service.jobs.get(job_id).status is JobStatus.FINISHED_WITH_ERRORS
        assert_consistent(service, job_id)
        assert service.count_recipients() == 1000

        resumed = service.run_job(job_id, resume=True)
        assert resumed.status is JobStatus.FINISHED and resumed.counters.inserted == LINES
        assert recipients_state(service) == expected_state(tmp_path, source)
    finally:
        service.close()
        pg_cluster.admin_execute("DROP DATABASE IF EXISTS cd_restart WITH (FORCE)")
