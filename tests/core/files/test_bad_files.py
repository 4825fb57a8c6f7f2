"""Files that cannot be imported get one clear sentence, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from campaign_desktop.domain.errors import SourceFileError
from campaign_desktop.domain.template import FileFormat, FileType
from campaign_desktop.files import detect_format, open_source, preview
from tests.support.nasty_files import write_xlsx


def _message(path: Path, file_format: FileFormat | None = None) -> str:
    with pytest.raises(SourceFileError) as info:
        open_source(path, file_format)
    return str(info.value)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    assert "does not exist" in _message(tmp_path / "gone.csv")


def test_a_folder_is_not_a_file(tmp_path: Path) -> None:
    assert "is a folder" in _message(tmp_path)


def test_a_zero_byte_file_is_empty(data: Path) -> None:
    assert "The file is empty" in _message(data / "empty.csv")
    with pytest.raises(SourceFileError, match="empty"):
        detect_format(data / "empty.csv")


def test_binary_garbage_named_csv_is_refused_as_not_text(data: Path) -> None:
    assert "does not look like a text file" in _message(data / "garbage.csv")


def test_random_bytes_named_xlsx_are_a_damaged_workbook(data: Path) -> None:
    assert "not a valid Excel workbook" in _message(data / "corrupt.xlsx")


def test_a_truncated_workbook_is_damaged(data: Path, tmp_path: Path) -> None:
    whole = (data / "header_on_row_3.xlsx").read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole[: len(whole) // 2])
    assert "damaged" in _message(cut)


def test_a_zip_that_is_no_workbook_says_so(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "archive.csv"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("recipients.csv", "email\na@x.fr\n")
    assert "ZIP archive" in _message(path)


def test_an_old_xls_workbook_asks_to_save_as_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    assert ".xls" in _message(path)


def test_a_pdf_is_not_a_file_of_recipients(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    assert "PDF" in _message(path)


def test_an_xlsx_read_with_a_text_template_is_explained(data: Path) -> None:
    fmt = FileFormat(file_type=FileType.DELIMITED)
    assert "is an Excel workbook" in _message(data / "workbook_renamed.csv", fmt)


def test_a_wrong_explicit_encoding_that_cannot_decode_the_header_is_refused(data: Path) -> None:
    message = _message(data / "french_cp1252_semicolon.csv", FileFormat(encoding="utf-8"))
    assert "header line cannot be read as utf-8" in message


def test_utf16_chosen_for_a_utf8_file_is_refused(data: Path) -> None:
    assert "not a utf-16 file" in _message(data / "recipients_utf8_bom.csv", FileFormat(encoding="utf-16"))


def test_an_unknown_encoding_name_is_refused(data: Path) -> None:
    assert "Unknown encoding 'klingon'" in _message(data / "ragged.csv", FileFormat(encoding="klingon"))


def test_an_unknown_sheet_lists_the_available_ones(data: Path) -> None:
    message = _message(data / "header_on_row_3.xlsx", FileFormat(sheet="Contacts"))
    assert "no sheet named 'Contacts'" in message
    assert "'Recipients', 'Notes'" in message


def test_a_sheet_name_typed_in_another_case_is_found(data: Path) -> None:
    with open_source(data / "header_on_row_3.xlsx", FileFormat(sheet="notes", header_row=1)) as source:
        assert source.file_format.sheet == "Notes"
        assert source.columns == ["other", "sheet"]


def test_an_empty_workbook_sheet_reads_as_no_records(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "blank.xlsx", [])
    result = preview(path)
    assert result.rows == []


def test_a_separator_longer_than_one_character_is_refused(data: Path) -> None:
    assert "single character" in _message(data / "ragged.csv", FileFormat(separator=";;"))
