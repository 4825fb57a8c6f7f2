"""Export writers: delimited text, fixed width and .xlsx, each writing to a temporary file.

A writer never touches the final name: :class:`Destination` writes to a hidden ``.part`` file
beside it and renames it when the export completes (``os.replace`` is atomic on one file
system), so a cancelled or failed export never leaves a half file under the name a user or a
downstream script waits for.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from campaign_desktop.domain.errors import UserError
from campaign_desktop.domain.template import ExportOutput, OutputFormat

XLSX_MAX_ROWS = 1_048_576  # Excel's row limit per sheet
LINE_ENDS = {"lf": "\n", "crlf": "\r\n", "cr": "\r", "\\n": "\n", "\\r\\n": "\r\n", "\\r": "\r"}
SEPARATORS = {"tab": "\t", "\\t": "\t", "tabulation": "\t", "comma": ",", "semicolon": ";", "pipe": "|",
              "space": " "}
_TOKEN_RE = re.compile(r"\{(date|time|template|count)\}")
_UNSAFE_NAME_RE = re.compile(r"[^\w.-]+")


def line_end(output: ExportOutput) -> str:
    return LINE_ENDS.get(output.line_end.lower(), output.line_end) or "\n"


def separator(output: ExportOutput) -> str:
    return SEPARATORS.get(output.separator.lower(), output.separator)


def output_problems(output: ExportOutput) -> list[str]:
    """Sentences about unusable output settings (empty: fine)."""
    import codecs

    out: list[str] = []
    if output.format in (OutputFormat.TEXT, OutputFormat.CSV) and len(separator(output)) != 1:
        out.append("The column separator must be one character (or tab, comma, semicolon, pipe).")
    if output.string_delimiter not in ('"', "'", ""):
        out.append("The string delimiter must be a double quote, a single quote, or none.")
    if line_end(output) not in ("\n", "\r\n", "\r"):
        out.append("The end of line must be LF, CRLF or CR.")
    try:
        codecs.lookup(output.encoding)
    except LookupError:
        out.append(f"'{output.encoding}' is not an encoding this app knows (try utf-8, cp1252, latin-1, utf-16).")
    return out


def resolve_file_name(path: str, output: ExportOutput, *, template: str, count: int,
                      now: datetime | None = None) -> Path:
    """The final file: ``path`` (or the template's file name inside ``path`` when it is a folder), tokens filled.

    Tokens: {date} 2024-01-31, {time} 235959, {template} the template's internal name, {count} the rows.
    """
    stamp = now or datetime.now()
    p = Path(path).expanduser()
    if p.is_dir() or path.endswith(("/", os.sep)):
        p = p / (output.file_name or "export-{date}.csv")
    values = {"date": stamp.strftime("%Y-%m-%d"), "time": stamp.strftime("%H%M%S"),
              "template": _UNSAFE_NAME_RE.sub("_", template) or "export", "count": str(count)}
    return p.with_name(_TOKEN_RE.sub(lambda m: values[m.group(1)], p.name))


class Destination:
    """A temporary file beside ``final``, renamed onto it by :meth:`commit`."""

    def __init__(self, final: Path) -> None:
        self.final = final
        if not final.parent.is_dir():
            raise UserError(f"The folder '{final.parent}' does not exist: choose where to write the export.")
        if final.is_dir():
            raise UserError(f"'{final}' is a folder: give a file name.")
        self.temp = final.with_name(f".{final.name}.part")

    def commit(self) -> None:
        os.replace(self.temp, self.final)

    def discard(self) -> None:
        try:
            self.temp.unlink()
        except FileNotFoundError:
            pass


class Writer(Protocol):
    warnings: int

    def write_rows(self, rows: Sequence[Sequence[Any]]) -> None: ...

    def close(self) -> None: ...

    def abort(self) -> None: ...


def _text_stream(path: Path, output: ExportOutput) -> io.TextIOWrapper:
    enc = output.encoding.lower().replace("_", "-")
    raw = open(path, "wb")  # noqa: SIM115 - owned by the wrapper returned
    if enc in ("utf-8", "utf8", "utf-8-sig"):
        if output.bom or enc == "utf-8-sig":
            raw.write(b"\xef\xbb\xbf")
        enc = "utf-8"
    elif enc in ("utf-16", "utf16"):
        enc = "utf-16" if output.bom else "utf-16-le"
    return io.TextIOWrapper(raw, encoding=enc, errors="strict", newline="", write_through=False)


def _encoding_error(output: ExportOutput, exc: UnicodeEncodeError) -> UserError:
    bad = exc.object[exc.start:exc.end] if isinstance(exc.object, str) else "?"
    return UserError(f"The character '{bad}' cannot be written in {output.encoding}: choose UTF-8 "
                     "(Destination format > Encoding).")


class DelimitedWriter:
    """Text with a separator, an optional string delimiter and header, and a chosen end of line."""

    def __init__(self, path: Path, output: ExportOutput, headers: list[str]) -> None:
        self.output = output
        self.warnings = 0
        self.stream = _text_stream(path, output)
        self.end = line_end(output)
        quote = output.string_delimiter
        self.csv = csv.writer(
            self.stream, delimiter=separator(output), quotechar=quote or '"',
            quoting=csv.QUOTE_MINIMAL if quote else csv.QUOTE_NONE, escapechar=None if quote else "\\",
            lineterminator=line_end(output),
        )
        if output.header:
            self.write_rows([headers])

    def write_rows(self, rows: Sequence[Sequence[Any]]) -> None:
        try:
            self.csv.writerows(rows)
        except UnicodeEncodeError as exc:
            raise _encoding_error(self.output, exc) from None

    def write_text(self, text: str) -> None:
        """Finished lines, line ends included."""
        try:
            self.stream.write(text)
        except UnicodeEncodeError as exc:
            raise _encoding_error(self.output, exc) from None

    def write_utf8(self, data: bytes) -> None:
        """Finished lines as UTF-8 bytes (from a second export process): copied as is when the file is UTF-8."""
        if self.stream.encoding == "utf-8":
            self.stream.flush()
            self.stream.buffer.write(data)
        else:
            self.write_text(data.decode("utf-8"))

    def write_lines(self, lines: list[str]) -> None:
        """Lines the database has already formatted (see :mod:`campaign_desktop.export.sql_lines`)."""
        if not lines:
            return
        try:
            self.stream.write(self.end.join(lines) + self.end)
        except UnicodeEncodeError as exc:
            raise _encoding_error(self.output, exc) from None

    def close(self) -> None:
        try:
            self.stream.close()
        except UnicodeEncodeError as exc:
            raise _encoding_error(self.output, exc) from None

    def abort(self) -> None:
        _close_quietly(self.stream)


class FixedWidthWriter:
    """Columns padded with spaces to their width; longer values are cut (and counted as warnings)."""

    def __init__(self, path: Path, output: ExportOutput, headers: list[str], widths: list[int]) -> None:
        self.output = output
        self.widths = widths
        self.warnings = 0
        self.end = line_end(output)
        self.stream = _text_stream(path, output)
        if output.header:
            self.write_rows([headers])
            self.warnings = 0  # a cut header is not a data warning

    def write_rows(self, rows: Sequence[Sequence[Any]]) -> None:
        widths = self.widths
        lines = []
        for row in rows:
            parts = []
            for v, w in zip(row, widths, strict=True):
                text = "" if v is None else str(v)
                if len(text) > w:
                    self.warnings += 1
                    text = text[:w]
                parts.append(text.ljust(w))
            lines.append("".join(parts))
        try:
            self.stream.write(self.end.join(lines) + self.end if lines else "")
        except UnicodeEncodeError as exc:
            raise _encoding_error(self.output, exc) from None

    def close(self) -> None:
        self.stream.close()

    def abort(self) -> None:
        _close_quietly(self.stream)


class XlsxWriter:
    """openpyxl in write-only mode (rows stream to disk); a new sheet past Excel's row limit."""

    def __init__(self, path: Path, output: ExportOutput, headers: list[str], sheet_title: str = "Export",
                 max_rows: int = XLSX_MAX_ROWS) -> None:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        self.path = path
        self.output = output
        self.headers = headers if output.header else []
        self.max_rows = max_rows
        self.title = sheet_title
        self.warnings = 0
        self.wb = Workbook(write_only=True)
        self._cell = WriteOnlyCell
        self._illegal = ILLEGAL_CHARACTERS_RE
        self.sheets = 0
        self._new_sheet()

    def _new_sheet(self) -> None:
        self.sheets += 1
        self.ws = self.wb.create_sheet(self.title if self.sheets == 1 else f"{self.title} ({self.sheets})")
        self.rows_in_sheet = 0
        if self.headers:
            self.ws.append(self.headers)
            self.rows_in_sheet = 1

    def write_rows(self, rows: Sequence[Sequence[Any]]) -> None:
        append = self.ws.append
        illegal = self._illegal
        for row in rows:
            if self.rows_in_sheet >= self.max_rows:
                self._new_sheet()
                append = self.ws.append
            cells = list(row)
            for i, v in enumerate(cells):
                if v.__class__ is str and v:
                    if illegal.search(v):
                        self.warnings += 1
                        v = cells[i] = illegal.sub("", v)
                    if v[:1] == "=":  # escaping turned off: still text, never a live formula
                        c = self._cell(self.ws, value=v)
                        c.data_type = "s"
                        cells[i] = c
            append(cells)
            self.rows_in_sheet += 1

    def close(self) -> None:
        self.wb.save(self.path)

    def abort(self) -> None:
        """Nothing was written under ``path`` yet: openpyxl's own temporary parts go with the workbook."""
        self.wb = None  # type: ignore[assignment]


def _close_quietly(stream: io.TextIOWrapper) -> None:
    try:
        stream.close()
    except (OSError, UnicodeEncodeError):
        try:
            stream.buffer.close()
        except OSError:
            pass


def open_writer(path: Path, output: ExportOutput, headers: list[str], widths: list[int]) -> Writer:
    if output.format is OutputFormat.XLSX:
        return XlsxWriter(path, output, headers)
    if output.format is OutputFormat.FIXED:
        return FixedWidthWriter(path, output, headers, widths)
    return DelimitedWriter(path, output, headers)
