"""Whatever a file contains, converting a line never raises: bad values become rejects or warnings."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from campaign_desktop.domain.recipient_fields import IMPORTABLE_FIELDS, FieldType
from campaign_desktop.domain.template import (
    CalculatedField,
    CalculatedKind,
    ColumnFormat,
    EmptyRule,
    FieldMapping,
    FileFormat,
    ImportSettings,
    OnError,
    OtherCases,
    Transform,
)
from campaign_desktop.mapping import ConvertedRow, RowConverter
from campaign_desktop.mapping.values import EMAIL_ASCII_RE, EMAIL_RE, make_email_parser

REASONS = {
    "invalid_email",
    "invalid_date",
    "invalid_number",
    "required_empty",
    "too_long",
    "not_remapped",
    "enum_error",
    "calc_error",
}
FIELDS = [f.name for f in IMPORTABLE_FIELDS]


def every_field_converter() -> RowConverter:
    """One column per importable field, with every error processing and a few calculated fields."""
    modes = list(OnError)
    columns = [f"c{i}" for i in range(len(FIELDS))]
    formats = []
    for i, c in enumerate(columns):
        mode = modes[i % len(modes)]
        # An empty default is refused for a column that must be populated, so those use "empty is fine".
        rule = (
            EmptyRule.EMPTY_OK
            if mode in (OnError.DEFAULT, OnError.DEFAULT_IF_UNMAPPED)
            else list(EmptyRule)[i % 3]
        )
        formats.append(
            ColumnFormat(
                name=c,
                on_error=mode,
                default="",
                remap={"one": "1", "N/A": ""},
                transform=list(Transform)[i % 4],
                empty_rule=rule,
                type=FieldType.INTEGER if i % 7 == 3 else FieldType.TEXT,
                date_format="DD/MM/YYYY" if i % 2 else "",
            )
        )
    calcs = [
        CalculatedField(name="tpl", kind=CalculatedKind.TEMPLATE, body="{c0} {c1}"),
        CalculatedField(
            name="expr",
            kind=CalculatedKind.EXPRESSION,
            body="if(len(c2) > 3, upper(left(c2, 2)) & c3, year(c4) + c5 / c6)",
        ),
        CalculatedField(
            name="enum",
            kind=CalculatedKind.ENUMERATION,
            source="c7",
            values={"a": "1"},
            other_cases=OtherCases.WARNING,
        ),
        CalculatedField(
            name="enum2",
            kind=CalculatedKind.ENUMERATION,
            source="c8",
            values={"a": "b"},
            other_cases=OtherCases.ERROR,
        ),
    ]
    mapping = [FieldMapping(c, f) for c, f in zip(columns, FIELDS, strict=True)]
    mapping = [m for m in mapping if m.destination not in ("comment", "origin", "company", "salutation")]
    mapping += [
        FieldMapping("tpl", "comment"),
        FieldMapping("expr", "origin"),
        FieldMapping("enum", "company"),
        FieldMapping("enum2", "salutation"),
    ]
    settings_ = ImportSettings(
        file_format=FileFormat(columns=formats), mapping=mapping, calculated_fields=calcs
    )
    return RowConverter(columns, settings_)


CONVERTER = every_field_converter()
WIDTH = len(CONVERTER.columns)

# Text with the characters that matter to the parsers, plus anything at all.
nasty = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="0123456789/-.:, @+'xXéT\u00a0", max_size=25),
    st.sampled_from(
        [
            "",
            " ",
            "one",
            "N/A",
            "31/02/2024",
            "1980-12-31",
            "a@b.co",
            "M",
            "Femme",
            "oui",
            "1e309",
            "9" * 25,
            "\x00",
            "\ud800",
            "２０２４-０１-０１",
        ]
    ),
)


def check(row: ConvertedRow) -> None:
    assert isinstance(row, ConvertedRow)
    assert set(row.values) <= set(CONVERTER.destinations)
    if row.rejected:
        assert row.reason_code in REASONS and row.message and row.field_errors
    else:
        assert row.reason_code == "" and row.field_errors == []
    for v in row.values.values():
        assert v is None or type(v).__name__ in ("str", "int", "float", "bool", "date", "datetime")


@settings(max_examples=500, deadline=None)
@given(st.lists(nasty, min_size=WIDTH, max_size=WIDTH))
def test_convert_never_raises_on_random_values(values: list[str]):
    check(CONVERTER.convert(values))


@settings(max_examples=200, deadline=None)
@given(st.lists(nasty, max_size=WIDTH + 5))
def test_convert_never_raises_on_lines_of_the_wrong_length(values: list[str]):
    check(CONVERTER.convert(values))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_a_valid_email_is_normalised_idempotently(text: str):
    parse = make_email_parser()
    v = parse(text.strip())
    if isinstance(v, str):
        assert parse(v) == v
        assert v.count("@") == 1 and " " not in v


ascii_emailish = st.text(alphabet=st.characters(max_codepoint=127), max_size=30) | st.builds(
    "{}@{}.{}".format,
    st.text(alphabet=st.characters(max_codepoint=127), min_size=1, max_size=8),
    st.text(alphabet=st.characters(max_codepoint=127), min_size=1, max_size=8),
    st.text(alphabet=st.characters(max_codepoint=127), min_size=1, max_size=4),
)


@settings(max_examples=1000, deadline=None)
@given(ascii_emailish)
def test_the_fast_ascii_email_check_agrees_with_the_full_one(text: str):
    full, fast = EMAIL_RE.fullmatch(text), EMAIL_ASCII_RE.fullmatch(text)
    assert (full is None) == (fast is None), text
    if full is not None and fast is not None:
        assert full.groups() == fast.groups()
