"""Auto-Detect format: what the File to import page fills in when a marketer picks a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from campaign_desktop.domain.template import FileType
from campaign_desktop.files import detect_format
from tests.support.nasty_files import write_recipients_csv


def test_a_french_marketers_semicolon_file_in_cp1252_is_detected(data: Path) -> None:
    fmt = detect_format(data / "french_cp1252_semicolon.csv")
    assert fmt.file_type is FileType.DELIMITED
    assert fmt.encoding == "cp1252"
    assert fmt.separator == ";"
    assert fmt.string_delimiter == '"'
    assert fmt.header is True
    assert fmt.header_row == 1


def test_a_utf8_file_with_a_bom_says_so_in_its_encoding(data: Path) -> None:
    fmt = detect_format(data / "recipients_utf8_bom.csv")
    assert (fmt.encoding, fmt.separator) == ("utf-8-sig", ",")


@pytest.mark.parametrize(("name", "encoding"), [
    ("recipients_utf16le_bom.txt", "utf-16-le"),
    ("recipients_utf16be_bom.txt", "utf-16-be"),
    ("recipients_utf16le_nobom.txt", "utf-16-le"),
])
def test_excel_unicode_text_exports_are_recognised_as_utf16_tab_files(data: Path, name: str,
                                                                      encoding: str) -> None:
    fmt = detect_format(data / name)
    assert (fmt.encoding, fmt.separator, fmt.header) == (encoding, "\t", True)


def test_decimal_commas_do_not_fool_the_separator_guess(data: Path) -> None:
    fmt = detect_format(data / "decimal_commas.csv")
    assert fmt.separator == ";"


def test_a_pipe_file_without_header_is_seen_as_such(data: Path) -> None:
    fmt = detect_format(data / "pipe_no_header.txt")
    assert (fmt.separator, fmt.header, fmt.header_row) == ("|", False, 0)


def test_a_cr_only_file_from_an_old_mac_is_detected(data: Path) -> None:
    fmt = detect_format(data / "cr_only.csv")
    assert (fmt.separator, fmt.header) == (";", True)


def test_an_xlsx_with_a_title_finds_its_header_on_row_3(data: Path) -> None:
    fmt = detect_format(data / "header_on_row_3.xlsx")
    assert fmt.file_type is FileType.XLSX
    assert (fmt.sheet, fmt.header, fmt.header_row) == ("Recipients", True, 3)


def test_an_xlsx_renamed_csv_is_read_as_the_workbook_it_is(data: Path) -> None:
    fmt = detect_format(data / "workbook_renamed.csv")
    assert fmt.file_type is FileType.XLSX
    assert fmt.header_row == 3


def test_single_quotes_as_string_delimiter_are_recognised(tmp_path: Path) -> None:
    path = tmp_path / "single.csv"
    path.write_text("name,comment\n'Lee, Ann','hello'\n'Roe','x, y'\n", encoding="utf-8")
    fmt = detect_format(path)
    assert (fmt.separator, fmt.string_delimiter) == (",", "'")


def test_a_tab_file_whose_values_contain_commas_keeps_tab(tmp_path: Path) -> None:
    path = tmp_path / "tabs.txt"
    path.write_text("name\tcity\nLee, Ann\tParis, France\nRoe, Bob\tLyon, France\n", encoding="utf-8")
    assert detect_format(path).separator == "\t"


def test_detection_reads_only_the_start_of_a_big_file(tmp_path: Path) -> None:
    path = write_recipients_csv(tmp_path / "big.csv", 60_000, separator=";")
    fmt = detect_format(path)
    assert (fmt.encoding, fmt.separator, fmt.header) == ("utf-8", ";", True)


def test_a_latin1_file_with_c1_bytes_undefined_in_cp1252_is_latin1(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("nom;ville\nRené;Besançon\n".encode("latin-1") + b"x\x81y;z\n")
    assert detect_format(path).encoding == "latin-1"


def test_a_russian_cp1251_file_is_not_mistaken_for_western(tmp_path: Path) -> None:
    path = tmp_path / "ru.csv"
    path.write_bytes("Имя;Фамилия;Город\nИван;Петров;Москва\nМария;Сидорова;Казань\n".encode("cp1251"))
    assert detect_format(path).encoding == "cp1251"


def test_a_german_cp1252_file_is_named_cp1252_not_cp1250(tmp_path: Path) -> None:
    path = tmp_path / "de.csv"
    path.write_bytes("Name;Straße\nMüller;Hauptstraße 5\nSchröder;Königsallee\n".encode("cp1252"))
    assert detect_format(path).encoding == "cp1252"


def test_a_utf8_file_with_one_pasted_cp1252_line_stays_utf8(data: Path) -> None:
    assert detect_format(data / "mixed_encoding.csv").encoding == "utf-8"


def test_a_data_only_file_is_not_taken_for_a_header(tmp_path: Path) -> None:
    path = tmp_path / "noheader.csv"
    path.write_text("a@x.fr,Ann,1985-12-31,12\nb@x.fr,Bob,1990-04-03,7\nc@x.fr,Cyd,2001-02-01,3\n")
    assert detect_format(path).header is False
