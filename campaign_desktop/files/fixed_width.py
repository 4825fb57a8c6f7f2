"""Fixed-width text files: each column is a number of characters, given by the template.

Mainframe and old CRM extracts still come this way. Widths are ``ColumnFormat.width`` in
order (an ignored column still takes its width). Values are trimmed, because padding is the
format, not the data. A short line (trailing spaces cut by an editor) is padded; a line
with text beyond the last column is refused, as it means the widths are wrong.
"""

from __future__ import annotations

from collections.abc import Iterator

from campaign_desktop.domain.errors import SourceFileError
from campaign_desktop.domain.template import FileFormat
from campaign_desktop.files.labels import column_labels
from campaign_desktop.files.lines import strip_terminator
from campaign_desktop.files.records import ENCODING, TOO_MANY_VALUES, SourceRecord, encoding_error
from campaign_desktop.files.text_file import TextFile


def column_bounds(file_format: FileFormat) -> list[tuple[int, int]]:
    """(start, end) character positions of each column.

    Raises:
        SourceFileError: a column has no width (the file cannot be cut without it).
    """
    if not file_format.columns:
        raise SourceFileError("A fixed-width file needs its columns: add them with their widths "
                              "in the file format")
    bounds = []
    pos = 0
    for i, col in enumerate(file_format.columns, start=1):
        if not col.width or col.width <= 0:
            raise SourceFileError(f"Column {i} ('{col.label or col.name}') of the fixed-width file has no "
                                  f"width: set the number of characters of every column")
        bounds.append((pos, pos + col.width))
        pos += col.width
    return bounds


class FixedWidthSource:
    """The backend of ``OpenedSource`` for fixed-width text."""

    def __init__(self, text_file: TextFile, file_format: FileFormat) -> None:
        self.file_format = file_format
        self.bytes_total = text_file.size
        self._text_file = text_file
        self._bounds = column_bounds(file_format)
        self.columns = column_labels([c.label or c.name for c in file_format.columns], len(self._bounds))
        offset, line = text_file.skip_lines(file_format.lines_to_ignore + (1 if file_format.header else 0))
        self._data_offset, self._data_line = offset, line

    def records(self, resume_offset: int = 0, resume_line: int = 0) -> Iterator[SourceRecord]:
        if resume_offset > self._data_offset:
            return self._scan(resume_offset, resume_line)
        return self._scan(self._data_offset, self._data_line)

    def _scan(self, offset: int, line_no: int) -> Iterator[SourceRecord]:
        tf = self._text_file
        bounds = self._bounds
        width = bounds[-1][1]
        codec = tf.codec
        f = tf.open_at(offset)
        try:
            lines = tf.lines(f)
            for b in lines:
                line_no += 1
                offset += len(b)
                if len(b) >= tf.limit:
                    rec = tf.too_long(line_no, b, lines, offset)
                    offset = rec.end_offset
                    yield rec
                    continue
                error = code = ""
                try:
                    text = b.decode(codec)
                except UnicodeDecodeError as exc:
                    text = b.decode(codec, "replace")
                    error, code = encoding_error(codec, exc), ENCODING
                s = strip_terminator(text).replace("\x00", "")
                if not s.strip():
                    yield SourceRecord(line_no, s, [], offset, error, code)
                    continue
                values = [s[a:z].strip() for a, z in bounds]
                if not error and len(s) > width and s[width:].strip():
                    error = (f"Line is {len(s)} characters long, {width} expected: text beyond the last "
                             f"column (check the column widths)")
                    code = TOO_MANY_VALUES
                yield SourceRecord(line_no, s, values, offset, error, code)
        finally:
            tf.release(f)

    def close(self) -> None:
        self._text_file.close()


__all__ = ["FixedWidthSource", "column_bounds"]
