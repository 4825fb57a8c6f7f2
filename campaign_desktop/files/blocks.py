"""Delimited text read in blocks of plain lines: one decode and one split per few MB, values as columns.

Reading line by line costs a ``readline``, a ``decode``, a ``split`` and a ``SourceRecord`` per line:
on a million lines that is most of the reading half of an import. Nearly every line of a real
export is *plain*: no string delimiter, no NUL, no stray CR, exactly the expected number of
separators. Such a line needs none of the checks of ``DelimitedScanner``, so here a chunk of a
few MB is decoded once, split into lines in C, and each run of plain lines becomes a
``PlainBlock`` whose values are already cut into columns (the run joined and split once), which
the column-wise converter (``mapping/columns.py``) takes whole.

Every other line (quoted, ragged, blank, undecodable, too long...) goes through the scanner's
own loop (``DelimitedScanner.scan_lines``), fed the file's physical lines from that point, so it
gives exactly the record ``scan`` gives; the lines that loop consumed are counted, and the block
reading carries on right after them. Byte offsets are computed only when asked for (batch ends,
rejects): from character counts in an ASCII chunk, by encoding the lines otherwise.

Only ASCII-compatible single-state codecs (UTF-8, cp1252, latin-1...) with LF or CRLF line ends
and no "consecutive separators as one" take this path; other files (UTF-16, CR-only) are read by
``scan`` as before, through the same interface.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import repeat

from campaign_desktop.domain.positions import true_positions
from campaign_desktop.files import lines as _lines
from campaign_desktop.files.delimited import DelimitedScanner
from campaign_desktop.files.records import SourceRecord

CHUNK_SIZE = 256 << 10
"""Bytes read and decoded at once: big enough that per-chunk costs vanish, small enough that the
strings of a chunk stay in the processor's cache (4 MB chunks made splitting twice as slow)."""

_BLOCK_CODECS = ("utf-8", "ascii", "latin-1", "iso8859-", "cp125", "cp437", "cp850", "mac-roman")
"""Codecs whose text decodes the same whole or line by line (no shift states), with 1-byte CR/LF."""


class _Offsets:
    """Byte offsets of the lines of one chunk, summed from the last one asked for (asked in order)."""

    __slots__ = ("start", "lines", "term", "terminated", "codec", "ascii", "_line", "_offset")

    def __init__(self, start: int, lines: list[str], term: int, terminated: int, codec: str, ascii: bool) -> None:
        self.start = start
        self.lines = lines
        self.term = term  # bytes of each line end (1: LF, 2: CRLF)
        self.terminated = terminated  # lines that have a line end (all but an unterminated last one)
        self.codec = codec
        self.ascii = ascii
        self._line = 0  # the offsets of lines before this one are summed into _offset
        self._offset = start

    def after(self, k: int) -> int:
        """The byte offset right after line ``k`` of the chunk (its line end included)."""
        if k + 1 < self._line:  # asked out of order: sum again from the chunk's start
            self._line, self._offset = 0, self.start
        part = "".join(self.lines[self._line:k + 1])  # one copy costs less than a len() per line
        size = len(part) if self.ascii else len(part.encode(self.codec))
        self._offset += size + (min(k + 1, self.terminated) - min(self._line, self.terminated)) * self.term
        self._line = k + 1
        return self._offset

    def before(self, k: int) -> int:
        """The byte offset where line ``k`` starts."""
        return self.after(k - 1) if k else self.start


@dataclass(slots=True, eq=False)
class PlainBlock:
    """Consecutive plain lines: their texts, their values by column, and their end offsets on demand.

    Attributes:
        first_line: the line number of ``raws[0]``.
        raws: the lines' texts (no line end); each record's ``raw``.
        columns: ``columns[c][i]`` is value ``c`` of line ``i`` (every line has all of them).
    """

    first_line: int
    raws: list[str]
    columns: list[list[str]]
    spaced: bool  # white space other than plain spaces is in the values (see ``mapping.columns.may_be_padded``)
    _offsets: _Offsets
    _at: int  # index of raws[0] in the chunk

    def __len__(self) -> int:
        return len(self.raws)

    def end_offset(self, i: int) -> int:
        """``SourceRecord.end_offset`` of line ``i`` of the block."""
        return self._offsets.after(self._at + i)

    def record(self, i: int) -> SourceRecord:
        """Line ``i`` as the record ``DelimitedScanner.scan`` gives for it."""
        return SourceRecord(self.first_line + i, self.raws[i], [c[i] for c in self.columns], self.end_offset(i))


Piece = PlainBlock | SourceRecord


class _Feed:
    """Physical lines handed to the scanner's loop, counted (lines, bytes) as it takes them.

    ``unended`` notes a piece without a line end: the file's last line, or a piece of a line longer
    than the record limit, after which the scanner numbers lines by pieces; the block reading then
    leaves the rest of the file to the scanner rather than guess its numbering.
    """

    __slots__ = ("_it", "lines", "bytes", "unended")

    def __init__(self, it: Iterator[bytes]) -> None:
        self._it = it
        self.lines = 0
        self.bytes = 0
        self.unended = False

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> bytes:
        b = next(self._it)
        self.bytes += len(b)
        if b.endswith(b"\n"):
            self.lines += 1
        else:
            self.unended = True
        return b


def blocks_possible(scanner: DelimitedScanner, expected: int) -> bool:
    """Whether this file can be read in blocks (else ``read_pieces`` is ``scan``'s records)."""
    tf = scanner.text_file
    name = codecs.lookup(tf.codec).name
    return (tf.ascii_compatible and tf.mode == _lines.LF and not scanner.merge and expected >= 2
            and name.startswith(_BLOCK_CODECS) and tf.limit > 2)


def read_pieces(scanner: DelimitedScanner, offset: int, line_no: int, expected: int) -> Iterator[Piece]:
    """The records of ``scanner.scan(offset, line_no, expected)``, runs of plain lines as ``PlainBlock``s."""
    if not blocks_possible(scanner, expected):
        yield from scanner.scan(offset, line_no, expected)
        return
    tf = scanner.text_file
    codec, sep = tf.codec, scanner.separator
    chunk_size = min(CHUNK_SIZE, tf.limit - 1)  # so that a line within a chunk is never 'too long'
    f = tf.open_at(offset)
    buf = bytearray(chunk_size)  # one buffer for the whole file: read into, decoded from, never copied
    view = memoryview(buf)
    try:
        while True:
            f.seek(offset)
            end = f.readinto(buf)
            if not end:
                return
            if end == chunk_size:  # not the end of the file: the chunk stops after its last line end
                end = buf.rfind(b"\n") + 1
                if end == 0:  # a line longer than a chunk: the scanner's loop reads it
                    offset, line_no = yield from _scanned(scanner, offset, line_no, expected, 1)
                    if line_no < 0:
                        return
                    continue
            try:
                text = str(view[:end], codec)
            except UnicodeDecodeError as exc:
                end = buf.rfind(b"\n", 0, exc.start) + 1
                if end == 0:  # the first line does not decode: the scanner's loop says why
                    offset, line_no = yield from _scanned(scanner, offset, line_no, expected, 1)
                    if line_no < 0:
                        return
                    continue
                text = str(view[:end], codec)
            offset, line_no = yield from _chunk(scanner, text, offset, line_no, expected, sep, codec)
            if line_no < 0:
                return
    finally:
        view.release()
        tf.release(f)


def _chunk(scanner: DelimitedScanner, text: str, offset: int, line_no: int, expected: int, sep: str,
           codec: str) -> Iterator[Piece]:
    """The pieces of one decoded chunk that starts at ``offset`` after line ``line_no``.

    Returns (by ``yield from``) the offset and line number where the next chunk starts.
    """
    nl, term = "\n", 1
    if "\r" in text and text.count("\r") == text.count("\r\n") == text.count("\n"):
        nl, term = "\r\n", 2  # a Windows export: every line ends in CRLF
    lines = text.split(nl)
    if lines[-1]:
        terminated = len(lines) - 1  # the file's last line, without a line end
    else:
        lines.pop()
        terminated = len(lines)
    n = len(lines)
    offsets = _Offsets(offset, lines, term, terminated, codec, text.isascii())
    odd = _odd_lines(text, lines, sep, expected, scanner.quote, nl)
    spaced = _spaced(text, nl, sep)
    odd.append(n)  # a sentinel: the end of the chunk
    k = o = 0
    while k < n:
        while odd[o] < k:
            o += 1
        stop = odd[o]
        if stop > k:  # plain lines k .. stop-1
            raws = lines[k:stop]
            flat = sep.join(raws).split(sep)
            yield PlainBlock(line_no + k + 1, raws, [flat[c::expected] for c in range(expected)], spaced,
                             offsets, k)
            k = stop
            continue
        run = 1  # odd lines from k: the scanner's loop reads them all at once
        while k + run < n and odd[o + run] == k + run:
            run += 1
        at = offsets.before(k)
        end, last_line = yield from _scanned(scanner, at, line_no + k, expected, run)
        if last_line < 0 or last_line - line_no >= n:  # the end, or a quoted value beyond this chunk
            return end, last_line
        k = last_line - line_no
    return offsets.after(n - 1), line_no + n


_SPACES = "".join(c for c in map(chr, range(0x3001)) if c.isspace())  # what str.strip() removes (none above)


def _spaced(text: str, nl: str, sep: str) -> bool:
    """Whether the chunk has white space other than plain spaces in its values (tabs, no-break spaces...).

    A few ``in`` searches, which run at memory speed; the column converter then only looks for
    plain spaces at the ends of values (``mapping.columns.may_be_padded``).
    """
    skip = {" ", "\n", sep} | ({"\r"} if nl == "\r\n" else set())
    return any(c in text for c in _SPACES if c not in skip)


def _odd_lines(text: str, lines: list[str], sep: str, expected: int, quote: str, nl: str) -> list[int]:
    """Positions of the lines that are not plain, in order (each test is one C pass over the chunk)."""
    odd: set[int] = set()
    counts = list(map(str.count, lines, repeat(sep)))
    want = expected - 1
    if counts.count(want) != len(counts):
        odd.update(true_positions(map(want.__ne__, counts)))
    for marker in (quote, "\x00", "\r" if nl == "\n" else ""):
        if marker and marker in text:
            odd.update(true_positions(map(str.__contains__, lines, repeat(marker))))
    return sorted(odd)


def _scanned(scanner: DelimitedScanner, offset: int, line_no: int, expected: int,
             min_lines: int) -> Iterator[SourceRecord]:
    """Records read by the scanner's own loop from ``offset`` until it has used ``min_lines`` lines.

    Returns (by ``yield from``) the offset and the line number right after the last record; the line
    number is -1 when the scanner read to the end of the file.
    """
    tf = scanner.text_file
    f = tf.open_at(offset)
    feed = _Feed(tf.lines(f))
    try:
        for rec in scanner.scan_lines(feed, offset, line_no, expected):
            yield rec
            if feed.lines >= min_lines and not feed.unended:
                break
        else:
            return offset + feed.bytes, -1  # the end of the file
    finally:
        tf.release(f)
    return offset + feed.bytes, line_no + feed.lines


class RecordStream:
    """What ``DelimitedSource.records`` returns: an iterator of records, that can be read in blocks.

    Iterated, it is exactly ``scan`` (the preview, the rejects export and every other reader see
    nothing new); ``blocks()``, asked for before the first record is read, gives the same records
    with the runs of plain lines as ``PlainBlock``s, for the import's ``LineReader``.
    """

    def __init__(self, scanner: DelimitedScanner, offset: int, line_no: int, expected: int) -> None:
        self._scanner = scanner
        self._start = (offset, line_no, expected)
        self._records: Iterator[SourceRecord] | None = None

    def __iter__(self) -> RecordStream:
        return self

    def __next__(self) -> SourceRecord:
        if self._records is None:
            self._records = self._scanner.scan(*self._start)
        return next(self._records)

    def blocks(self) -> Iterator[Piece]:
        """The records as pieces (see ``read_pieces``); once records were taken, the rest one by one."""
        if self._records is not None:
            return self._records
        self._records = iter(())
        return read_pieces(self._scanner, *self._start)


__all__ = ["CHUNK_SIZE", "Piece", "PlainBlock", "RecordStream", "blocks_possible", "read_pieces"]
