"""Fixed-width extracts from old systems, cut by the column widths of the template."""

from __future__ import annotations

from pathlib import Path

import pytest

from campaign_desktop.domain.errors import SourceFileError
from campaign_desktop.domain.template import ColumnFormat, FileFormat, FileType
from campaign_desktop.files import open_source


def _fixed(header: bool = True, widths: tuple[int | None, ...] = (20, 10, 10)) -> FileFormat:
    names = ("email", "name", "birth")
    return FileFormat(file_type=FileType.FIXED, header=header,
                      columns=[ColumnFormat(n, width=w) for n, w in zip(names, widths, strict=True)])


def test_a_fixed_width_extract_is_cut_by_the_template_widths(data: Path) -> None:
    with open_source(data / "fixed_width.txt", _fixed()) as source:
        assert source.columns == ["email", "name", "birth"]
        assert source.file_format.file_type is FileType.FIXED
        records = list(source.records())
    assert [r.values for r in records] == [
        ["ann@x.fr", "Ann", "1985-12-31"], ["bob@x.fr", "Bob", "1990-04-03"], ["cyd@x.fr", "Cyd", ""]]
    assert [r.line_no for r in records] == [2, 3, 4]


def test_text_beyond_the_last_column_means_wrong_widths(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("ann@x.fr            Ann       1985-12-31 surprise\n", encoding="utf-8")
    with open_source(path, _fixed(header=False)) as source:
        (rec,) = list(source.records())
    assert rec.error_code == "too_many_values"
    assert "check the column widths" in rec.error


def test_a_column_without_width_is_refused_with_its_name(data: Path) -> None:
    with pytest.raises(SourceFileError, match="'name'.*no width"):
        open_source(data / "fixed_width.txt", _fixed(widths=(20, None, 10)))


def test_fixed_width_without_columns_is_refused(data: Path) -> None:
    with pytest.raises(SourceFileError, match="needs its columns"):
        open_source(data / "fixed_width.txt", FileFormat(file_type=FileType.FIXED))


def test_fixed_width_in_cp1252_counts_characters_not_bytes(tmp_path: Path) -> None:
    path = tmp_path / "fr.txt"
    path.write_bytes("élodie@x.fr         Élodie    1985-12-31\r\n".encode("cp1252"))
    fmt = _fixed(header=False)
    fmt.encoding = "cp1252"
    with open_source(path, fmt) as source:
        records = list(source.records())
        rest = list(source.records(resume_offset=records[0].end_offset, resume_line=1))
    assert records[0].values == ["élodie@x.fr", "Élodie", "1985-12-31"]
    assert records[0].end_offset == path.stat().st_size and rest == []
