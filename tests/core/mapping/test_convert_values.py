"""Each recipient field receives a value of its own type, or the line is rejected with a clear sentence."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from campaign_desktop.domain.recipient_fields import FieldType
from campaign_desktop.domain.template import Transform
from campaign_desktop.mapping import normalize_email

from .builders import converter, one, value_of

TYPICAL = ["Email", "Prénom", "Nom", "Date de naissance", "Sexe", "Compte", "Ville", "Téléphone"]


def test_a_typical_french_recipient_line_becomes_typed_values():
    conv = converter(TYPICAL)
    row = conv.convert(
        [
            " Jean.Dupont@Example.COM ",
            "Jean-Pierre",
            "Dupont",
            "31/12/1980",
            "Homme",
            "000123",
            "Paris",
            "+33 6 12 34 56 78",
        ]
    )
    assert not row.rejected
    assert row.values == {
        "email": "Jean.Dupont@example.com",
        "first_name": "Jean-Pierre",
        "last_name": "Dupont",
        "birth_date": date(1980, 12, 31),
        "gender": 1,
        "account": "000123",
        "city": "Paris",
        "phone": "+33 6 12 34 56 78",
    }
    assert conv.destinations == [
        "email",
        "first_name",
        "last_name",
        "birth_date",
        "gender",
        "account",
        "city",
        "phone",
    ]


def test_an_impossible_date_rejects_the_line_naming_the_field_and_the_expected_format():
    row = one("birth_date", "31/02/2024", date_format="DD/MM/YYYY")
    assert row.rejected and row.reason_code == "invalid_date"
    assert row.message == "Impossible date '31/02/2024' in Birth date (expected DD/MM/YYYY)"
    assert [(e.field, e.value) for e in row.field_errors] == [("birth_date", "31/02/2024")]


def test_a_date_that_is_not_a_date_says_invalid():
    assert (
        one("birth_date", "next week", date_format="DD/MM/YYYY").message
        == "Invalid date 'next week' in Birth date (expected DD/MM/YYYY)"
    )


def test_dates_without_a_format_are_detected_iso_first():
    assert value_of("birth_date", "1980-12-31") == date(1980, 12, 31)
    assert value_of("birth_date", "31/12/1980") == date(1980, 12, 31)
    assert value_of("birth_date", "1980/12/31") == date(1980, 12, 31)
    assert one("birth_date", "12/31/1980").reason_code == "invalid_date"


def test_the_same_date_twice_is_the_same_value():
    conv = converter(["D"], {"D": "birth_date"})
    assert (
        conv.convert(["02/03/1999"]).values
        == conv.convert(["02/03/1999"]).values
        == {"birth_date": date(1999, 3, 2)}
    )


def test_whole_numbers_accept_signs_thousands_spaces_and_a_zero_fraction():
    assert value_of("status", "42") == 42
    assert value_of("status", "-3") == -3
    assert value_of("status", "1 234") == 1234
    assert value_of("status", "1\u00a0234") == 1234
    assert value_of("status", "3.0") == 3
    assert value_of("status", "3,00", decimal_separator=",") == 3


def test_a_number_that_is_not_whole_is_rejected():
    for text in ("3.5", "abc", "12 34", "1e3", "٣"):
        row = one("status", text)
        assert row.rejected and row.reason_code == "invalid_number", text
    assert one("status", "abc").message == "Invalid number 'abc' in Status (expected a whole number)"
    assert one("status", "9" * 30).reason_code == "invalid_number"


def test_an_empty_number_is_empty_unless_the_column_says_it_is_numeric():
    assert value_of("status", "") is None
    row = one("status", "", type=FieldType.INTEGER)
    assert row.rejected and row.reason_code == "required_empty"
    assert "Status is empty" in row.message


def test_booleans_in_english_french_and_ticks():
    for text in ("1", "true", "YES", "y", "oui", "x", "X", "Vrai"):
        assert value_of("blacklist_email", text) is True, text
    for text in ("0", "false", "No", "n", "non", "faux"):
        assert value_of("blacklist_email", text) is False, text
    assert value_of("blacklist_email", "") is None  # an empty cell never clears an opt-out by itself
    row = one("blacklist_email", "maybe")
    assert row.rejected and row.reason_code == "enum_error" and "maybe" in row.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", 0),
        ("1", 1),
        ("2", 2),
        ("M", 1),
        ("m", 1),
        ("Male", 1),
        ("Homme", 1),
        ("H", 1),
        ("Mr", 1),
        ("F", 2),
        ("Female", 2),
        ("FEMME", 2),
        ("Mme", 2),
        ("Mrs", 2),
        ("Not specified", 0),
        ("inconnu", 0),
    ],
)
def test_gender_accepts_codes_and_labels_in_english_and_french(text: str, expected: int):
    assert value_of("gender", text) == expected


def test_an_unknown_gender_is_an_enumeration_error():
    row = one("gender", "Z")
    assert row.rejected and row.reason_code == "enum_error"
    assert row.message.startswith("Unknown value 'Z' for Gender")


def test_email_format_accepts_codes_and_words():
    assert [value_of("email_format", t) for t in ("0", "1", "2", "text", "HTML", "Texte")] == [
        0,
        1,
        2,
        1,
        2,
        1,
    ]
    assert one("email_format", "pdf").reason_code == "enum_error"


def test_decimals_follow_the_columns_separator():
    # The recipient schema has no decimal field: a column declared decimal is checked with its own
    # separator, and its text is kept.
    assert value_of("comment", "1 234,56", type=FieldType.DECIMAL, decimal_separator=",") == "1 234,56"
    row = one("comment", "1.234,56", type=FieldType.DECIMAL, decimal_separator=",")
    assert (
        row.rejected
        and row.message == "Invalid number '1.234,56' in Comment (expected a number like 1234,56)"
    )
    from campaign_desktop.mapping.values import make_decimal_parser

    assert make_decimal_parser("Amount", ",")("1 234,56") == 1234.56
    assert make_decimal_parser("Amount", ".")("-0.5") == -0.5
    assert make_decimal_parser("Amount", ".")("12") == 12.0
    assert make_decimal_parser("Amount", ".")("nan").__class__.__name__ == "Bad"
    assert make_decimal_parser("Amount", ".")("9" * 400).__class__.__name__ == "Bad"


def test_a_columns_own_type_is_checked_even_into_a_text_field():
    assert value_of("account", "000123", type=FieldType.INTEGER) == "000123"
    assert one("account", "A123", type=FieldType.INTEGER).reason_code == "invalid_number"
    assert value_of("comment", "05/03/2024", type=FieldType.DATE, date_format="DD/MM/YYYY") == "05/03/2024"
    assert (
        one("comment", "31/02/2024", type=FieldType.DATE, date_format="DD/MM/YYYY").reason_code
        == "invalid_date"
    )
    assert one("comment", "perhaps", type=FieldType.BOOLEAN).reason_code == "enum_error"


@pytest.mark.parametrize(
    "email",
    [
        "jean.dupont@example.com",
        "jean+promo@example.co.uk",
        "o'neil@example.ie",
        "élodie@exemple.fr",
        "user@bücher.de",
        "user@例え.jp",
        "a@b.io",
        "user@xn--p1ai.xn--p1ai",
        "first.m.last@sub-domain.example.org",
    ],
)
def test_valid_emails_are_kept(email: str):
    assert normalize_email(email) == (email, "")
    assert value_of("email", email) == email


@pytest.mark.parametrize(
    "email",
    [
        "jean.dupont@",
        "@example.com",
        "jean dupont@example.com",
        "jean@@example.com",
        "jean@example",
        "jean..dupont@example.com",
        ".jean@example.com",
        "jean.@example.com",
        "jean@example..com",
        "jean@example.c",
        "jean@-example.com",
        "jean@example.com;marie@example.com",
        "Jean <jean@example.com>",
        "jean@exa_mple.com",
        "jean@example.123",
    ],
)
def test_invalid_emails_reject_the_line(email: str):
    row = one("email", email)
    assert row.rejected and row.reason_code == "invalid_email"
    assert row.message == f"Invalid email '{email}'"
    assert normalize_email(email) == (None, f"Invalid email '{email}'")


def test_the_email_domain_is_lower_cased_but_not_the_local_part_unless_asked():
    assert value_of("email", "  Jean.Dupont@EXAMPLE.Com ") == "Jean.Dupont@example.com"
    assert normalize_email(" Jean@EXAMPLE.com") == ("Jean@example.com", "")
    assert (
        value_of("email", "Jean.Dupont@EXAMPLE.Com", transform=Transform.LOWER) == "jean.dupont@example.com"
    )


def test_a_pathological_email_is_checked_quickly():
    import time

    t0 = time.perf_counter()
    for text in ("a" * 5000 + "@", "a@" + "b." * 3000 + "1", "a@" + "b-" * 3000):
        assert one("email", text).reason_code in ("invalid_email", "too_long")
    assert time.perf_counter() - t0 < 1


def test_phones_are_kept_as_typed():
    assert value_of("mobile_phone", "  +33 (0)6 12-34-56-78 ") == "+33 (0)6 12-34-56-78"
    assert value_of("phone", "0612345678") == "0612345678"  # never a number: the leading zero stays


def test_country_codes_are_two_letters_upper_cased():
    assert value_of("country_code", "fr") == "FR"
    row = one("country_code", "FRA")
    assert row.rejected and row.reason_code == "enum_error"
    assert "expected 2 letters" in row.message


@pytest.mark.parametrize(
    ("text", "transform", "expected"),
    [
        ("jean-pierre", Transform.TITLE, "Jean-Pierre"),
        ("o'neil", Transform.TITLE, "O'Neil"),
        ("MARIE DE LA TOUR", Transform.TITLE, "Marie De La Tour"),
        ("3rd street", Transform.TITLE, "3rd Street"),
        ("dupont", Transform.UPPER, "DUPONT"),
        ("DUPONT", Transform.LOWER, "dupont"),
        ("Dupont", Transform.NONE, "Dupont"),
    ],
)
def test_case_transformations(text: str, transform: Transform, expected: str):
    assert value_of("last_name", text, transform=transform) == expected


def test_the_mappings_transformation_applies_after_the_columns():
    from campaign_desktop.domain.template import ColumnFormat, FieldMapping

    conv = converter(
        ["Nom"],
        [FieldMapping("Nom", "last_name", Transform.TITLE)],
        formats=[ColumnFormat(name="Nom", transform=Transform.UPPER)],
    )
    assert conv.convert(["dupont"]).values == {"last_name": "Dupont"}


def test_a_value_longer_than_the_field_is_rejected_with_its_length():
    row = one("last_name", "x" * 63)
    assert row.rejected and row.reason_code == "too_long"
    assert row.message == "Value too long for Last name: 63 characters, at most 50"
    assert value_of("last_name", "x" * 50) == "x" * 50
    assert (
        one("last_name", "x" * 11, length=10).message
        == "Value too long for Last name: 11 characters, at most 10"
    )


def test_datetime_values():
    from campaign_desktop.mapping.values import make_date_parser

    parse = make_date_parser("Last purchase", "", with_time=True)
    assert parse("2024-03-05 10:11:12") == datetime(2024, 3, 5, 10, 11, 12)
    assert parse("2024-03-05") == datetime(2024, 3, 5)
    parse_date = make_date_parser("Day", "DD/MM/YYYY hh:mm", with_time=False)
    assert parse_date("05/03/2024 10:11") == date(2024, 3, 5)
