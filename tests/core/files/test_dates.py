"""The date-format language marketers type (DD/MM/YYYY) and the guess of a column's format."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from campaign_desktop.files.dates import compile_date_format, detect_date_format, expand_two_digit_year


@pytest.mark.parametrize(("fmt", "value", "expected"), [
    ("DD/MM/YYYY", "31/12/1985", date(1985, 12, 31)),
    ("DD/MM/YYYY", "3/4/2024", date(2024, 4, 3)),
    ("MM/DD/YYYY", "12/31/1985", date(1985, 12, 31)),
    ("YYYY-MM-DD", "2024-02-29", date(2024, 2, 29)),
    ("YYYY-MM-DD", " 2024-02-29 ", date(2024, 2, 29)),
    ("DD.MM.YYYY", "01.02.2001", date(2001, 2, 1)),
    ("YYYYMMDD", "20240304", date(2024, 3, 4)),
    ("YYYY/MM/DD hh:mm:ss", "1998/05/23 18:30:45", datetime(1998, 5, 23, 18, 30, 45)),
    ("YYYY-MM-DDThh:mm:ss", "2024-03-01T09:30:15.25", datetime(2024, 3, 1, 9, 30, 15, 250000)),
    ("DD/MM/YYYY hh:mm", "01/02/2024 7:05", datetime(2024, 2, 1, 7, 5)),
])
def test_values_in_the_format_parse(fmt: str, value: str, expected: date) -> None:
    assert compile_date_format(fmt)(value) == expected


@pytest.mark.parametrize(("fmt", "value"), [
    ("DD/MM/YYYY", "31/02/2024"),  # impossible day
    ("DD/MM/YYYY", "29/02/2023"),  # not a leap year
    ("DD/MM/YYYY", "15/13/2020"),
    ("DD/MM/YYYY", "2024-02-01"),  # another format
    ("DD/MM/YYYY", ""),
    ("DD/MM/YYYY", "31/12/1985 10:00"),
    ("YYYY-MM-DD", "2024-02-30"),
    ("YYYY-MM-DD", "20240201"),
    ("YYYY-MM-DD hh:mm:ss", "2024-02-01 25:00:00"),
])
def test_impossible_or_foreign_values_give_none(fmt: str, value: str) -> None:
    assert compile_date_format(fmt)(value) is None


def test_two_digit_years_are_placed_in_the_right_century() -> None:
    today = date(2025, 6, 1)
    assert expand_two_digit_year(85, today) == 1985
    assert expand_two_digit_year(5, today) == 2005
    assert expand_two_digit_year(35, today) == 2035
    assert expand_two_digit_year(36, today) == 1936
    parse = compile_date_format("DD/MM/YY")
    assert parse("31/12/85") == date(1985, 12, 31)


@pytest.mark.parametrize("fmt", ["DD/MM", "MM/YYYY", "DD/DD/YYYY", "hello"])
def test_formats_without_day_month_and_year_are_refused(fmt: str) -> None:
    with pytest.raises(ValueError):
        compile_date_format(fmt)


def test_a_european_column_is_proven_by_its_days_over_12() -> None:
    values = ["03/04/2024"] * 812 + ["25/12/2023"] * 37
    fmt, ambiguity = detect_date_format(values)
    assert fmt == "DD/MM/YYYY"
    assert ambiguity == "03/04/2024: 812 rows ambiguous, 37 prove DD/MM"


def test_an_american_column_is_proven_by_its_second_part_over_12() -> None:
    fmt, ambiguity = detect_date_format(["12/25/2023", "01/31/2024", "07/04/2024"])
    assert fmt == "MM/DD/YYYY"
    assert ambiguity.endswith("prove MM/DD")


def test_when_nothing_proves_the_order_dd_mm_is_assumed_and_said() -> None:
    fmt, ambiguity = detect_date_format(["03/04/2024", "05/06/2024", "01/01/2024"])
    assert fmt == "DD/MM/YYYY"
    assert "none proves the day/month order" in ambiguity


def test_a_column_without_ambiguous_value_has_no_ambiguity_message() -> None:
    assert detect_date_format(["13/04/2024", "25/06/2024", "01/01/2024"]) == ("DD/MM/YYYY", "")


def test_contradicting_proofs_are_both_reported() -> None:
    fmt, ambiguity = detect_date_format(["25/12/2023", "26/12/2023", "12/31/2023", "03/04/2024"])
    assert fmt == "DD/MM/YYYY"
    assert "2 prove DD/MM, 1 prove MM/DD" in ambiguity


@pytest.mark.parametrize(("values", "expected"), [
    (["2024-03-04", "1985-12-31"], "YYYY-MM-DD"),
    (["2024/03/04 10:20:30", "1985/12/31 00:00:00"], "YYYY/MM/DD hh:mm:ss"),
    (["2024-03-04T10:20:30"], "YYYY-MM-DDThh:mm:ss"),
    (["31.12.1985", "01.02.2001"], "DD.MM.YYYY"),
    (["31-12-85", "01-02-01"], "DD-MM-YY"),
    (["20240304", "19851231"], "YYYYMMDD"),
    (["14/03/2024 09:05", "15/03/2024 18:00"], "DD/MM/YYYY hh:mm"),
])
def test_common_formats_are_detected(values: list[str], expected: str) -> None:
    assert detect_date_format(values)[0] == expected


def test_a_column_of_non_dates_has_no_format() -> None:
    assert detect_date_format(["Paris", "Lyon", "12", ""]) == ("", "")
    assert detect_date_format([]) == ("", "")


def test_a_detected_format_parses_what_it_detected() -> None:
    values = ["31/12/1985", "1/2/2001", "15/07/1972"]
    fmt, _ = detect_date_format(values)
    parse = compile_date_format(fmt)
    assert [parse(v) for v in values] == [date(1985, 12, 31), date(2001, 2, 1), date(1972, 7, 15)]
