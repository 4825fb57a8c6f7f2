"""Killed again and again, an import still ends with exactly the recipients of an uninterrupted run.

A smaller loop than ``benchmarks/stress_kill_resume.py`` (20 kills of 200,000 lines): CI stays fast,
the same code is exercised.
"""

from __future__ import annotations

from campaign_desktop.services import CampaignService
from campaign_desktop.storage.database import create_db_engine
from tests.support.files import write_recipients_csv
from tests.support.kill_loop import kill_and_resume

LINES = 20_000
BATCH = 500


def recipients(service: CampaignService) -> list[tuple]:
    with service.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT email, first_name, last_name, birth_date, account, city, phone FROM recipients")
        return sorted(tuple(str(v) for v in row) for row in rows)  # dates: date on PostgreSQL, text on SQLite


def test_three_kills_at_random_points_then_resume_give_the_uninterrupted_result(db_url, tmp_path):
    source = write_recipients_csv(tmp_path / "prospects.csv", LINES, bad_every=250)
    options = [f"advanced.batch_size={BATCH}", "advanced.stop_on_rejects=false"]
    service = CampaignService(create_db_engine(db_url))
    job_id = service.create_import_job(str(source), options=options)
    service.close()

    report = kill_and_resume(db_url, job_id, kills=3, batch_lines=BATCH, max_delay_s=0.3)

    assert report.problems == []
    assert report.kills >= 2, report  # the file is long enough for the kills to land mid-import
    service = CampaignService(create_db_engine(db_url))
    reference = CampaignService(create_db_engine(f"sqlite:///{tmp_path / 'reference.db'}"))
    try:
        job = service.jobs.get(job_id)
        assert job.status.value == "finished", job.message
        assert job.counters.processed == LINES and job.counters.balanced()
        assert job.counters.rejected == LINES // 250
        reference.run_job(reference.create_import_job(str(source), options=options))
        assert recipients(service) == recipients(reference)
    finally:
        service.close()
        reference.close()
