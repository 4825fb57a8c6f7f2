"""`campaign-desktop export` as a scheduler or a tester runs it."""

from __future__ import annotations

import csv
from datetime import date

from campaign_desktop.cli.main import main
from campaign_desktop.domain.job import JobStatus, RunControl
from tests.support.files import write_recipients_csv


def cli(db_url: str, *args: str) -> int:
    return main(["--db", db_url, *args])


def test_export_writes_the_file_and_prints_a_summary(db_url, tmp_path, capsys):
    assert cli(db_url, "import", str(write_recipients_csv(tmp_path / "p.csv", 40))) == 0
    out = tmp_path / "out.csv"
    assert cli(db_url, "export", str(out), "--option", "output.separator=;",
               "--option", 'filter={"op": "equals", "field": "gender", "value": "Female"}',
               "--option", 'columns=[{"expression": "email"}, {"expression": "city"}]') == 0
    printed = capsys.readouterr().out
    assert "Finished" in printed and "Exported 13 record(s)" in printed
    rows = list(csv.reader(out.open(newline=""), delimiter=";"))
    assert rows[0] == ["Email", "City"] and len(rows) == 14


def test_a_folder_gets_the_templates_file_name_with_its_tokens(db_url, tmp_path, capsys):
    assert cli(db_url, "import", str(write_recipients_csv(tmp_path / "p.csv", 5))) == 0
    assert cli(db_url, "export", str(tmp_path) + "/", "--option", "output.file_name={template}-{date}-{count}.csv") == 0
    assert (tmp_path / f"newExport-{date.today():%Y-%m-%d}-5.csv").exists()


def test_preview_prints_the_sql_and_the_first_lines(db_url, tmp_path, capsys):
    cli(db_url, "import", str(write_recipients_csv(tmp_path / "p.csv", 30)))
    capsys.readouterr()
    assert cli(db_url, "export", str(tmp_path / "x.csv"), "--preview",
               "--option", 'filter={"op": "starts_with", "field": "email", "value": "user1"}') == 0
    printed = capsys.readouterr().out
    assert "SELECT" in printed and "FROM recipients" in printed and "-- 11 record(s)" in printed
    assert not (tmp_path / "x.csv").exists()


def test_bad_arguments_exit_2_with_a_message(db_url, tmp_path, capsys):
    assert cli(db_url, "export", str(tmp_path / "x.csv"), "--template", "newImport") == 2
    assert "is an import template" in capsys.readouterr().err
    assert cli(db_url, "export", str(tmp_path / "x.csv"), "--option",
               'filter={"op": "equals", "field": "shoe_size", "value": 1}') == 2
    err = capsys.readouterr().err
    assert "'shoe_size' is not a recipient field" in err and "Traceback" not in err
    assert cli(db_url, "export", str(tmp_path / "missing" / "x.csv")) == 2
    assert "does not exist" in capsys.readouterr().err


def test_a_paused_export_resumes_from_the_start_and_completes(service, tmp_path):
    write_recipients_csv(tmp_path / "p.csv", 300)
    service.run_job(service.create_import_job(str(tmp_path / "p.csv")))
    control = RunControl()
    control.pause()
    job_id = service.create_export_job(str(tmp_path / "out.csv"), options=["advanced.batch_size=100"])
    paused = service.run_job(job_id, control=control)
    assert paused.status is JobStatus.PAUSED and not (tmp_path / "out.csv").exists()
    done = service.run_job(job_id, resume=True)
    assert done.status is JobStatus.FINISHED and done.counters.processed == 300
    assert len((tmp_path / "out.csv").read_text().splitlines()) == 301
