"""Excel workbooks as marketers send them: titles, blank rows, date cells, numbers stored as floats."""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime, time
from pathlib import Path

from campaign_desktop.domain.template import FileFormat, FileType
from campaign_desktop.files import open_source, preview
from campaign_desktop.files.xlsx import cell_text
from tests.support.nasty_files import write_xlsx


def test_a_workbook_with_a_title_is_read_from_its_header_on_row_3(data: Path) -> None:
    with open_source(data / "header_on_row_3.xlsx") as source:
        assert source.columns == ["Email", "Prénom", "Date de naissance", "Points", "Inscrit le"]
        records = list(source.records())
        assert source.bytes_total == 7
    assert [r.line_no for r in records] == [4, 5, 6, 7]
    assert records[0].values == ["anne@exemple.fr", "Anne", "1985-12-31", "42", "2024-03-01 09:30:15"]
    assert records[1].values == ["luc@exemple.fr", "Luc", "1990-04-03", "3.5", "2024-03-02"]
    assert records[2].values == [] and records[2].raw == ""  # the empty row is a blank record
    assert records[3].values == ["ines@exemple.fr", "Inès", "2001-02-01", "7", ""]
    assert records[0].raw == "anne@exemple.fr;Anne;1985-12-31;42;2024-03-01 09:30:15"
    assert [r.end_offset for r in records] == [4, 5, 6, 7]


def test_the_header_row_can_be_chosen(data: Path) -> None:
    with open_source(data / "header_on_row_3.xlsx", FileFormat(header_row=3)) as source:
        assert source.file_format.header_row == 3
        assert source.columns[0] == "Email"


def test_a_workbook_without_header_numbers_its_columns(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "raw.xlsx", [["a@x.fr", 1], ["b@x.fr", 2, "extra"]])
    with open_source(path, FileFormat(header=False)) as source:
        assert source.columns == ["Column 1", "Column 2", "Column 3"]
        assert source.file_format.header_row == 0
        assert [r.values for r in source.records()] == [["a@x.fr", "1", ""], ["b@x.fr", "2", "extra"]]


def test_cells_beyond_the_header_are_a_too_many_values_error(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "wide.xlsx", [["email", "name"], ["a@x.fr", "Ann", "stray note"]])
    with open_source(path) as source:
        (rec,) = list(source.records())
    assert rec.error_code == "too_many_values"
    assert rec.error == "Row has 3 values, 2 expected (too many)"


def test_another_sheet_can_be_read_by_name(data: Path) -> None:
    with open_source(data / "header_on_row_3.xlsx", FileFormat(sheet="Notes")) as source:
        assert source.columns == ["other", "sheet"]
        assert source.file_format.file_type is FileType.XLSX


def test_an_xlsx_renamed_csv_reads_like_the_workbook(data: Path) -> None:
    with open_source(data / "workbook_renamed.csv") as source:
        assert source.columns[0] == "Email"
        assert len(list(source.records())) == 4


def test_a_wrong_dimension_in_the_sheet_does_not_cut_the_data(tmp_path: Path) -> None:
    """Some generators write <dimension ref="A1"/>: openpyxl alone would stop after row 1."""
    good = write_xlsx(tmp_path / "good.xlsx", [["email"], *[[f"p{i}@x.fr"] for i in range(20)]])
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                body = re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1"/>', body)
            dst.writestr(item, body)
    with open_source(bad) as source:
        records = list(source.records())
        assert source.bytes_total == 21
    assert len(records) == 20 and records[-1].values == ["p19@x.fr"]


def test_cells_become_the_text_a_csv_would_hold() -> None:
    assert cell_text(None) == ""
    assert cell_text(42) == "42"
    assert cell_text(42.0) == "42"
    assert cell_text(0.1) == "0.1"
    assert cell_text(33612345678.0) == "33612345678"
    assert cell_text(True) == "TRUE"
    assert cell_text(date(2024, 2, 29)) == "2024-02-29"
    assert cell_text(datetime(2024, 2, 29)) == "2024-02-29"
    assert cell_text(datetime(2024, 2, 29, 10, 5, 59, 999_600)) == "2024-02-29 10:06:00"
    assert cell_text(time(8, 30)) == "08:30:00"


def test_the_preview_of_a_workbook_types_its_date_cells(data: Path) -> None:
    result = preview(data / "header_on_row_3.xlsx")
    types = {p.name: (p.detected_type.value, p.date_format) for p in result.profiles}
    assert types["Date de naissance"] == ("date", "YYYY-MM-DD")
    assert types["Points"][0] == "decimal"
    assert result.line_count_estimate == 4


def test_a_header_with_a_year_column_is_still_found_under_its_title(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "years.xlsx", [
        ["Ventes par client"],
        ["Client", "Email", "Ville", "Segment", "2024"],
        ["Dupont", "d@x.fr", "Paris", "A", 1200],
        ["Martin", "m@x.fr", "Lyon", "B", 800],
    ])
    with open_source(path) as source:
        assert source.file_format.header_row == 2
        assert source.columns == ["Client", "Email", "Ville", "Segment", "2024"]
