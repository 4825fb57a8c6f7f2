"""Physical lines of a text file, as exact bytes, streamed with bounded memory.

Readers need each line's exact byte length (progress and resume offsets are byte offsets
without ``tell()``), so lines are produced as the file's own bytes, terminator included.
LF and CRLF files use the C ``readline`` (the fast path); CR-only and mixed files are cut in
blocks; UTF-16/32 files, whose line breaks are not single bytes, are decoded incrementally
and each line re-encoded, which gives back its original bytes.

Every line source caps a line at ``limit`` bytes: a longer line comes out in ``limit``-sized
pieces without a terminator, so a file with no line break at all never fills the memory.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from functools import partial
from typing import BinaryIO

BLOCK_SIZE = 1 << 20

LF = "lf"  # LF or CRLF: bytes lines split on LF, a CR before it is part of the terminator
CR = "cr"  # old Mac files: CR only
MIXED = "mixed"  # bare CRs and LFs both present: CR, LF and CRLF all end a line

_UNIVERSAL_TEXT_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)")
_LF_TEXT_LINE = re.compile(r"[^\n]*\n")


def newline_mode(sample: bytes | str) -> str:
    """How lines end in the sample: LF (covers CRLF), CR or MIXED."""
    if isinstance(sample, bytes):
        n_cr, n_lf, n_crlf = sample.count(b"\r"), sample.count(b"\n"), sample.count(b"\r\n")
    else:
        n_cr, n_lf, n_crlf = sample.count("\r"), sample.count("\n"), sample.count("\r\n")
    if n_cr == n_crlf:
        return LF
    if n_lf == 0:
        return CR
    return MIXED


def strip_terminator(text: str) -> str:
    """The line without its own line break (only one: CRLF, LF or CR)."""
    if text.endswith("\n"):
        text = text[:-1]
    if text.endswith("\r"):
        text = text[:-1]
    return text


def has_terminator(line: bytes) -> bool:
    return line.endswith((b"\n", b"\r"))


def byte_lines(f: BinaryIO, mode: str, codec: str, ascii_compatible: bool, limit: int) -> Iterator[bytes]:
    """The lines of ``f`` from its current position, each as its bytes with its terminator.

    Args:
        f: a binary file positioned at the start of a line.
        mode: LF, CR or MIXED (see ``newline_mode``).
        codec: the encoding, used only when line breaks are not single bytes.
        ascii_compatible: whether CR and LF are the bytes 0x0D and 0x0A in this encoding.
        limit: the longest line returned in one piece.
    """
    if ascii_compatible:
        if mode == LF:
            return iter(partial(f.readline, limit), b"")
        return _block_lines(f, limit)
    return _text_lines(f, mode, codec, limit)


def _block_lines(f: BinaryIO, limit: int) -> Iterator[bytes]:
    """Lines ending in CR, LF or CRLF, cut from 1 MB blocks (a CR at a block's end waits for an LF)."""
    tail = b""
    while True:
        block = f.read(BLOCK_SIZE)
        if not block:
            if tail:
                yield from _pieces(tail, limit)
            return
        data = tail + block if tail else block
        lines = data.splitlines(keepends=True)
        last = lines.pop()
        if last.endswith(b"\n"):  # complete; a final CR waits: its LF may start the next block
            lines.append(last)
            last = b""
        for line in lines:
            if len(line) > limit:
                yield from _pieces(line, limit)
            else:
                yield line
        tail = last
        while len(tail) > limit:
            yield tail[:limit]
            tail = tail[limit:]


def _pieces(line: bytes, limit: int) -> Iterator[bytes]:
    for start in range(0, len(line), limit):
        yield line[start:start + limit]


def _text_lines(f: BinaryIO, mode: str, codec: str, limit: int) -> Iterator[bytes]:
    """Lines of a UTF-16/32 file: decoded by blocks, split in text, re-encoded to their own bytes.

    ``surrogatepass`` keeps invalid code units as they are, so a damaged line comes out as its
    original bytes and fails to decode where the reader can report it as one bad line.
    """
    decoder = codecs.getincrementaldecoder(codec)(errors="surrogatepass")
    pattern = _LF_TEXT_LINE if mode == LF else _UNIVERSAL_TEXT_LINE
    char_limit = max(1, limit // 4)
    tail = ""
    while True:
        block = f.read(BLOCK_SIZE)
        final = not block
        try:
            text = decoder.decode(block, final=final)
        except UnicodeDecodeError:  # a truncated last character
            leftover = decoder.getstate()[0]
            if tail:
                yield tail.encode(codec, "surrogatepass")
            if leftover:
                yield leftover
            return
        data = tail + text
        pos = 0
        for m in pattern.finditer(data):
            line = m.group()
            if line.endswith("\r") and m.end() == len(data) and not final:
                break  # its LF may start the next block
            pos = m.end()
            for start in range(0, len(line), char_limit):
                yield line[start:start + char_limit].encode(codec, "surrogatepass")
        tail = data[pos:]
        while len(tail) > char_limit:
            yield tail[:char_limit].encode(codec, "surrogatepass")
            tail = tail[char_limit:]
        if final:
            if tail:
                yield tail.encode(codec, "surrogatepass")
            return
