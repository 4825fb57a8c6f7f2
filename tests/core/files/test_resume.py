"""An import stopped half-way goes on from its last record without re-reading the file."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from campaign_desktop.domain.template import FileFormat
from campaign_desktop.files import open_source
from tests.support.nasty_files import write_recipients_csv, xlsx_with_title_rows


def _check_resume_everywhere(path: Path, file_format: FileFormat | None = None, same_source: bool = False,
                             points: int = 25) -> None:
    """Resume after record k (for many k) and check the rest is exactly what a full read gives."""
    with open_source(path, file_format) as source:
        records = list(source.records())
        step = max(1, len(records) // points)
        for k in range(0, len(records), step):
            rec = records[k]
            if same_source:
                rest = list(source.records(resume_offset=rec.end_offset, resume_line=rec.line_no))
            else:
                with open_source(path, source.file_format) as again:
                    rest = list(again.records(resume_offset=rec.end_offset, resume_line=rec.line_no))
            assert rest == records[k + 1:], f"resume after record {k}"


def test_a_big_import_resumes_right_after_its_last_committed_record(tmp_path: Path) -> None:
    path = write_recipients_csv(tmp_path / "recipients.csv", 20_000, separator=";")
    _check_resume_everywhere(path)


def test_resume_works_for_a_cp1252_crlf_file(tmp_path: Path) -> None:
    path = tmp_path / "fr.csv"
    rows = [f"Prénom{i};Nom é{i};{i:02d}/03/1990" for i in range(500)]
    path.write_bytes(("a;b;c\r\n" + "\r\n".join(rows)).encode("cp1252"))
    _check_resume_everywhere(path)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-16"])
def test_resume_works_for_utf16_files(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "u16.txt"
    text = "email\tname\r\n" + "".join(f"p{i}@x.fr\tNoël 😀 {i}\r\n" for i in range(800))
    path.write_bytes(text.encode(encoding))
    with open_source(path) as source:
        assert source.file_format.encoding.startswith("utf-16")
        assert list(source.records())[5].values == ["p5@x.fr", "Noël 😀 5"]
    _check_resume_everywhere(path)


def test_resume_works_for_cr_only_files(tmp_path: Path) -> None:
    path = tmp_path / "mac.csv"
    path.write_bytes(b"a;b\r" + b"".join(b"%d;v%d\r" % (i, i) for i in range(3000)))
    _check_resume_everywhere(path)


def _multiline_file(path: Path, encoding: str = "utf-8", newline: str = "\r\n") -> Path:
    chunks = [f"id,note,other{newline}"]
    for i in range(300):
        if i % 3 == 0:
            chunks.append(f'{i},"line one{newline}line ""two""{newline}and three",x{newline}')
        elif i % 3 == 1:
            chunks.append(f'{i},"quoted, one line","a ""b"""{newline}')
        else:
            chunks.append(f"{i},plain,y{newline}")
    path.write_bytes("".join(chunks).encode(encoding))
    return path


@pytest.mark.parametrize("same_source", [True, False])
def test_resume_after_multiline_records_keeps_line_numbers(data: Path, tmp_path: Path,
                                                           same_source: bool) -> None:
    _check_resume_everywhere(_multiline_file(tmp_path / "multi.csv"), same_source=same_source)
    _check_resume_everywhere(data / "quoted_newlines.csv", same_source=same_source, points=4)
    _check_resume_everywhere(data / "cr_only.csv", same_source=same_source, points=4)


@pytest.mark.parametrize(("encoding", "newline"), [("utf-16-le", "\r\n"), ("cp1252", "\r"), ("utf-8", "\n")])
def test_a_new_process_resumes_after_multiline_records_with_exact_line_numbers(
        tmp_path: Path, encoding: str, newline: str) -> None:
    path = _multiline_file(tmp_path / "multi.csv", encoding, newline)
    _check_resume_everywhere(path, FileFormat(encoding=encoding), points=60)


def test_resume_in_a_workbook_skips_rows(tmp_path: Path) -> None:
    path = xlsx_with_title_rows(tmp_path / "book.xlsx")
    _check_resume_everywhere(path, points=10)


def test_resume_from_offset_zero_starts_at_the_first_data_record(tmp_path: Path) -> None:
    path = write_recipients_csv(tmp_path / "recipients.csv", 10)
    with open_source(path) as source:
        assert next(source.records(0, 0)).line_no == 2


def test_progress_offsets_grow_to_the_file_size(tmp_path: Path) -> None:
    path = write_recipients_csv(tmp_path / "recipients.csv", 5_000)
    with open_source(path) as source:
        offsets = [r.end_offset for r in source.records()]
        assert source.bytes_total == path.stat().st_size
    assert offsets == sorted(offsets)
    assert offsets[-1] == path.stat().st_size
    for a, b in itertools.pairwise(offsets[:50]):
        assert b > a


def test_a_new_process_resumes_after_a_record_longer_than_the_backward_window(tmp_path: Path) -> None:
    path = tmp_path / "long_note.csv"
    note = "\n".join(f"note line {i} " + "x" * 40 for i in range(3000))  # ~150 KB in one quoted value
    path.write_text(f'id,note\n1,short\n2,"{note}"\n3,after\n', encoding="utf-8")
    _check_resume_everywhere(path)
    with open_source(path) as source:
        assert [r.line_no for r in source.records()] == [2, 3, 3003]
