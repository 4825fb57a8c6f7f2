"""Big files are read by a second process: the same results as reading in the job's own process.

The threshold is lowered so that small files (a few hundred lines) take the second-process
path; each story compares it with the in-process path on the same file, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from campaign_desktop.domain.errors import SourceFileError
from campaign_desktop.domain.job import JobStatus, RunControl
from campaign_desktop.domain.template import FileFormat, ImportSettings
from campaign_desktop.files import open_source
from campaign_desktop.jobs import reader_process, reader_spawn
from campaign_desktop.jobs.reader_process import ReaderDied, ReaderJob, ReaderProcess
from tests.support.files import write_recipients_csv


@pytest.fixture
def reading(monkeypatch):
    """reading("process") / reading("inline"): where the next jobs read their file."""

    def choose(where: str) -> None:
        size = 0 if where == "process" else 10**15
        monkeypatch.setattr(reader_spawn, "MIN_BYTES", size)
        monkeypatch.setattr(reader_process, "MIN_ROWS", size)

    return choose


def nasty_csv(tmp_path: Path) -> Path:
    """400 recipients with a bad email every 37 lines, then a blank line, a ragged row, a quoted
    value spanning two lines, an impossible date and a repeated email."""
    path = write_recipients_csv(tmp_path / "nasty.csv", 400, bad_every=37)
    with open(path, "a", encoding="utf-8", newline="") as fh:
        fh.write("\n")
        fh.write("short@x.com,Ann\n")
        fh.write('multi@x.com,"Jean\nPierre",Martin,1980-01-01,1,ACC9,Paris,+33 1\n')
        fh.write("late@x.com,Zoe,Petit,2024-02-31,2,ACC8,Lyon,+33 2\n")
        fh.write("user5@example5.com,Again,Dubois,1955-06-06,2,ACC00000005,Nice,+33 3\n")
    return path


def run(service, path: Path, options: list[str], **kw):  # type: ignore[no-untyped-def]
    job_id = service.create_import_job(str(path), options=options, dry_run=kw.pop("dry_run", False))
    return service.run_job(job_id, **kw)


def rejects_of(service, job_id: int) -> list[tuple[int, str, str]]:  # type: ignore[no-untyped-def]
    return [(r.line_no, r.reason_code, r.raw) for r in service.jobs.iter_rejects(job_id)]


def test_a_file_read_by_a_second_process_gives_the_same_counters_and_rejects(service, tmp_path, reading):
    path = nasty_csv(tmp_path)
    options = ["advanced.batch_size=100", "advanced.stop_on_rejects=false"]
    reading("inline")
    inline = run(service, path, options, dry_run=True)
    reading("process")
    dry = run(service, path, options, dry_run=True)
    real = run(service, path, options)
    assert real.status is JobStatus.FINISHED and real.counters.balanced()
    assert inline.counters.as_dict() == dry.counters.as_dict() == real.counters.as_dict()
    expected = rejects_of(service, inline.job_id)
    assert rejects_of(service, dry.job_id) == rejects_of(service, real.job_id) == expected
    assert [n for n, _, _ in expected][:3] == [38, 75, 112]  # header + every 37th recipient
    assert any("late@x.com" in raw for _, code, raw in expected if code == "invalid_date")
    assert service.count_recipients() == real.counters.inserted
    again = run(service, path, options)  # every line now matches a recipient holding its values
    assert again.counters.inserted == 0 and again.counters.unchanged == real.counters.inserted - 1


def test_the_reject_threshold_stops_at_the_same_line_in_both_ways(service, tmp_path, reading):
    path = write_recipients_csv(tmp_path / "bad.csv", 600, bad_every=9)
    options = ["advanced.batch_size=100", "advanced.max_rejects=20"]
    reading("inline")
    inline = run(service, path, options, dry_run=True)
    reading("process")
    child = run(service, path, options, dry_run=True)
    assert child.status is inline.status is JobStatus.FINISHED_WITH_ERRORS
    assert child.counters.as_dict() == inline.counters.as_dict() and child.counters.rejected == 20
    assert service.jobs.get(child.job_id).resume_state["line"] == service.jobs.get(inline.job_id).resume_state["line"]


def test_a_job_paused_while_a_second_process_reads_resumes_from_its_byte_offset(service, tmp_path, reading):
    reading("process")
    path = write_recipients_csv(tmp_path / "p.csv", 500, bad_every=50)
    control = RunControl()
    job_id = service.create_import_job(str(path), options=["advanced.batch_size=100",
                                                          "advanced.stop_on_rejects=false"])

    def pause_after_two_batches(progress):  # type: ignore[no-untyped-def]
        if progress.counters.processed >= 200:
            control.pause()

    paused = service.run_job(job_id, control=control, progress=pause_after_two_batches)
    assert paused.status is JobStatus.PAUSED and paused.counters.processed == 200
    state = service.jobs.get(job_id).resume_state
    assert state["line"] == 201 and 0 < state["offset"] < path.stat().st_size
    done = service.run_job(job_id, resume=True)
    c = done.counters
    assert done.status is JobStatus.FINISHED and (c.processed, c.inserted, c.rejected) == (500, 490, 10)
    assert [r.line_no for r in service.jobs.iter_rejects(job_id)] == list(range(51, 502, 50))
    assert service.count_recipients() == 490


def test_cancelling_a_job_ends_its_reading_process(service, tmp_path, reading):
    reading("process")
    path = write_recipients_csv(tmp_path / "p.csv", 1000)
    control = RunControl()
    job_id = service.create_import_job(str(path), options=["advanced.batch_size=100"])
    started: list[int] = []
    real_init = ReaderProcess.__init__

    def remember(self, *args, **kw):  # type: ignore[no-untyped-def]
        real_init(self, *args, **kw)
        started.append(self.pid)

    ReaderProcess.__init__ = remember  # type: ignore[method-assign]
    try:
        out = service.run_job(job_id, control=control, progress=lambda p: control.cancel())
    finally:
        ReaderProcess.__init__ = real_init  # type: ignore[method-assign]
    assert out.status is JobStatus.CANCELLED and service.count_recipients() == out.counters.inserted == 100
    assert len(started) == 1
    with pytest.raises(ProcessLookupError):  # ended and reaped: not even a zombie is left
        os.kill(started[0], 0)


def reader_job(path: Path) -> ReaderJob:
    settings = ImportSettings()
    with open_source(path) as source:
        fmt = source.file_format
    return ReaderJob(str(path), fmt, settings, [], "sqlite", 100, 0, 0, 0)


def test_a_file_the_reading_process_cannot_open_is_the_usual_clear_error(tmp_path):
    path = write_recipients_csv(tmp_path / "p.csv", 10)
    job = reader_job(path)
    path.unlink()
    child = ReaderProcess(job, ["email"])
    try:
        with pytest.raises(SourceFileError, match="p.csv"):
            list(child.batches())
    finally:
        child.close()


def test_a_reading_process_that_dies_is_an_error_not_a_hang(tmp_path):
    # Far more than the pipe holds (~100 kB): the child is still at work when it is killed.
    path = write_recipients_csv(tmp_path / "p.csv", 5000)
    job = reader_job(path)
    child = ReaderProcess(job, ["email", "first_name", "last_name", "birth_date", "gender", "account", "city",
                                "phone"])
    try:
        batches = child.batches()
        first = next(batches)
        assert len(first.lines) == 100 and first.lines[0][0] == 2
        os.kill(child.pid, signal.SIGKILL)
        with pytest.raises(ReaderDied, match="stopped unexpectedly"):
            list(batches)
    finally:
        child.close()


def test_the_job_format_is_read_the_same_way_by_the_reading_process(tmp_path):
    path = tmp_path / "semi.csv"
    path.write_bytes("email;first_name\r\nann@x.com;Ann\r\n\r\nbob@x.com;Bob\r\n".encode("cp1252"))
    with open_source(path) as source:
        fmt: FileFormat = source.file_format
    job = ReaderJob(str(path), fmt, ImportSettings(), [], "sqlite", 100, 0, 0, 0)
    child = ReaderProcess(job, ["email", "first_name"])
    try:
        (batch,) = list(child.batches())
    finally:
        child.close()
    assert [ln[2] for ln in batch.lines] == [["ann@x.com", "Ann"], ["bob@x.com", "Bob"]]
    assert (batch.empty, batch.exhausted, batch.last) == (1, True, (path.stat().st_size, 4))


def test_a_workbook_read_by_a_second_process_gives_the_same_result(service, tmp_path, reading):
    from tests.support.nasty_files import xlsx_with_title_rows

    path = xlsx_with_title_rows(tmp_path / "crm.xlsx")
    reading("inline")
    inline = run(service, path, [], dry_run=True)
    reading("process")
    real = run(service, path, [])
    assert real.status is JobStatus.FINISHED and real.counters.inserted == 3
    assert inline.counters.as_dict() == real.counters.as_dict()
    assert rejects_of(service, inline.job_id) == rejects_of(service, real.job_id)


def test_the_first_batch_of_the_reading_process_is_short_and_the_others_keep_the_batch_size(tmp_path):
    from campaign_desktop.jobs.batches import LineReader
    from campaign_desktop.mapping import RowConverter
    from campaign_desktop.reconcile.keys import KeyPlan

    path = write_recipients_csv(tmp_path / "p.csv", 250, bad_every=50)
    settings = ImportSettings()
    runs = {}
    for first in (0, 30):
        with open_source(path) as source:
            converter = RowConverter(source.columns, settings)
            keys = KeyPlan(settings.reconciliation, converter.destinations)
            reader = LineReader(converter, keys, settings.advanced, 100, first_batch=first)
            runs[first] = list(reader.batches(source.records(), 0))
    sizes = [len(b.rows) + len(b.rejects) for b in runs[30]]
    assert sizes == [30, 100, 100, 20] and [len(b.rows) + len(b.rejects) for b in runs[0]] == [100, 100, 50]
    assert [r for b in runs[30] for r in b.rows] == [r for b in runs[0] for r in b.rows]
    assert [r.line_no for b in runs[30] for r in b.rejects] == [r.line_no for b in runs[0] for r in b.rejects]
    assert runs[30][-1].last == runs[0][-1].last and runs[30][-1].index == runs[0][-1].index
