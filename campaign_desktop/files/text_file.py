"""A text file opened for streaming: its codec, BOM, line ends and where its data starts.

The delimited and the fixed-width readers share everything below the level of a line:
skipping the BOM and the ignored lines, finding physical lines as bytes, and handling a
line too long to be text. Each ``records()`` call opens its own handle, so a preview and an
import of the same ``OpenedSource`` never move each other's position.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from campaign_desktop.files import lines as _lines
from campaign_desktop.files.encodings import is_ascii_compatible, line_codec
from campaign_desktop.files.records import FIELD_TOO_LARGE, SourceRecord

RECORD_LIMIT = 10 * 1024 * 1024
"""Bytes above which a record is refused: no real value is that long, an unclosed quote is."""


@dataclass
class TextFile:
    """Where and how to read lines of one text file.

    Attributes:
        path: the file.
        codec: the codec lines are decoded with (BOM-less form: ``utf-8``, ``utf-16-le``...).
        start: offset of the first line (after a BOM).
        mode: how lines end (``lines.LF``, ``CR``, ``MIXED``).
        ascii_compatible: whether CR/LF are single bytes (lines split on bytes).
        size: the file size in bytes.
        limit: the longest record accepted, in bytes.
    """

    path: Path
    codec: str
    start: int
    mode: str
    ascii_compatible: bool
    size: int
    limit: int = RECORD_LIMIT
    _handles: list[BinaryIO] = field(default_factory=list, repr=False)

    def open_at(self, offset: int) -> BinaryIO:
        """A new binary handle at ``offset`` (the start of a line), closed by ``close()``."""
        f = open(self.path, "rb")  # closed by release() or close()
        self._handles.append(f)
        f.seek(max(offset, self.start))
        return f

    def release(self, f: BinaryIO) -> None:
        f.close()
        if f in self._handles:
            self._handles.remove(f)

    def close(self) -> None:
        for f in self._handles:
            f.close()
        self._handles.clear()

    def lines(self, f: BinaryIO) -> Iterator[bytes]:
        """Physical lines from the handle's position, as bytes with their terminators."""
        return _lines.byte_lines(f, self.mode, self.codec, self.ascii_compatible, self.limit)

    def ends_line(self, piece: bytes) -> bool:
        """Whether a piece returned by ``lines`` ends its physical line."""
        if not self.ascii_compatible:
            text = piece.decode(self.codec, "replace")
            return text.endswith(("\n", "\r"))
        if self.mode == _lines.LF:
            return piece.endswith(b"\n")
        return piece.endswith((b"\n", b"\r"))

    def too_long(self, line_no: int, first: bytes, lines: Iterator[bytes], offset: int) -> SourceRecord:
        """Consume the rest of an over-long line and describe it as one unusable record.

        Args:
            line_no: the line's number.
            first: its first piece (already counted in ``offset``).
            lines: the line source, positioned after ``first``.
            offset: the byte offset after ``first``.
        """
        piece = first
        while not self.ends_line(piece):
            piece = next(lines, b"")
            if not piece:
                break
            offset += len(piece)
        head = first[:200].decode(self.codec, "replace")
        mb = self.limit // (1024 * 1024)
        return SourceRecord(line_no, head + "…", [], offset,
                            f"Line is larger than {mb} MB: a value is probably missing its closing quote, "
                            f"or this part of the file is not text", FIELD_TOO_LARGE)

    def skip_lines(self, count: int) -> tuple[int, int]:
        """Skip ``count`` physical lines from the start; return (offset, lines skipped)."""
        offset, skipped = self.start, 0
        if count <= 0:
            return offset, 0
        f = self.open_at(offset)
        try:
            lines = self.lines(f)
            for piece in lines:
                offset += len(piece)
                if self.ends_line(piece) or offset >= self.size:
                    skipped += 1
                    if skipped >= count:
                        break
        finally:
            self.release(f)
        return offset, skipped


def open_text_file(path: Path, encoding: str, head: bytes, size: int,
                   newline_sample: bytes | str) -> TextFile:
    """Describe a text file for reading, given its encoding and its first bytes."""
    codec, start = line_codec(encoding, head)
    ascii_ok = is_ascii_compatible(codec)
    return TextFile(path=path, codec=codec, start=start, mode=_lines.newline_mode(newline_sample),
                    ascii_compatible=ascii_ok, size=size)


__all__ = ["RECORD_LIMIT", "TextFile", "open_text_file"]
