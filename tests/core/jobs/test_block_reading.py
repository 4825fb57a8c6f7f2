"""Reading in blocks of plain lines, converted a column at a time, gives the very batches of the per-line path.

A marketer's file goes through ``LineReader.batches`` with and without the block path; every field of
every batch (rows, keys, line numbers, raw texts, marks, rejects and their messages, warnings, empty
lines, resume points...) must be the same, over the nasty files of tests/data and generated ones that
put odd lines everywhere, cut blocks with start lines, line limits and batch sizes, and resume in the
middle of a file. Small chunks make the odd lines fall on chunk edges too.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from campaign_desktop.domain.errors import UserError
from campaign_desktop.domain.template import (
    AdvancedParameters,
    CalculatedField,
    CalculatedKind,
    ColumnFormat,
    EmptyRule,
    FieldMapping,
    FileFormat,
    ImportSettings,
    OnError,
    Operation,
    OtherCases,
    Reconciliation,
    Transform,
)
from campaign_desktop.files import blocks, detect_column_formats, open_source
from campaign_desktop.files.blocks import PlainBlock
from campaign_desktop.jobs.batches import LineReader
from campaign_desktop.mapping import RowConverter
from campaign_desktop.reconcile.keys import KeyPlan
from campaign_desktop.storage.recipients_writer import date_storage
from tests.support.block_files import write_nasty

DATA = Path(__file__).resolve().parents[2] / "data"


def _batches(path: Path, settings: ImportSettings, batch_size: int, use_blocks: bool,
             resume: tuple[int, int, int] | None = None) -> list[dict]:
    with open_source(path, settings.file_format) as source:
        formats = settings.file_format.columns or detect_column_formats(path, source.file_format)
        conv = RowConverter(source.columns, settings, formats, date_form=date_storage("sqlite"))
        keys = KeyPlan(settings.reconciliation, conv.destinations)
        reader = LineReader(conv, keys, settings.advanced, batch_size, track_keys=True, use_blocks=use_blocks)
        offset, line, index = resume or (0, 0, 0)
        records = source.records(resume_offset=offset, resume_line=line)
        return [dataclasses.asdict(b) for b in reader.batches(records, index)]


BY_POSITION = [FieldMapping(f"#{i + 1}", name) for i, name in enumerate(
    ["email", "first_name", "last_name", "birth_date", "gender", "account", "city", "mobile_phone"])]


def _same(path: Path, settings: ImportSettings, batch_size: int) -> list[dict]:
    by_line = _batches(path, settings, batch_size, use_blocks=False)
    assert _batches(path, settings, batch_size, use_blocks=True) == by_line
    return by_line


def _nasty_files(folder: Path) -> list[Path]:
    return [
        write_nasty(folder / "utf8.csv", 300, 1),
        write_nasty(folder / "crlf_bom.csv", 300, 2, newline="\r\n", bom=True),
        write_nasty(folder / "cp1252.csv", 300, 3, sep=";", encoding="cp1252"),
        write_nasty(folder / "headerless.csv", 300, 4, odd_share=0.03, header=False),
        write_nasty(folder / "utf16.csv", 200, 5, encoding="utf-16"),
        write_nasty(folder / "tabs_crlf.csv", 300, 6, sep="\t", newline="\r\n", odd_share=0.05),
        write_nasty(folder / "stray_cr.csv", 200, 7, stray_cr=True),
        write_nasty(folder / "cr_only.csv", 200, 8, newline="\r", sep="|"),
    ]


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of a few hundred bytes, so that blocks, chunk ends and odd lines meet often."""
    monkeypatch.setattr(blocks, "CHUNK_SIZE", 700)


def test_generated_nasty_files_give_the_same_batches(tmp_path: Path) -> None:
    for path in _nasty_files(tmp_path):
        settings = ImportSettings(mapping=BY_POSITION) if "headerless" in path.name else ImportSettings()
        for size in (1, 7, 1000):
            _same(path, settings, size)


def test_the_block_path_is_really_taken(tmp_path: Path) -> None:
    path = write_nasty(tmp_path / "crlf.csv", 300, 9, newline="\r\n", odd_share=0.05)
    with open_source(path) as source:
        pieces = list(source.records().blocks())
    plain = sum(len(p) for p in pieces if isinstance(p, PlainBlock))
    assert plain > 200 and len(pieces) < 150


def test_files_of_tests_data_give_the_same_batches() -> None:
    for path in sorted((DATA / "files").glob("*")) + sorted((DATA / "hostile").glob("*")):
        try:
            with open_source(path):
                pass
        except Exception:  # noqa: BLE001 - unreadable files are refused before any line is read
            continue
        if path.suffix == ".xlsx":
            continue
        try:
            _same(path, ImportSettings(), 5)
        except UserError:  # no email column: a plain insert needs no key
            _same(path, ImportSettings(reconciliation=Reconciliation(operation=Operation.INSERT, key1=[])), 5)


def test_start_line_line_limit_and_batch_sizes_cut_blocks_alike(tmp_path: Path) -> None:
    path = write_nasty(tmp_path / "cuts.csv", 300, 10, odd_share=0.05)
    for start, limit in ((1, 0), (2, 0), (37, 0), (1, 50), (120, 33), (299, 10), (500, 0), (5, 1)):
        for size in (1, 13, 64):
            settings = ImportSettings(advanced=AdvancedParameters(start_line=start, line_limit=limit))
            _same(path, settings, size)


def test_resuming_in_the_middle_gives_the_same_batches(tmp_path: Path) -> None:
    for path in _nasty_files(tmp_path)[:3]:
        settings = ImportSettings()
        whole = _same(path, settings, 11)
        for batch in whole[1:-1:3]:
            offset, line = batch["last"]
            resume = (offset, line, batch["index"])
            assert (_batches(path, settings, 9, False, resume) == _batches(path, settings, 9, True, resume))


def test_column_formats_of_every_kind_convert_alike(tmp_path: Path) -> None:
    """Trim off, upper/title case, a remapping, refused empties, defaults, ignored values, short lengths."""
    path = write_nasty(tmp_path / "formats.csv", 300, 11)
    fmt = FileFormat(separator=",", encoding="utf-8", header=True, string_delimiter='"', columns=[
        ColumnFormat(name="email", empty_rule=EmptyRule.REQUIRED),
        ColumnFormat(name="first_name", transform=Transform.TITLE, length=5, on_error=OnError.IGNORE),
        ColumnFormat(name="last_name", trim=False, transform=Transform.UPPER),
        ColumnFormat(name="birth_date", type="date", on_error=OnError.DEFAULT, default="2000-01-01"),
        ColumnFormat(name="gender", remap={"Madame": "2", "x": "0"}),
        ColumnFormat(name="account", length=6, on_error=OnError.IGNORE),
        ColumnFormat(name="city", empty_rule=EmptyRule.REQUIRED, on_error=OnError.DEFAULT, default="Paris"),
        ColumnFormat(name="phone"),
    ])
    settings = ImportSettings(file_format=fmt)
    for size in (3, 100):
        _same(path, settings, size)


def test_calculated_fields_and_a_key_of_two_fields_convert_alike(tmp_path: Path) -> None:
    path = write_nasty(tmp_path / "calc.csv", 200, 12)
    calcs = [
        CalculatedField(name="tpl", kind=CalculatedKind.TEMPLATE, body="{first_name} {city}"),
        CalculatedField(name="civ", kind=CalculatedKind.ENUMERATION, source="gender", values={"m": "Mr"},
                        other_cases=OtherCases.WARNING),
    ]
    plain = [FieldMapping("email", "email"), FieldMapping("last_name", "last_name"),
             FieldMapping("account", "account")]
    two_keys = Reconciliation(key1=("email",), key2=("account",))
    for settings in (
        ImportSettings(mapping=plain, reconciliation=two_keys),
        ImportSettings(mapping=[*plain, FieldMapping("tpl", "company"), FieldMapping("civ", "salutation")],
                       calculated_fields=calcs),
    ):
        _same(path, settings, 17)


def test_lines_over_the_record_limit_give_the_same_batches(tmp_path: Path) -> None:
    """An 11 MB line, then an 11 MB quoted value: the scanner's own loop keeps the rest of the file."""
    for opening in (b"", b'"'):
        path = tmp_path / "huge.csv"
        with open(path, "wb") as f:
            f.write(b"email,first_name\n")
            f.writelines(b"u%d@example.com,Ann\n" % i for i in range(40))
            f.write(b"big@example.com," + opening + b"y" * (11 * 1024 * 1024) + opening + b"\n")
            f.writelines(b"v%d@example.com,Bob\n" % i for i in range(40))
        by_line = _same(path, ImportSettings(), 16)
        assert sum(len(b["rejects"]) for b in by_line) == 1


def test_ignored_lines_no_string_delimiter_and_merged_separators_read_alike(tmp_path: Path) -> None:
    path = write_nasty(tmp_path / "formats.csv", 300, 13, odd_share=0.1)
    for fmt in (FileFormat(lines_to_ignore=3, header=True, separator=",", encoding="utf-8"),
                FileFormat(string_delimiter="", header=True, separator=",", encoding="utf-8"),
                FileFormat(merge_consecutive_separators=True, header=True, separator=",", encoding="utf-8")):
        settings = ImportSettings(file_format=fmt)
        try:
            _same(path, settings, 9)
        except UserError:  # the ignored lines took the header away: map by position
            _same(path, ImportSettings(file_format=fmt, mapping=BY_POSITION), 9)
