"""Fixtures of the file-reading tests: the committed nasty files and helpers to read them."""

from __future__ import annotations

from pathlib import Path

import pytest

from campaign_desktop.domain.template import FileFormat
from campaign_desktop.files import SourceRecord, open_source
from tests.support.nasty_files import DATA_FILES


@pytest.fixture
def data() -> Path:
    """The folder of committed nasty files (tests/data/files)."""
    return DATA_FILES


def read_all(path: Path, file_format: FileFormat | None = None) -> tuple[list[str], list[SourceRecord]]:
    """Columns and every record of a file."""
    with open_source(path, file_format) as source:
        return source.columns, list(source.records())
