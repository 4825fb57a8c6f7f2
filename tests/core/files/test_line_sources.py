"""Line splitting does not depend on where the 1 MB reading blocks happen to cut the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from campaign_desktop.files import detect_format, open_source
from campaign_desktop.files import lines as lines_module
from tests.core.files.conftest import read_all

TEXT_FILES = [
    "cr_only.csv", "quoted_newlines.csv", "french_cp1252_semicolon.csv", "recipients_utf16le_bom.txt",
    "recipients_utf16be_bom.txt", "recipients_utf16le_nobom.txt", "recipients_utf8_bom.csv", "ragged.csv",
    "unterminated_quote.csv", "mixed_encoding.csv", "nul_bytes.csv", "pipe_no_header.txt",
]


@pytest.mark.parametrize("name", TEXT_FILES)
@pytest.mark.parametrize("block", [1, 2, 3, 7])
def test_tiny_blocks_give_the_same_records(data: Path, name: str, block: int,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    expected = read_all(data / name)
    monkeypatch.setattr(lines_module, "BLOCK_SIZE", block)
    assert read_all(data / name) == expected


@pytest.mark.parametrize("block", [1, 5])
def test_crlf_cut_between_cr_and_lf_is_one_line_end(tmp_path: Path, block: int,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"a;b\r\n1;2\r3;4\r\n5;6\n7;8\r")
    monkeypatch.setattr(lines_module, "BLOCK_SIZE", block)
    _, records = read_all(path)
    assert [r.values for r in records] == [["1", "2"], ["3", "4"], ["5", "6"], ["7", "8"]]
    assert [r.line_no for r in records] == [2, 3, 4, 5]


@pytest.mark.parametrize("name", [*TEXT_FILES, "header_on_row_3.xlsx", "workbook_renamed.csv"])
def test_the_resolved_format_reads_the_file_exactly_as_detection_did(data: Path, name: str) -> None:
    fmt = detect_format(data / name)
    assert "auto" not in (fmt.encoding, fmt.separator) and fmt.file_type is not None
    assert read_all(data / name, fmt) == read_all(data / name)
    with open_source(data / name, fmt) as source:
        assert source.file_format == fmt
