"""Hostile files: each one is refused with a sentence or imported as clean rejects, in bounded memory.

A marketer's file may be a broken copy, a disk image named .csv, a workbook crafted to explode, or
values written to attack a database or a spreadsheet. None may crash the job, eat the machine's
memory, or land in the database as anything but plain text. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from campaign_desktop.domain.job import JobStatus
from tests.support import hostile_files as hostile

OPTIONS = ["advanced.stop_on_rejects=false"]
MB = 1024 * 1024


def run_import(service, path: Path):  # type: ignore[no-untyped-def]
    """Import ``path`` with the default template; the outcome and the peak of Python memory."""
    job_id = service.create_import_job(str(path), options=OPTIONS)
    tracemalloc.start()
    try:
        out = service.run_job(job_id)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return job_id, out, peak


def refused(out) -> str:  # type: ignore[no-untyped-def]
    """The refusal's message, after checking it is one: bad input, said in a sentence."""
    assert out.bad_input and out.status is JobStatus.FINISHED_WITH_ERRORS, out.message
    assert out.message and "Traceback" not in out.message and "Error(" not in out.message
    assert out.counters.inserted == out.counters.updated == 0
    return out.message


def emails(service) -> set[str]:  # type: ignore[no-untyped-def]
    with service.engine.connect() as conn:
        return {r[0] for r in conn.exec_driver_sql("SELECT email FROM recipients")}


def test_an_empty_file_says_it_is_empty(service):
    _, out, _ = run_import(service, hostile.HOSTILE_FILES / "empty.csv")
    assert "empty" in refused(out)


def test_binary_garbage_named_csv_is_not_text(service):
    _, out, _ = run_import(service, hostile.HOSTILE_FILES / "binary_garbage.csv")
    assert "binary" in refused(out)


def test_a_2_gb_sparse_file_is_refused_at_once_without_reading_it(service, tmp_path):
    _, out, peak = run_import(service, hostile.sparse_file(tmp_path / "disk_image.csv"))
    assert "binary" in refused(out)
    assert peak < 32 * MB


def test_nul_bytes_are_dropped_not_stored(service):
    _, out, _ = run_import(service, hostile.HOSTILE_FILES / "nul_bytes.csv")
    c = out.counters
    assert out.status is JobStatus.FINISHED and c.balanced()
    assert (c.inserted, c.ignored) == (2, 1)  # the line of NULs alone is an empty line
    with service.engine.connect() as conn:
        names = {r[0] for r in conn.exec_driver_sql("SELECT first_name FROM recipients")}
    assert names == {"Anne", "Luc"}


def test_invalid_utf8_in_the_middle_rejects_that_line_only(service):
    job_id, out, _ = run_import(service, hostile.HOSTILE_FILES / "invalid_utf8_midfile.csv")
    c = out.counters
    assert out.status is JobStatus.FINISHED and c.balanced()
    assert (c.inserted, c.rejected) == (3001, 1)
    [reject] = list(service.jobs.iter_rejects(job_id))
    assert reject.line_no == 3002 and "not valid utf-8" in reject.message and "encoding" in reject.message


def test_a_workbook_renamed_csv_is_read_as_a_workbook(service):
    _, out, _ = run_import(service, hostile.HOSTILE_FILES / "zip_named_csv.csv")
    assert out.status is JobStatus.FINISHED and out.counters.inserted == 1
    assert emails(service) == {"a@example.com"}


def test_a_workbook_declaring_xml_entities_is_refused(service):
    _, out, peak = run_import(service, hostile.HOSTILE_FILES / "entity_expansion.xlsx")
    assert "XML entities" in refused(out)
    assert peak < 64 * MB


def test_a_zip_bomb_workbook_is_refused_before_inflating(service, tmp_path):
    _, out, peak = run_import(service, hostile.zip_bomb_xlsx(tmp_path / "bomb.xlsx", megabytes=80))
    assert "zip bomb" in refused(out)
    assert peak < 32 * MB


def test_a_workbook_broken_after_its_first_rows_keeps_what_was_read_and_says_where(service, tmp_path):
    path = hostile.malformed_tail_xlsx(tmp_path / "truncated.xlsx", rows=50)
    _, out, _ = run_import(service, path)
    assert out.status is JobStatus.FINISHED_WITH_ERRORS and out.message
    assert "cannot be read" in out.message and "Traceback" not in out.message


def test_a_10_mb_field_is_one_clean_reject_in_bounded_memory(service, tmp_path):
    job_id, out, peak = run_import(service, hostile.huge_field_csv(tmp_path / "huge.csv"))
    c = out.counters
    assert out.status is JobStatus.FINISHED and c.balanced()
    assert (c.inserted, c.rejected) == (2, 1)
    [reject] = list(service.jobs.iter_rejects(job_id))
    assert reject.line_no == 3 and "larger than 10 MB" in reject.message
    assert len(reject.raw) < 100_000  # the raw text kept for the user is cut, not 10 MB per reject
    assert peak < 80 * MB


def test_a_50000_column_header_imports_its_one_mapped_column(tmp_path):
    # The header is the reader's and the mapper's affair: one backend is enough (14 s each under tracemalloc).
    from campaign_desktop.services import CampaignService

    service = CampaignService.open(f"sqlite:///{tmp_path / 'c.db'}")
    _, out, peak = run_import(service, hostile.wide_header_csv(tmp_path / "wide.csv"))
    assert out.status is JobStatus.FINISHED and out.counters.inserted == 1
    assert emails(service) == {"wide@example.com"}
    assert peak < 200 * MB
    service.close()


@pytest.mark.parametrize("name", ["injection.csv"])
def test_sql_and_formula_injection_are_stored_as_plain_text(service, name):
    _, out, _ = run_import(service, hostile.HOSTILE_FILES / name)
    assert out.status is JobStatus.FINISHED and out.counters.inserted == 4, out.message
    with service.engine.connect() as conn:
        rows = {r[0]: r[1:] for r in conn.exec_driver_sql(
            "SELECT email, first_name, last_name, city FROM recipients")}
    assert rows["robert@example.com"] == ("'); DROP TABLE recipients;--", "O'Brien", "Paris")
    assert rows["quote@example.com"] == ('" OR 1=1 --', "x' OR 'a'='a", "Lyon")
    assert rows["formula@example.com"] == ('=HYPERLINK("http://x.example")', "+33 1 23", "@SUM(A1:A9)")
    assert rows["minus@example.com"][:2] == ("-2+3", "=1+1")
