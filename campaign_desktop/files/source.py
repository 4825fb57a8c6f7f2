"""Opening a file to import: the one entry point of the file room for the engine and the GUI.

``open_source`` resolves the format (detecting what is 'auto'), checks the file, reads the
header and hands back an ``OpenedSource`` whose ``records()`` streams the data, from the start
or from a resume point. Whatever the file type, the records have the same shape.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import Protocol

from campaign_desktop.domain.template import FileFormat, FileType
from campaign_desktop.files.delimited_source import DelimitedSource
from campaign_desktop.files.detect import detect_file_type, read_sample, resolve_text
from campaign_desktop.files.fixed_width import FixedWidthSource
from campaign_desktop.files.records import SourceRecord
from campaign_desktop.files.xlsx import XlsxSource


class _Backend(Protocol):
    columns: list[str]
    file_format: FileFormat
    bytes_total: int

    def records(self, resume_offset: int = 0, resume_line: int = 0) -> Iterator[SourceRecord]: ...

    def close(self) -> None: ...


class OpenedSource:
    """A file opened for reading records; a context manager that closes it.

    Attributes:
        columns: unique column labels, from the header or "Column 1".."Column N".
        file_format: the resolved format (no 'auto' left): save it with the job so that a
            rerun reads the file exactly the same way.
        bytes_total: the file size in bytes (xlsx: the number of rows), the scale of
            ``SourceRecord.end_offset`` for progress.
    """

    def __init__(self, backend: _Backend) -> None:
        self._backend = backend
        self.columns: list[str] = backend.columns
        self.file_format: FileFormat = backend.file_format
        self.bytes_total: int = backend.bytes_total

    def records(self, resume_offset: int = 0, resume_line: int = 0) -> Iterator[SourceRecord]:
        """The data records, after the ignored lines and the header.

        Each call starts a new, independent pass over the file.

        Args:
            resume_offset: ``end_offset`` of a record yielded before (by this or another process):
                reading continues right after it, by seeking (xlsx: skipping rows), without
                parsing what comes before.
            resume_line: ``line_no`` of that record, so line numbers go on correctly. When that record
                spanned several lines (line breaks in quoted values), its extra lines are known from
                this source's own reading, or else counted from the record's lines read backwards.
        """
        return self._backend.records(resume_offset, resume_line)

    def close(self) -> None:
        self._backend.close()

    def __enter__(self) -> OpenedSource:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def _open(path: str | Path, file_format: FileFormat | None) -> OpenedSource:
    full = file_format is None
    fmt = file_format if file_format is not None else FileFormat()
    sample = read_sample(path)
    file_type = detect_file_type(sample, fmt.file_type)
    fmt = replace(fmt, file_type=file_type)
    if file_type is FileType.XLSX:
        return OpenedSource(XlsxSource(sample.path, fmt, detect_header=full or fmt.header is None))
    resolved, text_file = resolve_text(sample, fmt, full)
    if file_type is FileType.FIXED:
        return OpenedSource(FixedWidthSource(text_file, resolved))
    return OpenedSource(DelimitedSource(text_file, resolved))


def open_source(path: str | Path, file_format: FileFormat | None = None) -> OpenedSource:
    """Open a file to import.

    Args:
        path: the file.
        file_format: the format to read it with; its 'auto' options (file type None, encoding
            and separator "auto", xlsx header row 0 and sheet "") are detected. None detects
            everything, including the header and the string delimiter (``detect_format``).

    Raises:
        SourceFileError: with a message for the user: missing file, folder, empty file, binary or
            unsupported file, damaged workbook, unknown sheet (the message lists the sheets),
            unknown encoding, or a header that the chosen encoding cannot decode.
    """
    return _open(path, file_format)


def detect_format(path: str | Path) -> FileFormat:
    """Detect the whole format of a file from its first MB (xlsx: its first rows).

    File type (content first, then extension), encoding (BOM, UTF-16 without BOM, UTF-8,
    then cp1252 or latin-1 or a code page charset-normalizer is sure of), separator among
    , ; tab | (the most consistent count over the first 50 records, quotes respected), string
    delimiter, header present or not; for xlsx the first sheet and the header row (the first
    row mostly filled with text).

    Raises:
        SourceFileError: as ``open_source``.
    """
    with _open(path, None) as source:
        return source.file_format


__all__ = ["OpenedSource", "detect_format", "open_source"]
