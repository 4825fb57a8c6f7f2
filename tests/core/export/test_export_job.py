"""Export jobs end to end: real files read back with csv/openpyxl, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl

from campaign_desktop.domain.job import JobStatus, RunControl
from campaign_desktop.domain.template import Condition, ExportColumn, JobKind, SortKey, Transform
from tests.core.export.support import export_template, seed
from tests.support.files import write_recipients_csv


def run_export(service, out: Path, tpl, options=None, control=None, progress=None):  # type: ignore[no-untyped-def]
    job_id = service.create_export_job(str(out), tpl, options=options)
    return service.run_job(job_id, control=control, progress=progress)


def read_csv(path: Path, **kw) -> list[list[str]]:  # type: ignore[no-untyped-def]
    with open(path, newline="", encoding=kw.pop("encoding", "utf-8")) as fh:
        return list(csv.reader(fh, **kw))


def test_a_csv_export_reads_back_with_its_header_escaping_and_quotes(service, tmp_path):
    seed(service, tmp_path)
    tpl = export_template("email", "last_name", "phone", "comment", "gender", "birth_date")
    out = run_export(service, tmp_path / "out.csv", tpl)
    assert out.status is JobStatus.FINISHED and out.counters.processed == 5
    rows = read_csv(tmp_path / "out.csv")
    assert rows[0] == ["Email", "Last name", "Phone", "Comment", "Gender", "Birth date"]
    by_email = {r[0]: r for r in rows[1:]}
    assert by_email["ann@x.com"][2] == "+33 6 11 22 33 44"  # a phone number is no formula: left alone
    assert by_email["ann@x.com"][3] == "'=HYPERLINK(\"http://evil\")"
    assert by_email["bob@x.com"][3] == "'@SUM(A1)"
    assert by_email["cy@x.com"][2:4] == ["-5", "'-cmd|' /C calc'!A0"]
    assert by_email["dee@x.com"][3] == "plain, with a comma"
    assert by_email["eve@x.com"][3] == 'say "hi" now'
    assert by_email["ann@x.com"][4:] == ["Female", "1980-05-01"]  # enumeration labels by default
    assert [r[0] for r in rows[1:]] == ["ann@x.com", "bob@x.com", "cy@x.com", "dee@x.com", "eve@x.com"]
    journal = [e.message for _, e in service.jobs.journal(out.job_id)]
    assert "Starting data export (5 records)" in journal and any("End of export 'out.csv'" in m for m in journal)


def test_formula_escaping_can_be_turned_off(service, tmp_path):
    seed(service, tmp_path)
    out = run_export(service, tmp_path / "raw.csv", export_template("email", "comment"),
                     options=["output.escape_formulas=false"])
    assert out.status is JobStatus.FINISHED
    assert read_csv(tmp_path / "raw.csv")[1][1] == '=HYPERLINK("http://evil")'


def test_text_options_separator_delimiter_line_end_and_bom(service, tmp_path):
    seed(service, tmp_path)
    path = tmp_path / "out.txt"
    out = run_export(service, path, export_template("email", "comment"), options=[
        "output.format=text", "output.separator=tab", "output.string_delimiter='", "output.line_end=CRLF",
        "output.bom=true", "output.header=false", "output.encoding=utf-8"])
    assert out.status is JobStatus.FINISHED
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\r\n") == 5
    rows = read_csv(path, encoding="utf-8-sig", delimiter="\t", quotechar="'")
    assert rows[0] == ["ann@x.com", "'=HYPERLINK(\"http://evil\")"]  # the escape survives the quoting
    assert rows[2] == ["cy@x.com", "'-cmd|' /C calc'!A0"]


def test_an_encoding_that_cannot_hold_a_value_fails_cleanly_without_a_file(service, tmp_path):
    seed(service, tmp_path)
    src = tmp_path / "pl.csv"
    src.write_text("email;last_name\nzb@x.com;Łukasz\n", encoding="utf-8")
    service.run_job(service.create_import_job(str(src)))
    out = run_export(service, tmp_path / "latin.csv", export_template("email", "last_name"),
                     options=["output.encoding=latin-1"])
    assert out.status is JobStatus.FINISHED_WITH_ERRORS and out.bad_input
    assert "cannot be written in latin-1" in out.message
    assert sorted(p.name for p in tmp_path.iterdir() if "latin" in p.name) == []


def test_fixed_width_pads_and_cuts_columns(service, tmp_path):
    seed(service, tmp_path)
    tpl = export_template("email", "first_name", "gender")
    s = tpl.export_settings
    s.columns[1].width = 2
    s.columns[1].transform = Transform.UPPER
    out = run_export(service, tmp_path / "out.dat", tpl, options=["output.format=fixed", "output.header=false"])
    lines = (tmp_path / "out.dat").read_text().splitlines()
    assert lines[0] == "ann@x.com".ljust(128) + "AN" + "Female".ljust(13)
    assert {len(line) for line in lines} == {128 + 2 + 13}
    assert out.counters.warnings == 4  # Ann, Bob, Dee, Eve cut to two letters; Cy fits
    assert any("cut to their column width" in e.message for _, e in service.jobs.journal(out.job_id))


def test_xlsx_export_keeps_types_and_never_writes_live_formulas(service, tmp_path):
    seed(service, tmp_path)
    tpl = export_template("email", "birth_date", "gender", "blacklist_email", "comment")
    out = run_export(service, tmp_path / "out.xlsx", tpl, options=["output.escape_formulas=false"])
    assert out.status is JobStatus.FINISHED
    wb = openpyxl.load_workbook(tmp_path / "out.xlsx")
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[0] == ("Email", "Birth date", "Gender", "No longer contact by email", "Comment")
    ann = rows[1]
    assert ann[0] == "ann@x.com" and ann[1].year == 1980 and ann[2] == "Female"
    assert ann[4] == '=HYPERLINK("http://evil")' and wb.active["E2"].data_type == "s"  # text, not a formula
    assert rows[2][3] is True


def test_xlsx_starts_a_new_sheet_past_the_row_limit(tmp_path):
    from campaign_desktop.domain.template import ExportOutput, OutputFormat
    from campaign_desktop.export.writers import XlsxWriter

    w = XlsxWriter(tmp_path / "big.xlsx", ExportOutput(format=OutputFormat.XLSX), ["n"], max_rows=4)
    w.write_rows([[i] for i in range(7)])
    w.close()
    wb = openpyxl.load_workbook(tmp_path / "big.xlsx")
    assert wb.sheetnames == ["Export", "Export (2)", "Export (3)"]
    assert [[c for (c,) in ws.iter_rows(values_only=True)] for ws in wb] == [["n", 0, 1, 2], ["n", 3, 4, 5],
                                                                              ["n", 6]]


def test_sort_distinct_expressions_and_line_limit(service, tmp_path):
    seed(service, tmp_path)
    tpl = export_template("city", "gender")
    s = tpl.export_settings
    s.distinct = True
    s.sort = [SortKey("gender", descending=True), SortKey("city")]
    s.filter = Condition("is_not_empty", field="city")
    run_export(service, tmp_path / "d.csv", tpl)
    assert read_csv(tmp_path / "d.csv")[1:] == [["Nice", "Female"], ["Paris", "Female"], ["Lyon", "Male"]]

    tpl = export_template("email")
    s = tpl.export_settings
    s.columns.append(ExportColumn(expression="upper(last_name) & ', ' & first_name", label="Who"))
    s.columns.append(ExportColumn(expression="birth_date", label="Born", date_format="DD/MM/YYYY"))
    s.sort = [SortKey("last_name"), SortKey("first_name", descending=True)]
    s.line_limit = 3
    out = run_export(service, tmp_path / "e.csv", tpl)
    assert out.counters.processed == 3
    assert read_csv(tmp_path / "e.csv") == [["Email", "Who", "Born"], ["bob@x.com", "DUBOIS, Bob", "15/01/1990"],
                                            ["ann@x.com", "MARTIN, Ann", "01/05/1980"],
                                            ["eve@x.com", "MOREAU, Eve", "14/07/1975"]]


def test_members_of_a_list_and_file_name_tokens(service, tmp_path):
    seed(service, tmp_path)
    tpl = export_template("email")
    tpl.export_settings.document_type = "list:Newsletter"
    tpl.internal_name = "weekly"
    out = run_export(service, tmp_path / "{template}-{count}.csv", tpl)
    assert out.status is JobStatus.FINISHED
    assert read_csv(tmp_path / "weekly-2.csv")[1:] == [["ann@x.com"], ["bob@x.com"]]
    tpl.export_settings.document_type = "list:Nope"
    bad = run_export(service, tmp_path / "x.csv", tpl)
    assert bad.bad_input and "There is no list 'Nope'" in bad.message


def test_a_cancelled_export_leaves_no_file_under_the_final_name(service, tmp_path):
    write_recipients_csv(tmp_path / "p.csv", 600)
    service.run_job(service.create_import_job(str(tmp_path / "p.csv")))
    (tmp_path / "out.csv").write_text("yesterday's complete export\n")
    control = RunControl()

    def cancel_after_first_batch(progress):  # type: ignore[no-untyped-def]
        if progress.counters.processed:
            control.cancel()

    out = run_export(service, tmp_path / "out.csv", export_template("email"), control=control,
                     progress=cancel_after_first_batch, options=["advanced.batch_size=100"])
    assert out.status is JobStatus.CANCELLED and out.counters.processed == 100
    assert (tmp_path / "out.csv").read_text() == "yesterday's complete export\n"  # untouched
    assert not any(p.name.endswith(".part") for p in tmp_path.iterdir())
    assert service.jobs.get(out.job_id).status is JobStatus.CANCELLED


def test_differential_export_only_writes_what_changed_since_the_last_run(service, tmp_path):
    seed(service, tmp_path)
    tpl = service.new_template(JobKind.EXPORT, "Changes")
    tpl.export_settings.columns = [ExportColumn("email"), ExportColumn("city")]
    tpl.export_settings.differential = True
    tpl = service.templates.save(tpl)
    first = run_export(service, tmp_path / "d1.csv", tpl.id)
    assert first.counters.processed == 5
    change = tmp_path / "change.csv"
    change.write_text("email;city\nbob@x.com;Lille\nnew@x.com;Reims\n", encoding="utf-8")
    service.run_job(service.create_import_job(str(change)))
    run_export(service, tmp_path / "d2.csv", tpl.id)
    assert read_csv(tmp_path / "d2.csv")[1:] == [["bob@x.com", "Lille"], ["new@x.com", "Reims"]]
    third = run_export(service, tmp_path / "d3.csv", tpl.id)
    assert third.counters.processed == 0 and read_csv(tmp_path / "d3.csv") == [["Email", "City"]]


def test_exporting_every_field_then_reimporting_changes_nothing(service, tmp_path):
    write_recipients_csv(tmp_path / "p.csv", 300)
    service.run_job(service.create_import_job(str(tmp_path / "p.csv")))
    seed(service, tmp_path)
    out = run_export(service, tmp_path / "all.csv", "newExport", options=["output.escape_formulas=false"])
    assert out.status is JobStatus.FINISHED and out.counters.processed == 305
    again = service.run_job(service.create_import_job(str(tmp_path / "all.csv")))
    c = again.counters
    assert (c.inserted, c.updated, c.rejected, c.unchanged) == (0, 0, 0, 305), again.message


def test_the_database_built_lines_match_the_python_formatting_byte_for_byte(service, tmp_path):
    from campaign_desktop.jobs.export_job import ExportRun

    seed(service, tmp_path)
    nasty = tmp_path / "nasty.csv"
    nasty.write_text('email,last_name,comment,company\n'
                     'n1@x.com,"semi;colon","line\nbreak","tab\there"\n'
                     "n2@x.com,+,-,'quote'\n"
                     'n3@x.com,"=1+1","+33 (0)6 12","-2-cmd"\n', encoding="utf-8")
    service.run_job(service.create_import_job(str(nasty)))
    variants = [[], ["output.escape_formulas=false"], ["output.separator=;", "output.string_delimiter='"],
                ["output.separator=tab", "output.line_end=CRLF"]]
    for n, options in enumerate(variants):
        outputs = []
        for fast in (True, False):
            ExportRun.fast_lines = fast
            try:
                path = tmp_path / f"v{n}-{fast}.csv"
                assert run_export(service, path, "newExport", options=options).status is JobStatus.FINISHED
                outputs.append(path.read_bytes())
            finally:
                ExportRun.fast_lines = True
        assert outputs[0] == outputs[1], options
