"""Streaming reader of delimited text (CSV, semicolon, tab, pipe...).

The import engine must read a million lines well under 1.5 s, so the common line, one with
no string delimiter in it, costs a bytes ``readline``, one ``decode`` and one ``str.split``.
Only lines that contain the string delimiter go through the ``csv`` module, which is fed the
following physical lines on demand when a quoted value spans lines. Offsets are summed from
line lengths in bytes, so they are exact without ``tell()`` and a reader can resume by
seeking. Every problem of a line becomes a record with ``error`` set, never an exception.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator

from campaign_desktop.files.lines import strip_terminator
from campaign_desktop.files.records import (
    ENCODING,
    FIELD_TOO_LARGE,
    UNTERMINATED_QUOTE,
    SourceRecord,
    count_error,
    encoding_error,
)
from campaign_desktop.files.text_file import RECORD_LIMIT, TextFile

NO_CHECK = -1
"""``expected`` value that disables the field count check (header, sniffing)."""

_MAX_REMEMBERED_SPANS = 100_000

# The csv module refuses fields above its limit with csv.Error: that is our 'field_too_large'.
csv.field_size_limit(max(csv.field_size_limit(), RECORD_LIMIT))


class _TooLarge(Exception):
    """A record grew past the size limit while more lines were fed to the csv module."""


def make_splitter(separator: str, merge: bool) -> Callable[[str], list[str]]:
    """The function that cuts an unquoted line into values.

    With ``merge`` (Campaign's "Consider consecutive delimiters as one") a run of separators
    counts as one; with a blank separator (space, tab) leading and trailing runs are ignored
    too, as in column-aligned text.
    """
    if not merge:
        return lambda s: s.split(separator)
    runs = re.compile(re.escape(separator) + "+")
    if separator.isspace():
        return lambda s: runs.split(s.strip(separator))
    return runs.split


def check_count(line_no: int, raw: str, values: list[str], end: int, expected: int) -> SourceRecord:
    """A record for a line whose field count differs from ``expected`` (or that is blank).

    Trailing empty values beyond the expected count are dropped rather than refused: spreadsheet
    tools add a separator at the end of some lines and nobody should lose a line for that.
    """
    if not raw.strip():
        return SourceRecord(line_no, raw, [], end)
    found = len(values)
    if expected == NO_CHECK or found == expected:
        return SourceRecord(line_no, raw, values, end)
    if found > expected and not any(v.strip() for v in values[expected:]):
        return SourceRecord(line_no, raw, values[:expected], end)
    message, code = count_error(found, expected)
    return SourceRecord(line_no, raw, values, end, message, code)


class _QuotedParser:
    """The slow path: records containing the string delimiter, parsed by the ``csv`` module.

    One ``csv.reader`` is kept for the whole scan, reading from a generator that first returns
    the line the fast path handed over, then pulls further physical lines from the same line
    source only while a quoted value is open. It counts those lines and their bytes, so the
    fast path can carry on right after the record.
    """

    def __init__(self, text_file: TextFile, separator: str, quote: str, merge: bool) -> None:
        self._codec = text_file.codec
        self._limit = text_file.limit
        self._merge = merge
        self._dialect = {"delimiter": separator, "quotechar": quote, "doublequote": True, "strict": False}
        self._pending: list[str] = []
        self._lines: Iterator[bytes] = iter(())
        self._parts: list[str] = []
        self._offset = 0
        self._size = 0
        self._extra = 0
        self._eof = False
        self._bad: UnicodeDecodeError | None = None
        self._reader = csv.reader(self._feed(), **self._dialect)  # type: ignore[arg-type]

    def _feed(self) -> Iterator[str]:
        pending = self._pending
        while True:
            if pending:
                yield pending.pop()
                continue
            piece = next(self._lines, None)
            if piece is None:
                self._eof = True
                return
            self._offset += len(piece)
            self._size += len(piece)
            self._extra += 1
            if self._size > self._limit:
                raise _TooLarge
            try:
                text = piece.decode(self._codec)
            except UnicodeDecodeError as exc:
                self._bad = self._bad or exc
                text = piece.decode(self._codec, "replace")
            if "\x00" in text:
                text = text.replace("\x00", "")
            self._parts.append(text)
            yield text

    def parse(self, line_no: int, text: str, lines: Iterator[bytes], offset: int,
              expected: int) -> tuple[SourceRecord, int]:
        """Parse the record that starts with ``text`` (its first line, terminator included).

        Returns:
            The record and the number of extra physical lines it took.
        """
        if "\x00" in text:
            text = text.replace("\x00", "")
        self._lines = lines
        self._parts = [text]
        self._offset = offset
        self._size = len(text)
        self._extra = 0
        self._bad = None
        self._pending.append(text)
        error = code = ""
        try:
            row = next(self._reader)
        except csv.Error:
            row, error, code = [], self._too_large_message(), FIELD_TOO_LARGE
        except _TooLarge:  # the generator is finished: start a new reader for the next records
            self._pending.clear()
            self._reader = csv.reader(self._feed(), **self._dialect)  # type: ignore[arg-type]
            row, error, code = [], self._too_large_message(), FIELD_TOO_LARGE
        except StopIteration:
            row = []
        raw = strip_terminator("".join(self._parts))
        if self._merge:
            row = [v for v in row if v]
        if not error and self._eof:
            error = (f"A quoted value opened on line {line_no} is never closed: the closing quote is "
                     f"missing, so the rest of the file could not be split into lines")
            code = UNTERMINATED_QUOTE
        if not error and self._bad is not None:
            error, code = encoding_error(self._codec, self._bad), ENCODING
        end = self._offset
        if error:
            if code == FIELD_TOO_LARGE:
                raw = raw[:200] + "…"
            return SourceRecord(line_no, raw, row, end, error, code), self._extra
        return check_count(line_no, raw, row, end, expected), self._extra

    def _too_large_message(self) -> str:
        mb = self._limit // (1024 * 1024)
        return (f"A value is larger than {mb} MB: a quote is probably not closed, or this part of the "
                f"file is not text")


class DelimitedScanner:
    """Reads records of one delimited file; knows nothing of headers (see ``delimited_source``)."""

    def __init__(self, text_file: TextFile, separator: str, quote: str, merge: bool) -> None:
        if len(separator) != 1 or separator in "\r\n" or separator == quote:
            raise ValueError(f"invalid separator {separator!r}")
        self.text_file = text_file
        self.separator = separator
        self.quote = quote
        self.merge = merge
        self._spans: dict[int, int] = {}

    def remembered_extra_lines(self, end_offset: int) -> int | None:
        """Extra lines of the record ending at ``end_offset`` if this scanner read it as multi-line."""
        return self._spans.get(end_offset)

    def scan(self, offset: int, line_no: int, expected: int) -> Iterator[SourceRecord]:
        """Records from ``offset`` (the start of a line) whose first line is ``line_no + 1``.

        Args:
            offset: byte offset where reading starts.
            line_no: number of the physical line just before ``offset``.
            expected: the number of values a record must have, or ``NO_CHECK``.
        """
        tf = self.text_file
        f = tf.open_at(offset)
        try:
            yield from self.scan_lines(tf.lines(f), offset, line_no, expected)
        finally:
            tf.release(f)

    def scan_lines(self, lines: Iterator[bytes], offset: int, line_no: int,
                   expected: int) -> Iterator[SourceRecord]:
        """``scan`` over the physical lines ``lines`` (from ``TextFile.lines``), which start at ``offset``.

        The block reader (``blocks.py``) hands the lines it does not take over to this loop, so
        that those records are exactly what ``scan`` gives.
        """
        tf = self.text_file
        codec = tf.codec
        sep = self.separator
        q = self.quote
        limit = tf.limit
        merge = self.merge
        split = make_splitter(sep, merge)
        quoted = _QuotedParser(tf, sep, q, merge) if q else None
        spans = self._spans
        # Single-line quoted records (the usual case: exports that quote every field) are parsed
        # by a reader over ``pending``: all C calls. A record that needs another line makes
        # pending.pop raise IndexError, and then the line-feeding parser takes the record over.
        pending: list[str] = []
        single = csv.reader(iter(pending.pop, None), delimiter=sep, quotechar=q or '"', strict=False)
        for b in lines:
            line_no += 1
            size = len(b)
            offset += size
            if size >= limit:
                rec = tf.too_long(line_no, b, lines, offset)
                offset = rec.end_offset
                yield rec
                continue
            try:
                t = b.decode(codec)
            except UnicodeDecodeError as exc:
                rec, extra = self._undecodable(line_no, b, exc, lines, offset, expected, quoted)
                offset = rec.end_offset
                line_no += extra
                yield rec
                continue
            if q and q in t:
                if "\x00" in t:
                    t = t.replace("\x00", "")
                pending.append(t)
                try:
                    values = next(single)
                except (IndexError, csv.Error):
                    pending.clear()
                else:
                    s = t.rstrip("\r\n")
                    if merge:
                        values = [v for v in values if v]
                    if len(values) != expected:
                        yield check_count(line_no, s, values, offset, expected)
                    else:
                        yield SourceRecord(line_no, s, values, offset)
                    continue
                rec, extra = quoted.parse(line_no, t, lines, offset, expected)  # type: ignore[union-attr]
                offset = rec.end_offset
                if extra:
                    if len(spans) < _MAX_REMEMBERED_SPANS:
                        spans[offset] = extra
                    line_no += extra
                yield rec
                continue
            s = t.rstrip("\r\n")
            if not s:
                yield SourceRecord(line_no, s, [], offset)
                continue
            if "\x00" in s:
                s = s.replace("\x00", "")
            values = split(s) if merge else s.split(sep)
            if len(values) != expected:
                yield check_count(line_no, s, values, offset, expected)
                continue
            yield SourceRecord(line_no, s, values, offset)

    def _undecodable(self, line_no: int, b: bytes, exc: UnicodeDecodeError, lines: Iterator[bytes],
                     offset: int, expected: int, quoted: _QuotedParser | None) -> tuple[SourceRecord, int]:
        """A line that does not decode: readable raw (U+FFFD for bad bytes), flagged 'encoding'.

        It still goes through the quoted parser when it opens a quote, so a multi-line record
        is not cut into a cascade of bogus lines.
        """
        codec = self.text_file.codec
        text = b.decode(codec, "replace")
        message = encoding_error(codec, exc)
        if quoted is not None and self.quote in text:
            rec, extra = quoted.parse(line_no, text, lines, offset, expected)
            if rec.error_code not in (FIELD_TOO_LARGE, UNTERMINATED_QUOTE):
                rec.error, rec.error_code = message, ENCODING
            return rec, extra
        raw = strip_terminator(text)
        values = make_splitter(self.separator, self.merge)(raw) if raw else []
        return SourceRecord(line_no, raw, values, offset, message, ENCODING), 0


__all__ = ["NO_CHECK", "DelimitedScanner", "check_count", "make_splitter"]
