"""Column formats decide what an empty, unknown or bad value does; bad mappings are refused up front."""

from __future__ import annotations

from datetime import date

import pytest

from campaign_desktop.domain.errors import UserError
from campaign_desktop.domain.recipient_fields import FieldType
from campaign_desktop.domain.template import (
    ColumnFormat,
    EmptyRule,
    FieldMapping,
    FileFormat,
    ImportSettings,
    OnError,
)
from campaign_desktop.mapping import RowConverter

from .builders import converter, one

# --- Empty values --------------------------------------------------------------------------------


def test_empty_values_are_null_by_default_and_spaces_count_as_empty():
    conv = converter(["Email", "Nom", "Date de naissance"])
    row = conv.convert(["a@example.com", "   ", ""])
    assert not row.rejected
    assert row.values == {"email": "a@example.com", "last_name": None, "birth_date": None}


def test_an_always_populated_column_rejects_an_empty_value():
    row = one("last_name", "  ", empty_rule=EmptyRule.REQUIRED)
    assert row.rejected and row.reason_code == "required_empty"
    assert row.message == "Last name is required but the value is empty"


def test_empty_value_allowed_accepts_an_empty_number_even_in_a_numeric_column():
    row = one("status", "", type=FieldType.INTEGER, empty_rule=EmptyRule.EMPTY_OK)
    assert not row.rejected and row.values == {"status": None}


def test_without_trimming_spaces_are_kept():
    assert one("city", "  Paris ", trim=False).values == {"city": "  Paris "}


# --- Remapping -----------------------------------------------------------------------------------


def test_remapped_values_are_replaced_before_conversion():
    fmt = {"remap": {"three": "3", "Monsieur": "1"}}
    assert one("status", "three", **fmt).values == {"status": 3}
    assert one("status", "THREE", **fmt).values == {"status": 3}  # any case
    assert one("status", "7", **fmt).values == {"status": 7}  # not remapped: kept as is


def test_reject_if_unmapped_rejects_values_missing_from_the_remapping():
    fmt = {"remap": {"M": "1", "F": "2"}, "on_error": OnError.REJECT_IF_UNMAPPED}
    assert one("gender", "F", **fmt).values == {"gender": 2}
    row = one("gender", "X", **fmt)
    assert row.rejected and row.reason_code == "not_remapped"
    assert row.message == "No remapping for 'X' in column Col (known values: M, F)"


def test_default_if_unmapped_uses_the_default_for_values_missing_from_the_remapping():
    fmt = {"remap": {"M": "1", "F": "2"}, "on_error": OnError.DEFAULT_IF_UNMAPPED, "default": "0"}
    assert one("gender", "M", **fmt).values == {"gender": 1}
    assert one("gender", "?", **fmt).values == {"gender": 0}


def test_a_value_remapped_to_nothing_is_empty():
    assert one("city", "N/A", remap={"N/A": ""}).values == {"city": None}


# --- Error processing ----------------------------------------------------------------------------


def test_on_error_ignore_keeps_the_line_and_logs_a_warning():
    conv = converter(
        ["Email", "Date de naissance"],
        formats=[ColumnFormat(name="Date de naissance", date_format="DD/MM/YYYY", on_error=OnError.IGNORE)],
    )
    row = conv.convert(["a@example.com", "31/02/2024"])
    assert not row.rejected
    assert row.values == {"email": "a@example.com"}  # the bad value is left out, not stored as NULL
    assert len(row.warnings) == 1
    w = row.warnings[0]
    assert (w.field, w.value) == ("birth_date", "31/02/2024")
    assert w.message.startswith("Impossible date '31/02/2024' in Birth date")


def test_on_error_default_uses_the_columns_default_value_converted_once():
    row = one(
        "birth_date", "someday", on_error=OnError.DEFAULT, default="01/01/1900", date_format="DD/MM/YYYY"
    )
    assert not row.rejected and row.values == {"birth_date": date(1900, 1, 1)}
    assert one(
        "last_name", "", empty_rule=EmptyRule.REQUIRED, on_error=OnError.DEFAULT, default="Unknown"
    ).values == {"last_name": "Unknown"}


def test_an_invalid_default_value_is_refused_when_the_job_starts():
    with pytest.raises(UserError, match="default value 'soon' of column 'Col' cannot be used for Birth date"):
        one("birth_date", "x", on_error=OnError.DEFAULT, default="soon")


def test_every_failing_field_is_listed_and_the_message_counts_the_others():
    conv = converter(["Email", "Nom", "Sexe"])
    row = conv.convert(["nope", "x" * 60, "Z"])
    assert row.rejected and row.reason_code == "invalid_email"
    assert row.message == "Invalid email 'nope' (and 2 more errors on this line)"
    assert [e.field for e in row.field_errors] == ["email", "last_name", "gender"]


# --- Sources and column formats ------------------------------------------------------------------


def test_a_mapping_may_name_a_column_by_position():
    conv = converter(["a", "b"], {"#2": "email", "#1": "last_name"})
    assert conv.convert(["Dupont", "a@example.com"]).values == {
        "email": "a@example.com",
        "last_name": "Dupont",
    }
    assert conv.destinations == ["email", "last_name"]
    assert conv.source_columns == [1, 0]


def test_column_formats_come_from_the_file_format_by_name_or_are_given_in_order():
    settings = ImportSettings(file_format=FileFormat(columns=[ColumnFormat(name="Nom", length=5)]))
    assert RowConverter(["Nom"], settings).convert(["Dupontel"]).reason_code == "too_long"
    conv = RowConverter(["Nom"], settings, column_formats=[ColumnFormat(name="whatever")])
    assert conv.convert(["Dupontel"]).values == {"last_name": "Dupontel"}


def test_a_templates_formats_follow_their_columns_when_next_months_file_reorders_them():
    formats = [ColumnFormat(name="Date de naissance", date_format="MM/DD/YYYY"), ColumnFormat(name="Nom")]
    conv = RowConverter(["Nom", "Email", "Date de naissance"], ImportSettings(), column_formats=formats)
    row = conv.convert(["Dupont", "a@example.com", "12/31/1980"])
    assert row.values == {"last_name": "Dupont", "email": "a@example.com", "birth_date": date(1980, 12, 31)}


def test_the_mapped_sources_are_the_columns_even_when_mapped_by_position():
    conv = converter(["Email", "Notes"], [FieldMapping("#1", "email")])
    assert conv.mapped_sources == ["Email"]
    assert [c for c in conv.columns if c not in conv.mapped_sources] == ["Notes"]


def test_a_short_line_reads_its_missing_values_as_empty():
    conv = converter(["Email", "Nom", "Ville"])
    assert conv.convert(["a@example.com"]).values == {
        "email": "a@example.com",
        "last_name": None,
        "city": None,
    }
    assert conv.convert(["a@example.com", "D", "P", "extra"]).values == {
        "email": "a@example.com",
        "last_name": "D",
        "city": "P",
    }


def test_values_that_are_not_text_are_read_as_text():
    conv = converter(["Email", "Compte", "Date de naissance"])
    row = conv.convert(["a@example.com", 123.0, date(1980, 1, 2)])  # type: ignore[list-item]
    assert row.values == {"email": "a@example.com", "account": "123", "birth_date": date(1980, 1, 2)}
    assert conv.convert([None, None, None]).values == {  # type: ignore[list-item]
        "email": None,
        "account": None,
        "birth_date": None,
    }


def test_an_ignored_column_is_not_guessed():
    conv = converter(["Email", "Nom"], formats=[ColumnFormat(name="Nom", ignore=True)])
    assert conv.destinations == ["email"]


def test_without_a_mapping_and_without_guessing_nothing_is_produced():
    conv = RowConverter(["Email"], ImportSettings(guess_mapping=False))
    assert conv.destinations == [] and conv.convert(["a@example.com"]).values == {}


# --- Mistakes in the mapping are refused before the first line -----------------------------------


def test_a_source_that_is_not_a_column_is_refused_listing_the_columns():
    with pytest.raises(UserError) as err:
        converter(["Email", "Nom"], {"Mail": "email"})
    assert str(err.value) == 'Column "Mail" is not in the file; its columns are: "Email", "Nom"'


def test_a_column_number_beyond_the_file_is_refused():
    with pytest.raises(UserError, match="Column #3 is not in the file, which has 2 columns"):
        converter(["a", "b"], {"#3": "email"})


def test_a_destination_that_is_not_an_importable_field_is_refused():
    with pytest.raises(UserError, match="'favourite_colour' is not a recipient field"):
        converter(["a"], {"a": "favourite_colour"})
    with pytest.raises(UserError, match="Creation date cannot be imported"):
        converter(["a"], {"a": "created"})
    with pytest.raises(UserError, match="Primary key cannot be imported"):
        converter(["a"], {"a": "id"})


def test_two_sources_for_one_field_are_refused():
    with pytest.raises(UserError, match="Two sources are mapped to Email: 'a' and 'b'"):
        converter(["a", "b"], {"a": "email", "b": "email"})


def test_a_mapped_column_that_the_file_format_ignores_is_refused():
    with pytest.raises(UserError, match="is mapped to Email but is set to be ignored"):
        converter(["a"], {"a": "email"}, formats=[ColumnFormat(name="a", ignore=True)])


def test_a_bad_date_format_is_refused():
    with pytest.raises(UserError, match="date format"):
        one("birth_date", "x", date_format="birthday")


def test_destinations_may_be_written_as_xpath_or_label():
    conv = converter(["a", "b"], [FieldMapping("a", "@lastName"), FieldMapping("b", "First name")])
    assert conv.destinations == ["last_name", "first_name"]
