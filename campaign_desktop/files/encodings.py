"""Which encoding a text file is in, and how its byte order mark is handled.

Encodings are the users' first pain with imports (BOMs in headers, mojibake, UTF-16 "Unicode
text" saved by Excel), so detection is ordered from certain to guessed: a BOM, then UTF-16
without BOM (NUL bytes at every other position), then "does it decode as UTF-8", and only then
a statistical guess between the 8-bit code pages.
"""

from __future__ import annotations

import codecs

from campaign_desktop.domain.errors import SourceFileError

# Checked in this order: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Western code pages: when charset-normalizer finds any of them plausible, the 0x80-0x9F question
# (cp1252 printable vs latin-1 controls) decides. It ranks cp1250 first for plain French text.
_WESTERN = {"cp1252", "latin_1", "iso8859_1", "iso8859_15", "cp850", "mac_roman", "cp437", "ascii", "utf_8"}
# Other code pages trusted when charset-normalizer finds no Western one plausible. Multibyte Asian
# encodings are not guessed: on short Western samples they are the usual false positives.
_OTHER_CODE_PAGES = {"cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
                     "koi8_r", "koi8_u", "iso8859_2", "iso8859_5", "iso8859_7", "mac_cyrillic"}
# Bytes cp1252 leaves undefined: their presence means the file is not cp1252.
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
# Control bytes that do not occur in text files (tab, LF, FF, CR and ESC-free text only).
_TEXT_BYTES = bytes(range(0x20, 0x100)) + b"\t\n\r\f\x1a"


def bom_encoding(head: bytes) -> str | None:
    """The encoding a byte order mark at the start of the file announces, if any."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    return None


def normalize(encoding: str) -> str:
    """Check that Python knows the encoding, and tell the user clearly when it does not."""
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise SourceFileError(f"Unknown encoding '{encoding}': choose one from the list "
                              f"(for example utf-8 or cp1252)") from None
    return encoding


def line_codec(encoding: str, head: bytes) -> tuple[str, int]:
    """The codec to decode lines with, and how many BOM bytes to skip at the start of the file.

    A BOM is skipped whatever the chosen encoding family says it should be, so that a
    '\\ufeff' never sticks to the first column name; ``utf-16``/``utf-32`` without an
    endianness take it from the BOM (little-endian without one, as Windows writes).
    """
    name = codecs.lookup(encoding).name
    bom = bom_encoding(head)
    if name in ("utf-8", "utf-8-sig"):
        return "utf-8", 3 if bom == "utf-8-sig" else 0
    if bom == "utf-8-sig" and is_ascii_compatible(name):
        return name, 3  # a UTF-8 BOM in a file read as cp1252 would become "ï»¿" in the first label
    for family in ("utf-16", "utf-32"):
        if name.startswith(family):
            if name == family:
                if bom and bom.startswith(family):
                    return bom, len(_bom_bytes(bom))
                return f"{family}-le", 0
            skip = len(_bom_bytes(bom)) if bom == name else 0
            return name, skip
    return name, 0


def _bom_bytes(name: str) -> bytes:
    return next(b for b, n in _BOMS if n == name)


def is_ascii_compatible(codec: str) -> bool:
    """Whether line breaks are the single bytes CR and LF, so lines can be split on bytes."""
    name = codecs.lookup(codec).name
    if name.startswith(("utf-16", "utf-32", "utf-7")):
        return False
    try:
        return "\n\r".encode(codec) == b"\n\r"
    except UnicodeError:
        return False


def _utf16_without_bom(sample: bytes) -> str | None:
    """Recognise BOM-less UTF-16 by its NUL bytes, all on the same side of each character."""
    probe = sample[:4096]
    if len(probe) < 8:
        return None
    even = probe[0::2]
    odd = probe[1::2]
    even_zero = even.count(0) / len(even)
    odd_zero = odd.count(0) / len(odd)
    if odd_zero > 0.3 and even_zero < 0.05:
        return "utf-16-le"
    if even_zero > 0.3 and odd_zero < 0.05:
        return "utf-16-be"
    return None


def decodes_as(sample: bytes, encoding: str, complete: bool) -> bool:
    """Whether the sample decodes, ignoring a character cut at the end of a partial sample."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        decoder.decode(sample, final=complete)
    except UnicodeDecodeError:
        return False
    return True


def control_ratio(sample: bytes) -> float:
    """Share of bytes that never occur in text (NUL, other C0 controls): binary files have many."""
    if not sample:
        return 0.0
    return len(sample.translate(None, _TEXT_BYTES)) / len(sample)


def _eight_bit(sample: bytes) -> str:
    """cp1252 or latin-1 (or another code page charset-normalizer is sure of)."""
    high_lines = [line for line in sample.splitlines() if not line.isascii()]
    probe = b"\n".join(high_lines)[:65536] or sample[:65536]
    try:
        from charset_normalizer import from_bytes

        plausible = [match.encoding for match in from_bytes(probe)]
    except Exception:  # a guessing library must never break reading a file
        plausible = []
    if plausible and not _WESTERN & set(plausible):
        guess = plausible[0]
        if guess in _OTHER_CODE_PAGES and decodes_as(sample, guess, complete=False):
            # Where both code pages read the same letters (é, ö, ß...), Western is the safer name.
            if sample.decode(guess, "replace") != sample.decode("cp1252", "replace"):
                return guess
    if any(b in _CP1252_UNDEFINED for b in set(sample)):
        return "latin-1"
    return "cp1252"


def detect_encoding(sample: bytes, complete: bool) -> str:
    """The encoding of a file from its first bytes.

    Args:
        sample: the first bytes of the file (about 1 MB).
        complete: whether the sample is the whole file (a cut multibyte character at the end of
            a partial sample is not an error).

    Returns:
        A Python codec name: ``utf-8-sig`` / ``utf-16-le`` / ``utf-16-be`` / ... when a BOM says
        so, else ``utf-8``, ``cp1252``, ``latin-1`` or another code page.
    """
    bom = bom_encoding(sample)
    if bom:
        return bom
    utf16 = _utf16_without_bom(sample)
    if utf16 and decodes_as(sample, utf16, complete):
        return utf16
    if decodes_as(sample, "utf-8", complete) or _mostly_utf8(sample):
        return "utf-8"
    return _eight_bit(sample)


def _mostly_utf8(sample: bytes) -> bool:
    """UTF-8 with a few damaged lines (one pasted from a cp1252 file) is still UTF-8.

    An 8-bit file almost never forms valid multibyte UTF-8 sequences by chance, so more valid
    non-ASCII characters than invalid bytes means UTF-8; the bad lines become 'encoding' records.
    """
    text = sample.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd")
    valid = len(text) - len(text.encode("ascii", "ignore")) - invalid
    return valid > invalid


__all__ = [
    "bom_encoding",
    "control_ratio",
    "decodes_as",
    "detect_encoding",
    "is_ascii_compatible",
    "line_codec",
    "normalize",
]
