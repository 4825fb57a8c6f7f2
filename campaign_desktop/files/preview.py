"""The preview of a file to import and the column formats guessed from it.

The File to import page shows the first 200 records with, per column, what the values look
like (type, date format, empties, examples, values that will not convert) so that a
marketer spots "03/04/2024 is ambiguous" or "12 birth dates are impossible" before running
the import, not in the rejects afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from campaign_desktop.domain.recipient_fields import FieldType
from campaign_desktop.domain.template import ColumnFormat, FileFormat
from campaign_desktop.files.column_types import guess_type
from campaign_desktop.files.records import SourceRecord
from campaign_desktop.files.source import open_source

SAMPLES = 5


@dataclass
class ColumnProfile:
    """What one column's values look like in the preview.

    Attributes:
        name: the column label.
        detected_type: the type most values fit (text when none fits).
        date_format: the detected date format in token syntax ("DD/MM/YYYY"), "" if not a date.
        empty_ratio: share of records with an empty value (0..1).
        distinct: number of distinct non-empty values.
        samples: the first few non-empty values.
        invalid: non-empty values that do not convert to ``detected_type``.
        invalid_examples: the first few of them.
        ambiguity: why the date format is a guess ("03/04/2024: 812 rows ambiguous, 37 prove
            DD/MM"), "" when it is certain.
    """

    name: str
    detected_type: FieldType = FieldType.TEXT
    date_format: str = ""
    empty_ratio: float = 0.0
    distinct: int = 0
    samples: list[str] = field(default_factory=list)
    invalid: int = 0
    invalid_examples: list[str] = field(default_factory=list)
    ambiguity: str = ""
    decimal_separator: str = "."


@dataclass
class Preview:
    """The first records of a file, its resolved format and a profile of each column."""

    file_format: FileFormat
    columns: list[str]
    rows: list[SourceRecord]
    profiles: list[ColumnProfile]
    line_count_estimate: int | None


def profile_columns(columns: list[str], rows: list[SourceRecord]) -> list[ColumnProfile]:
    """Profile each column over the usable records (blank and broken records are left out)."""
    usable = [r.values for r in rows if r.values and not r.error]
    profiles = []
    for j, name in enumerate(columns):
        cells = [v[j].strip() if j < len(v) else "" for v in usable]
        filled = [c for c in cells if c]
        guess = guess_type(filled)
        profiles.append(ColumnProfile(
            name=name,
            detected_type=guess.type,
            date_format=guess.date_format,
            empty_ratio=(len(cells) - len(filled)) / len(cells) if cells else 0.0,
            distinct=len(set(filled)),
            samples=filled[:SAMPLES],
            invalid=guess.invalid,
            invalid_examples=guess.invalid_examples,
            ambiguity=guess.ambiguity,
            decimal_separator=guess.decimal_separator,
        ))
    return profiles


_Read = tuple[FileFormat, list[str], list[SourceRecord], int | None]


def _read(path: str | Path, file_format: FileFormat | None, limit: int) -> _Read:
    with open_source(path, file_format) as source:
        rows: list[SourceRecord] = []
        exhausted = True
        for rec in source.records():
            if len(rows) >= limit:
                exhausted = False
                break
            rows.append(rec)
        estimate: int | None = len(rows)
        if not exhausted:
            estimate = _estimate(rows, source.bytes_total)
        return source.file_format, source.columns, rows, estimate


def _estimate(rows: list[SourceRecord], total: int) -> int | None:
    """Records in the whole file, extrapolated from the size of the records read so far."""
    if len(rows) < 2 or total <= 0:
        return None
    span = rows[-1].end_offset - rows[0].end_offset
    if span <= 0:
        return None
    per_record = span / (len(rows) - 1)
    return len(rows) + round((total - rows[-1].end_offset) / per_record)


def preview(path: str | Path, file_format: FileFormat | None = None, limit: int = 200) -> Preview:
    """The first ``limit`` records of a file, with its resolved format and column profiles.

    Args:
        path: the file.
        file_format: as for ``open_source`` (None: detect everything).
        limit: how many records to read (Campaign shows 200).

    Raises:
        SourceFileError: the file cannot be read as configured (see ``open_source``).
    """
    fmt, columns, rows, estimate = _read(path, file_format, limit)
    return Preview(file_format=fmt, columns=columns, rows=rows, profiles=profile_columns(columns, rows),
                   line_count_estimate=estimate)


def detect_column_formats(path: str | Path, file_format: FileFormat | None = None,
                          sample: int = 1000) -> list[ColumnFormat]:
    """A ColumnFormat per column (name = label = the column), typed from the first ``sample`` records.

    The engine calls this at job start when the template has no column formats, so that dates
    and numbers convert with the format the file really uses.
    """
    _, columns, rows, _ = _read(path, file_format, sample)
    return [
        ColumnFormat(name=p.name, label=p.name, type=p.detected_type, date_format=p.date_format,
                     decimal_separator=p.decimal_separator)
        for p in profile_columns(columns, rows)
    ]


__all__ = ["ColumnProfile", "Preview", "detect_column_formats", "preview", "profile_columns"]
