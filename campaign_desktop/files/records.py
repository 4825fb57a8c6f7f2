"""One record of a source file, as every reader yields it.

The engine, the preview grid and the rejects report all consume this one shape, whatever the
file type, so a bad line travels as data (``error`` set) instead of an exception: one broken
line must never stop an import of a million good ones.
"""

from __future__ import annotations

from dataclasses import dataclass

# Machine codes of unusable records (SourceRecord.error_code).
TOO_FEW_VALUES = "too_few_values"
TOO_MANY_VALUES = "too_many_values"
ENCODING = "encoding"
UNTERMINATED_QUOTE = "unterminated_quote"
FIELD_TOO_LARGE = "field_too_large"


@dataclass(slots=True)
class SourceRecord:
    """A record of the file: its position, its raw text and its values.

    Attributes:
        line_no: 1-based physical line where the record starts (xlsx: the sheet row number).
        raw: the record's text as in the file, decoded, without its line terminator; a record
            spanning lines keeps its inner line breaks (xlsx: the cells joined by ';').
        values: the field values as text; [] for a blank line.
        end_offset: byte offset just after the record (xlsx: the row number), for progress
            and for resuming with ``OpenedSource.records(resume_offset=...)``.
        error: why the record cannot be used, in words a marketer understands; "" when fine.
        error_code: the machine form of ``error`` (see the module constants).
    """

    line_no: int
    raw: str
    values: list[str]
    end_offset: int
    error: str = ""
    error_code: str = ""


def count_error(found: int, expected: int) -> tuple[str, str]:
    """The message and code of a record with the wrong number of values."""
    if found < expected:
        return f"Line has {found} values, {expected} expected (too few)", TOO_FEW_VALUES
    return f"Line has {found} values, {expected} expected (too many)", TOO_MANY_VALUES


def encoding_error(encoding: str, exc: UnicodeDecodeError) -> str:
    """Say which byte could not be read, and that the file's encoding is the likely cause."""
    bad = exc.object[exc.start:exc.start + 1]
    byte = f" (byte 0x{bad.hex().upper()})" if bad else ""
    return (f"Line contains characters that are not valid {encoding}{byte}: the file is probably in "
            f"another encoding; choose it in the file format")


__all__ = [
    "ENCODING",
    "FIELD_TOO_LARGE",
    "TOO_FEW_VALUES",
    "TOO_MANY_VALUES",
    "UNTERMINATED_QUOTE",
    "SourceRecord",
    "count_error",
    "encoding_error",
]
