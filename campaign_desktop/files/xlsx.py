"""Excel workbooks (.xlsx), streamed with openpyxl in read-only mode.

Spreadsheets are how marketers really send lists, with a title above the header, empty rows,
real date cells and numbers Excel stores as floats. Rows are streamed (openpyxl
``read_only=True``), cells become text the same way a CSV would hold them (ISO dates, ``42``
not ``42.0``), and the "offset" of a record is its row number, so progress and resume work as
for text files.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, BinaryIO

from campaign_desktop.domain.errors import SourceFileError
from campaign_desktop.domain.template import FileFormat, FileType
from campaign_desktop.files.labels import column_labels
from campaign_desktop.files.records import SourceRecord, count_error
from campaign_desktop.files.sniff import sniff_header

HEADER_SEARCH_ROWS = 30
_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b[^>]*?\br=\"(\d+)\"")


def cell_text(value: Any) -> str:
    """A cell value as the text a CSV export of the sheet would hold."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        if value.microsecond >= 500_000:  # Excel stores times as fractions of a day: round them
            value += timedelta(microseconds=1_000_000 - value.microsecond)
        value = value.replace(microsecond=0)
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _trimmed(values: list[str]) -> list[str]:
    end = len(values)
    while end and not values[end - 1].strip():
        end -= 1
    return values[:end]


def _open_workbook(path: Path) -> tuple[Any, BinaryIO]:
    """The workbook, read from a handle: openpyxl refuses a path whose extension is not .xlsx."""
    import openpyxl

    handle = open(path, "rb")  # closed with the workbook
    try:
        return openpyxl.load_workbook(handle, read_only=True, data_only=True), handle
    except BaseException:
        handle.close()
        raise


BOMB_MIN_BYTES = 64 * 1024 * 1024
"""A part inflating beyond this may be a zip bomb; below it, whatever its ratio, it is harmless."""
BOMB_RATIO = 100
"""Spreadsheet XML compresses 5-20 times; a part that inflates 100 times more is built to hurt."""


def _refuse_zip_bomb(path: Path) -> None:
    """Refuse a workbook whose parts inflate absurdly: it would take gigabytes to read.

    The sizes come from the ZIP directory; zipfile never inflates a part beyond its declared
    size, so a lying directory cannot get around this check.
    """
    try:
        with zipfile.ZipFile(path) as z:
            parts = z.infolist()
    except (zipfile.BadZipFile, OSError):
        return  # the loader says why it is unreadable
    for part in parts:
        if part.file_size > BOMB_MIN_BYTES and part.file_size > BOMB_RATIO * max(part.compress_size, 1):
            raise SourceFileError(
                f"The Excel workbook '{path.name}' was refused: its part '{part.filename}' would inflate from "
                f"{part.compress_size:,} bytes to {part.file_size:,} bytes, which no real spreadsheet does "
                f"(a 'zip bomb'). Open it in Excel and save it again, or export it as CSV")


def _hostile_xml(exc: BaseException) -> bool:
    """Whether openpyxl failed because defusedxml refused entities or a DTD (an XML attack)."""
    from defusedxml.common import DefusedXmlException

    while exc is not None:
        if isinstance(exc, DefusedXmlException):
            return True
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return False


def _hostile_xml_error(path: Path) -> SourceFileError:
    return SourceFileError(
        f"The Excel workbook '{path.name}' was refused: it declares XML entities, which Excel never writes and "
        f"which are used to make programs run out of memory. Open it in Excel and save it again")


def _load(path: Path) -> tuple[Any, BinaryIO]:
    _refuse_zip_bomb(path)
    try:
        return _open_workbook(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, ValueError, OSError, EOFError) as exc:
        if _hostile_xml(exc):
            raise _hostile_xml_error(path) from None
        raise SourceFileError(f"The Excel workbook '{path.name}' is damaged or incomplete and cannot be read "
                              f"({exc.__class__.__name__}): open it in Excel and save it again") from None
    except Exception as exc:  # openpyxl raises many types on malformed XML
        if _hostile_xml(exc):
            raise _hostile_xml_error(path) from None
        raise SourceFileError(f"The Excel workbook '{path.name}' cannot be read: {exc}") from None


def _row_count(ws: Any) -> int:
    """The number of the last row: from the sheet's dimension, or by scanning its XML when unsized."""
    if ws.max_row and ws.max_row > 1:
        return int(ws.max_row)
    last = 0
    tail = b""
    with ws._get_source() as src:  # read-only worksheets expose their XML stream this way
        while chunk := src.read(1 << 20):
            data = tail + chunk
            for m in _ROW_TAG.finditer(data):
                last = int(m.group(1))
            tail = data[-256:]
    return last


def _detect_header_row(rows: list[list[str]], first_row: int) -> int:
    """The first row mostly filled with text: a title or a blank row above it is skipped.

    "Mostly": at least 60 % as many filled cells as the widest row, and at most a fifth of them
    numbers (a header may have a "2024" column; a data row is mostly numbers and dates).
    """
    widths = [len([v for v in r if v.strip()]) for r in rows]
    widest = max(widths, default=0)
    for i, row in enumerate(rows):
        filled = [v for v in row if v.strip()]
        numbers = sum(1 for v in filled if _numeric(v))
        if filled and len(filled) >= max(1, 0.6 * widest) and numbers <= len(filled) / 5:
            return first_row + i
    return first_row


def _numeric(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


class XlsxSource:
    """The backend of ``OpenedSource`` for .xlsx workbooks."""

    def __init__(self, path: Path, file_format: FileFormat, detect_header: bool = False) -> None:
        self._path = path
        self._wb, self._handle = _load(path)
        try:
            self._init(path, file_format, detect_header)
        except BaseException:
            self.close()
            raise

    def _init(self, path: Path, fmt: FileFormat, detect_header: bool) -> None:
        names = [ws.title for ws in self._wb.worksheets]
        if not names:
            raise SourceFileError(f"The Excel workbook '{path.name}' has no worksheet")
        sheet = fmt.sheet or names[0]
        if sheet not in names:
            folded = {n.casefold(): n for n in names}
            if sheet.casefold() not in folded:
                listed = ", ".join(f"'{n}'" for n in names)
                raise SourceFileError(f"The workbook has no sheet named '{sheet}'. Its sheets are: {listed}")
            sheet = folded[sheet.casefold()]
        self._ws = self._wb[sheet]
        total = _row_count(self._ws)
        self._ws.reset_dimensions()  # a wrong <dimension> must never cut the data short
        first = fmt.lines_to_ignore + 1
        head = [self._texts(r) for r in self._rows(first, first + HEADER_SEARCH_ROWS - 1)]
        header, header_row = (True if fmt.header is None else fmt.header), 0
        if header:
            header_row = fmt.header_row or _detect_header_row(head, first)
            if detect_header:
                header = sniff_header([_trimmed(r) for r in head[header_row - first:] if _trimmed(r)])
                header_row = header_row if header else 0
        if header:
            labels = _trimmed(head[header_row - first]) if header_row - first < len(head) else []
            self.columns = column_labels(labels, len(labels))
            self._data_row = header_row + 1
        else:
            width = max((len(_trimmed(r)) for r in head), default=0)
            self.columns = column_labels(None, width)
            self._data_row = first
        self.file_format = replace(fmt, file_type=FileType.XLSX, encoding="utf-8", sheet=sheet,
                                   header=header, header_row=header_row,
                                   separator=fmt.separator if len(fmt.separator) == 1 else ",")
        self.bytes_total = max(total, self._data_row - 1)

    def _rows(self, min_row: int, max_row: int | None = None) -> Iterator[tuple[Any, ...]]:
        return self._ws.iter_rows(min_row=min_row, max_row=max_row, values_only=True)

    @staticmethod
    def _texts(row: tuple[Any, ...]) -> list[str]:
        return [cell_text(v) for v in row]

    def records(self, resume_offset: int = 0, resume_line: int = 0) -> Iterator[SourceRecord]:
        start = max(self._data_row, resume_offset + 1)
        width = len(self.columns)
        row_no = start - 1
        rows = self._rows(start)
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except Exception as exc:  # malformed XML past the rows already read
                if _hostile_xml(exc):
                    raise _hostile_xml_error(self._path) from None
                raise SourceFileError(f"The Excel workbook '{self._path.name}' cannot be read past row {row_no:,}: "
                                      f"{exc}. The rows "
                                      f"before it were read; open the workbook in Excel and save it again") from None
            row_no += 1
            values = _trimmed([cell_text(v) for v in row])
            raw = ";".join(values)
            if not values:
                yield SourceRecord(row_no, raw, [], row_no)
            elif len(values) > width:
                message, code = count_error(len(values), width)
                yield SourceRecord(row_no, raw, values, row_no, message.replace("Line", "Row"), code)
            else:
                values.extend([""] * (width - len(values)))
                yield SourceRecord(row_no, raw, values, row_no)

    def close(self) -> None:
        self._wb.close()
        self._handle.close()


def is_workbook(path: Path) -> bool:
    """Whether a ZIP file is an Office Open XML workbook (not a .docx or a plain archive)."""
    try:
        with zipfile.ZipFile(path) as z:
            return "xl/workbook.xml" in z.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


__all__ = ["XlsxSource", "cell_text", "is_workbook"]
