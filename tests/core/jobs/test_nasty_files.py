"""Every awkward file a marketer may send imports with exact accounting — or a clear message.

Each file of ``tests/data/files`` goes through the real import, on SQLite and PostgreSQL: either the
job refuses the file with a sentence (no traceback), or every record read ends as exactly one of
inserted / updated / ignored / rejected, and the database holds exactly the inserted ones.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from campaign_desktop.domain.errors import SourceFileError
from campaign_desktop.domain.job import JobStatus
from campaign_desktop.files import open_source

FILES = sorted((Path(__file__).resolve().parents[2] / "data" / "files").iterdir())
OPTIONS = ["advanced.stop_on_rejects=false", "reconciliation.operation=insert", "reconciliation.key1="]
# A fixed-width file needs its widths, which only its template knows.
NEEDS_A_TEMPLATE = {"fixed_width.txt"}


def records_in(path: Path) -> int | None:
    try:
        with open_source(path) as src:
            return sum(1 for _ in src.records())
    except SourceFileError:
        return None


@pytest.mark.parametrize("path", [p for p in FILES if p.name not in NEEDS_A_TEMPLATE], ids=lambda p: p.name)
def test_a_nasty_file_is_refused_clearly_or_accounted_exactly(service, path):
    expected = records_in(path)
    job_id = service.create_import_job(str(path), options=OPTIONS)
    out = service.run_job(job_id)
    if expected is None:
        assert out.bad_input and out.status is JobStatus.FINISHED_WITH_ERRORS
        assert out.message and "Traceback" not in out.message
        return
    if out.bad_input:  # e.g. nothing in the file maps to a recipient field: said, not crashed
        assert out.message and "Traceback" not in out.message
        return
    c = out.counters
    assert out.status is JobStatus.FINISHED, out.message
    assert c.processed == expected and c.total == expected
    assert c.balanced()
    assert service.count_recipients() == c.inserted
    assert service.jobs.count_rejects(job_id) == c.rejected
    for reject in service.jobs.iter_rejects(job_id):
        assert reject.line_no > 0 and reject.message


def test_the_french_file_lands_with_its_accents(service):
    path = next(p for p in FILES if p.name == "french_cp1252_semicolon.csv")
    out = service.run_job(service.create_import_job(str(path)))
    assert out.counters.inserted >= 4 and out.counters.rejected == 0
    with service.engine.connect() as conn:
        names = {r[0] for r in conn.exec_driver_sql("SELECT last_name FROM recipients")}
    assert "Lefèvre" in names and "Noël" in names


def test_trace_mode_and_start_line_and_line_limit(service, tmp_path):
    from tests.support.files import write_recipients_csv

    path = write_recipients_csv(tmp_path / "p.csv", 50)
    out = service.run_job(service.create_import_job(
        str(path), options=["advanced.trace=true", "advanced.start_line=11", "advanced.line_limit=5"]))
    assert (out.counters.processed, out.counters.inserted) == (5, 5)
    lines = [e.message for _, e in service.jobs.journal(out.job_id) if e.level.value == "trace"]
    assert lines == [f"Line {n}: recipient 'user{n - 2}@example{(n - 2) % 97}.com' inserted" for n in range(12, 17)]
