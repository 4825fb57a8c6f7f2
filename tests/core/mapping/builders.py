"""Small builders for mapping tests: a converter from a few words, a line from column values."""

from __future__ import annotations

from campaign_desktop.domain.template import (
    CalculatedField,
    ColumnFormat,
    FieldMapping,
    FileFormat,
    ImportSettings,
)
from campaign_desktop.mapping import ConvertedRow, RowConverter


def converter(
    columns: list[str],
    mapping: dict[str, str] | list[FieldMapping] | None = None,
    formats: list[ColumnFormat] | None = None,
    calculated: list[CalculatedField] | None = None,
) -> RowConverter:
    """A converter for ``columns``; ``mapping`` as {source: destination} (guessed when None)."""
    if isinstance(mapping, dict):
        mapping = [FieldMapping(source=s, destination=d) for s, d in mapping.items()]
    settings = ImportSettings(
        file_format=FileFormat(columns=list(formats or [])),
        mapping=list(mapping or []),
        calculated_fields=list(calculated or []),
    )
    return RowConverter(columns, settings)


def one(dest: str, value: str, **fmt: object) -> ConvertedRow:
    """Convert a one-column file whose column 'Col' is mapped to ``dest`` with format options ``fmt``."""
    conv = converter(["Col"], {"Col": dest}, formats=[ColumnFormat(name="Col", **fmt)])  # type: ignore[arg-type]
    return conv.convert([value])


def value_of(dest: str, text: str, **fmt: object) -> object:
    row = one(dest, text, **fmt)
    assert not row.rejected, row.message
    return row.values[dest]
