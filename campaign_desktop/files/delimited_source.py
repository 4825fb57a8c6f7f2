"""A delimited text file opened for import: ignored lines, header, column labels, records."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from campaign_desktop.domain.errors import SourceFileError
from campaign_desktop.domain.template import FileFormat
from campaign_desktop.files.blocks import RecordStream
from campaign_desktop.files.delimited import NO_CHECK, DelimitedScanner
from campaign_desktop.files.labels import column_labels
from campaign_desktop.files.records import ENCODING, SourceRecord
from campaign_desktop.files.resume import extra_lines_of_record_ending_at
from campaign_desktop.files.text_file import TextFile

WIDTH_SAMPLE = 50


class DelimitedSource:
    """The backend of ``OpenedSource`` for delimited text.

    Opening reads only the ignored lines and the header (and, without a header, ~50 records
    to count the columns), so opening a multi-GB file is instant.
    """

    def __init__(self, text_file: TextFile, file_format: FileFormat) -> None:
        self.file_format = file_format
        self.bytes_total = text_file.size
        self._text_file = text_file
        self._scanner = DelimitedScanner(text_file, file_format.separator, file_format.string_delimiter,
                                         file_format.merge_consecutive_separators)
        offset, line = text_file.skip_lines(file_format.lines_to_ignore)
        header: list[str] | None = None
        if file_format.header:
            rec = self._first_record(offset, line)
            if rec is not None:
                self._check_header(rec)
                header = rec.values
                offset = rec.end_offset
                line = rec.line_no + (self._scanner.remembered_extra_lines(offset) or 0)
        self._data_offset, self._data_line = offset, line
        if header is not None:
            self.columns = column_labels(header, len(header))
        elif file_format.columns:
            self.columns = column_labels([c.label or c.name for c in file_format.columns],
                                         len(file_format.columns))
        else:
            self.columns = column_labels(None, self._guess_width())
        self._expected = len(self.columns)

    def _first_record(self, offset: int, line: int) -> SourceRecord | None:
        """The first record that is not a blank line (a header may follow empty lines)."""
        for rec in self._scanner.scan(offset, line, NO_CHECK):
            if rec.values or rec.error:
                return rec
        return None

    def _check_header(self, rec: SourceRecord) -> None:
        fmt = self.file_format
        if rec.error_code == ENCODING:
            raise SourceFileError(
                f"The header line cannot be read as {fmt.encoding}: the file is in another encoding "
                f"(choose it in the file format, or let it be detected)")
        if rec.error:
            raise SourceFileError(f"The header line (line {rec.line_no}) cannot be read: {rec.error}")

    def _guess_width(self) -> int:
        """Without a header: the most common number of values over the first records."""
        counts: Counter[int] = Counter()
        for rec in self._scanner.scan(self._data_offset, self._data_line, NO_CHECK):
            if rec.values and not rec.error:
                counts[len(rec.values)] += 1
                if counts.total() >= WIDTH_SAMPLE:
                    break
        return counts.most_common(1)[0][0] if counts else 0

    def records(self, resume_offset: int = 0, resume_line: int = 0) -> Iterator[SourceRecord]:
        if resume_offset > self._data_offset:
            extra = self._scanner.remembered_extra_lines(resume_offset)
            if extra is None:
                extra = extra_lines_of_record_ending_at(self._text_file, resume_offset, self._data_offset,
                                                        self.file_format.string_delimiter)
            return RecordStream(self._scanner, resume_offset, resume_line + extra, self._expected)
        return RecordStream(self._scanner, self._data_offset, self._data_line, self._expected)

    def close(self) -> None:
        self._text_file.close()


__all__ = ["DelimitedSource"]
