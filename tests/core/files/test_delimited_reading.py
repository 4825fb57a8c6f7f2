"""Reading delimited files as they come from CRMs, Excel and old systems."""

from __future__ import annotations

from pathlib import Path

import pytest

from campaign_desktop.domain.template import ColumnFormat, FileFormat
from campaign_desktop.files import open_source
from tests.core.files.conftest import read_all


def test_a_french_marketers_semicolon_file_in_cp1252_is_read_with_its_accents(data: Path) -> None:
    columns, records = read_all(data / "french_cp1252_semicolon.csv")
    assert columns == ["Prénom", "Nom", "Courriel", "Date de naissance"]
    assert [r.values[:2] for r in records] == [
        ["Élodie", "Lefèvre"], ["François", "Dupré-Œuvray"], ["Anaïs", "L’Hôte"], ["Jérôme", "Noël"]]
    assert all(not r.error for r in records)
    assert [r.line_no for r in records] == [2, 3, 4, 5]
    assert records[-1].end_offset == (data / "french_cp1252_semicolon.csv").stat().st_size


def test_the_bom_never_sticks_to_the_first_column_name(data: Path) -> None:
    columns, records = read_all(data / "recipients_utf8_bom.csv")
    assert columns[0] == "Prénom"
    assert records[0].values[0] == "Élodie"


def test_a_bom_is_stripped_even_when_utf8_is_chosen_explicitly(data: Path) -> None:
    columns, _ = read_all(data / "recipients_utf8_bom.csv", FileFormat(encoding="utf-8"))
    assert columns[0] == "Prénom"


@pytest.mark.parametrize("name", ["recipients_utf16le_bom.txt", "recipients_utf16be_bom.txt",
                                  "recipients_utf16le_nobom.txt"])
def test_utf16_exports_read_like_any_other_file(data: Path, name: str) -> None:
    columns, records = read_all(data / name)
    assert columns == ["Prénom", "Nom", "Courriel", "Date de naissance"]
    assert records[1].values == ["François", "Dupré-Œuvray", "f.dupre@exemple.fr", "03/04/1990"]
    assert records[-1].end_offset == (data / name).stat().st_size


def test_quoted_values_keep_separators_doubled_quotes_and_line_breaks(data: Path) -> None:
    _, records = read_all(data / "quoted_newlines.csv")
    assert [r.values for r in records] == [
        ["a@x.fr", "Dupont, Jean", "Line one\r\nline two"],
        ["b@x.fr", 'O"Brien', 'He said "hi"'],
        ["c@x.fr", "Plain", "three\r\nline\r\nnote"],
        ["d@x.fr", "Last", "no quotes"],
    ]
    assert [r.line_no for r in records] == [2, 4, 5, 8]
    assert records[0].raw == 'a@x.fr,"Dupont, Jean","Line one\r\nline two"'
    assert records[-1].raw == "d@x.fr,Last,no quotes"  # no final newline
    assert records[-1].end_offset == (data / "quoted_newlines.csv").stat().st_size


def test_a_cr_only_file_is_split_on_its_carriage_returns(data: Path) -> None:
    _, records = read_all(data / "cr_only.csv")
    assert [r.values for r in records] == [
        ["ann@x.fr", "Ann"], ["bob@x.fr", "Bob\rBobby"], ["cyd@x.fr", "Cyd"]]
    assert [r.line_no for r in records] == [2, 3, 5]


def test_mixed_line_ends_are_all_line_ends(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"a;b\r\n1;2\r3;4\n5;6\r\n7;8")
    _, records = read_all(path, FileFormat(separator=";"))
    assert [r.values for r in records] == [["1", "2"], ["3", "4"], ["5", "6"], ["7", "8"]]
    assert [r.end_offset for r in records] == [9, 13, 18, 21]


def test_ragged_lines_become_error_records_and_the_rest_is_read(data: Path) -> None:
    _, records = read_all(data / "ragged.csv")
    by_line = {r.line_no: r for r in records}
    assert by_line[3].error_code == "too_few_values"
    assert by_line[3].error == "Line has 2 values, 3 expected (too few)"
    assert by_line[5].error_code == "too_many_values"
    assert by_line[5].error == "Line has 5 values, 3 expected (too many)"
    assert by_line[6].values == ["d@x.fr", "Dan", "Poe"] and not by_line[6].error  # trailing separator
    assert by_line[4].values == [] and by_line[7].values == []  # blank lines
    assert by_line[8].values == ["e@x.fr", "Eve", "Fox"]


def test_an_unterminated_quote_at_the_end_is_one_error_record_not_a_hang(data: Path) -> None:
    _, records = read_all(data / "unterminated_quote.csv")
    assert len(records) == 2
    assert records[0].values == ["a@x.fr", "fine"]
    assert records[1].error_code == "unterminated_quote"
    assert records[1].line_no == 3
    assert "never closed" in records[1].error
    assert records[1].end_offset == (data / "unterminated_quote.csv").stat().st_size


def test_nul_bytes_are_cleaned_not_fatal(data: Path) -> None:
    _, records = read_all(data / "nul_bytes.csv")
    assert [r.values for r in records] == [["a@x.fr", "Ann"], ["b@x.fr", "Bob"]]


def test_nul_bytes_inside_quotes_are_cleaned_too(tmp_path: Path) -> None:
    path = tmp_path / "nul.csv"
    path.write_bytes(b'a,b\n"x\x00y",z\n')
    _, records = read_all(path)
    assert records[0].values == ["xy", "z"]


def test_a_line_in_another_encoding_is_an_encoding_error_with_a_readable_raw(data: Path) -> None:
    _, records = read_all(data / "mixed_encoding.csv")
    assert [r.error_code for r in records] == ["", "encoding", ""]
    bad = records[1]
    assert bad.raw == "b@x.fr;J\ufffdr\ufffdme"
    assert "not valid utf-8" in bad.error and "0xE9" in bad.error
    assert records[2].values == ["c@x.fr", "Anaïs"]


def test_a_bad_byte_inside_a_multiline_quoted_value_spoils_only_that_record(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b'id,note\n1,"caf\xe9\nsecond line"\n2,ok\n')
    _, records = read_all(path, FileFormat(encoding="utf-8"))
    assert [r.error_code for r in records] == ["encoding", ""]
    assert records[0].values == ["1", "caf\ufffd\nsecond line"]
    assert records[1].line_no == 4


def test_no_header_uses_column_numbers(data: Path) -> None:
    columns, records = read_all(data / "pipe_no_header.txt")
    assert columns == ["Column 1", "Column 2", "Column 3"]
    assert records[0].line_no == 1 and records[0].values == ["a@x.fr", "Ann", "1985-12-31"]


def test_no_header_with_template_columns_uses_their_names(data: Path) -> None:
    fmt = FileFormat(header=False, separator="|", columns=[ColumnFormat("email"), ColumnFormat("first"),
                                                           ColumnFormat("birth", label="Birth date")])
    columns, records = read_all(data / "pipe_no_header.txt", fmt)
    assert columns == ["email", "first", "Birth date"]
    assert len(records) == 3


def test_ignored_lines_are_skipped_before_the_header(tmp_path: Path) -> None:
    path = tmp_path / "report.csv"
    path.write_text("Extraction CRM\nDate: 2024-03-12\nemail;name\na@x.fr;Ann\n", encoding="utf-8")
    with open_source(path, FileFormat(lines_to_ignore=2)) as source:
        assert source.columns == ["email", "name"]
        assert source.file_format.header_row == 3
        assert [(r.line_no, r.values) for r in source.records()] == [(4, ["a@x.fr", "Ann"])]


def test_duplicate_and_empty_header_labels_are_made_unique(tmp_path: Path) -> None:
    path = tmp_path / "dupes.csv"
    path.write_text("Email,Name,email,,Name\n1,2,3,4,5\n", encoding="utf-8")
    columns, _ = read_all(path)
    assert columns == ["Email", "Name", "email (2)", "Column 4", "Name (2)"]


def test_consecutive_separators_can_count_as_one(tmp_path: Path) -> None:
    path = tmp_path / "aligned.txt"
    path.write_text("email   name    city\na@x.fr  Ann     Paris\n  b@x.fr Bob   Lyon  \n", encoding="utf-8")
    fmt = FileFormat(separator=" ", merge_consecutive_separators=True, string_delimiter="")
    columns, records = read_all(path, fmt)
    assert columns == ["email", "name", "city"]
    assert [r.values for r in records] == [["a@x.fr", "Ann", "Paris"], ["b@x.fr", "Bob", "Lyon"]]


def test_merging_semicolons_keeps_a_leading_empty_value(tmp_path: Path) -> None:
    path = tmp_path / "semi.csv"
    path.write_text('a;b;c\n;;x;;;y\n"q";;"r;s";;t\n', encoding="utf-8")
    fmt = FileFormat(separator=";", merge_consecutive_separators=True)
    _, records = read_all(path, fmt)
    assert records[0].values == ["", "x", "y"]
    assert records[1].values == ["q", "r;s", "t"]


def test_without_string_delimiter_quotes_are_plain_characters(tmp_path: Path) -> None:
    path = tmp_path / "raw.txt"
    path.write_text('name\tsize\n12" pizza\t"big\n', encoding="utf-8")
    _, records = read_all(path, FileFormat(separator="\t", string_delimiter=""))
    assert records[0].values == ['12" pizza', '"big']


def test_single_quote_string_delimiter(tmp_path: Path) -> None:
    path = tmp_path / "single.csv"
    path.write_text("name,comment\n'Lee, Ann','it''s'\n", encoding="utf-8")
    _, records = read_all(path, FileFormat(separator=",", string_delimiter="'"))
    assert records[0].values == ["Lee, Ann", "it's"]


def test_any_character_can_separate(tmp_path: Path) -> None:
    path = tmp_path / "hash.txt"
    path.write_text("a#b\n1#2\n", encoding="utf-8")
    _, records = read_all(path, FileFormat(separator="#"))
    assert records[0].values == ["1", "2"]


def test_a_field_over_10_mb_is_refused_and_reading_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write('id,comment\n1,small\n2,"')
        f.write("x" * (11 * 1024 * 1024))
        f.write('"\n3,after\n')
    _, records = read_all(path)
    assert [r.error_code for r in records] == ["", "field_too_large", ""]
    assert records[2].values == ["3", "after"]
    assert records[2].line_no == 4
    assert len(records[1].raw) < 1000


def test_an_unquoted_line_over_10_mb_is_refused_and_reading_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with open(path, "wb") as f:
        f.write(b"id,comment\n1,small\n2,")
        f.write(b"y" * (11 * 1024 * 1024))
        f.write(b"\n3,after\n")
    _, records = read_all(path)
    assert [r.error_code for r in records] == ["", "field_too_large", ""]
    assert records[2].values == ["3", "after"] and records[2].line_no == 4
    assert records[2].end_offset == path.stat().st_size


def test_an_unclosed_quote_early_in_a_big_file_costs_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "unclosed.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write('id,comment\n1,"oops\n')
        for i in range(400_000):
            f.write(f"{i},some text for line {i}\n")
    with open_source(path) as source:
        records = list(source.records())
    assert records[0].error_code == "field_too_large"
    assert records[-1].end_offset == path.stat().st_size
    assert all(len(r.raw) < 11 * 1024 * 1024 for r in records)


def test_a_file_with_only_a_header_has_columns_and_no_records(tmp_path: Path) -> None:
    path = tmp_path / "header_only.csv"
    path.write_text("email;first_name\n", encoding="utf-8")
    columns, records = read_all(path)
    assert columns == ["email", "first_name"] and records == []


def test_blank_lines_before_the_header_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "blank_top.csv"
    path.write_text("\n\nemail,name\na@x.fr,Ann\n", encoding="utf-8")
    columns, records = read_all(path, FileFormat(separator=","))
    assert columns == ["email", "name"]
    assert records[0].line_no == 4


def test_records_can_be_read_twice_from_one_opened_source(data: Path) -> None:
    with open_source(data / "quoted_newlines.csv") as source:
        first = list(source.records())
        second = list(source.records())
    assert first == second
