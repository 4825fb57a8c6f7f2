"""A large SQLite export read by two processes writes exactly the file one process writes.

The split only starts from ``ExportRun.split_from_rows`` rows (200,000 in use); these stories
lower it so that a few thousand recipients, in batches of a hundred, go through the second
process, its spool, and the lines it hands back for quoting or formula escaping.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from campaign_desktop.domain.job import JobStatus, RunControl
from campaign_desktop.jobs.export_job import ExportRun
from campaign_desktop.jobs.export_split import MIN_ROWS, RangeSplit
from campaign_desktop.services import CampaignService
from campaign_desktop.storage.database import create_db_engine
from tests.support.files import write_recipients_csv

NASTY = ('email,last_name,comment,company\n'
         'n1@x.com,"semi;colon","line\nbreak","tab\there"\n'
         "n2@x.com,+,-,'quote'\n"
         'n3@x.com,"=1+1","+33 (0)6 12","-2-cmd"\n'
         'n4@x.com,"say ""hi""",@SUM(A1),"a,b"\n')


def awkward_rows(n: int) -> str:
    """``n`` recipients, one in three with a value to quote or escape: most batches need redoing."""
    cells = ['"Le Roy, Jr"', '"+33 6 CALL ME"', "-", "plain", '"=cmd"', "O'Hara"]
    return "email,last_name\n" + "".join(f"aw{i}@x.com,{cells[i % len(cells)]}\n" for i in range(n))


@pytest.fixture
def crowd(tmp_path: Path) -> CampaignService:
    """2,000 ordinary recipients, 300 awkward ones, and a few nasty ones (with a NUL character) at the end."""
    service = CampaignService(create_db_engine(f"sqlite:///{tmp_path / 'c.db'}"))
    write_recipients_csv(tmp_path / "people.csv", 2000)
    assert service.run_job(service.create_import_job(str(tmp_path / "people.csv"))).counters.inserted == 2000
    (tmp_path / "awkward.csv").write_text(awkward_rows(300), encoding="utf-8")
    assert service.run_job(service.create_import_job(str(tmp_path / "awkward.csv"))).counters.inserted == 300
    (tmp_path / "nasty.csv").write_text(NASTY, encoding="utf-8")
    assert service.run_job(service.create_import_job(str(tmp_path / "nasty.csv"))).counters.inserted == 4
    with service.engine.begin() as conn:  # a value no file import gives, that the database keeps
        conn.exec_driver_sql("UPDATE recipients SET city = 'Nul' || char(0) || 'Town' WHERE email = 'n4@x.com'")
    yield service
    service.engine.dispose()


def export(service: CampaignService, path: Path, *, split: bool, fast: bool = True, options=(),  # type: ignore[no-untyped-def]
           control: RunControl | None = None, progress=None, readers: int = 1):
    ExportRun.split_from_rows = 1 if split else 10**12
    ExportRun.fast_lines = fast
    ExportRun.readers = readers
    try:
        job = service.create_export_job(str(path), "newExport", options=["advanced.batch_size=100", *options])
        return service.run_job(job, control=control, progress=progress)
    finally:
        ExportRun.split_from_rows = MIN_ROWS
        ExportRun.fast_lines = True
        ExportRun.readers = 0


@pytest.mark.parametrize("options", [[], ["output.escape_formulas=false"],
                                     ["output.separator=;", "output.string_delimiter='", "output.line_end=CRLF"],
                                     ["filter.op=starts_with", "filter.field=email", "filter.value=user1"],
                                     ["filter.op=in", "filter.field=city", "filter.value=Paris,Lyon,Nice"],
                                     ["filter.op=after", "filter.field=birth_date", "filter.value=1980-01-01"],
                                     ["output.encoding=utf-16", "output.bom=true"], ["output.bom=true"]])
def test_two_readers_write_the_same_bytes_as_one(crowd, tmp_path, options, caplog):
    caplog.set_level(logging.INFO, logger="campaign_desktop.jobs.export_split")
    paths, counts = {}, set()
    for name, split, fast in (("split", True, True), ("serial", False, True), ("normal", False, False)):
        paths[name] = tmp_path / f"{name}.csv"
        out = export(crowd, paths[name], split=split, fast=fast, options=options)
        assert out.status is JobStatus.FINISHED, out.message
        counts.add(out.counters.processed)
        assert ("shared with" in caplog.text) is split
        caplog.clear()
    assert paths["split"].read_bytes() == paths["serial"].read_bytes() == paths["normal"].read_bytes()
    filtered = any(o.startswith("filter.") for o in options)
    assert len(counts) == 1 and (100 < counts.pop() < 2304 if filtered else counts.pop() == 2304)
    assert "Nul\x00Town".encode(out_encoding(options)) in paths["split"].read_bytes() or "filter.op" in str(options)
    assert not list(tmp_path.glob(".export-*"))  # the claims and spools are gone


def out_encoding(options: list[str]) -> str:
    return "utf-16-le" if "output.encoding=utf-16" in options else "utf-8"


def test_three_reading_processes_share_the_chunks_and_write_the_same_bytes(crowd, tmp_path):
    (tmp_path / "split").mkdir()
    out = export(crowd, tmp_path / "split" / "out.csv", split=True, readers=3)
    assert out.status is JobStatus.FINISHED and out.counters.processed == 2304
    export(crowd, tmp_path / "serial.csv", split=False)
    assert (tmp_path / "split" / "out.csv").read_bytes() == (tmp_path / "serial.csv").read_bytes()
    assert [p.name for p in (tmp_path / "split").iterdir()] == ["out.csv"]


# A second process that takes the last chunks and dies before writing them (killed, out of memory).
DIES_AFTER_CLAIMING = """
import json, os, sys
job = json.load(sys.stdin)
for chunk in reversed(range(1, len(job["chunks"]))):
    open(os.path.join(job["folder"], f"{chunk}.claim"), "x").close()
sys.exit("killed")
"""


@pytest.mark.parametrize("child", ["import sys; sys.exit('no second reader today')", DIES_AFTER_CLAIMING])
def test_when_the_second_reader_dies_the_job_reads_its_chunks_itself(crowd, tmp_path, monkeypatch, caplog, child):
    monkeypatch.setattr(RangeSplit, "child_args", ["-c", child])
    out = export(crowd, tmp_path / "split.csv", split=True)
    assert out.status is JobStatus.FINISHED and out.counters.processed == 2304
    assert "a reading process failed" in caplog.text
    export(crowd, tmp_path / "serial.csv", split=False)
    assert (tmp_path / "split.csv").read_bytes() == (tmp_path / "serial.csv").read_bytes()


def test_a_cancelled_split_export_leaves_neither_file_nor_spool(crowd, tmp_path):
    control = RunControl()

    def cancel_after_first_batch(progress):  # type: ignore[no-untyped-def]
        if progress.counters.processed:
            control.cancel()

    folder = tmp_path / "exports"
    folder.mkdir()
    out = export(crowd, folder / "out.csv", split=True, control=control, progress=cancel_after_first_batch)
    assert out.status is JobStatus.CANCELLED and out.counters.processed == 100
    assert list(folder.iterdir()) == []  # no file, no .part, no spool
