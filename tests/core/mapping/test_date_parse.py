"""Date formats of the File format dialog: DD/MM/YYYY and friends."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from campaign_desktop.mapping.date_parse import auto_date_parser, auto_datetime_parser, compile_date_format


def test_the_french_format_reads_day_month_year():
    parse = compile_date_format("DD/MM/YYYY")
    assert parse("31/12/1980") == date(1980, 12, 31)
    assert parse("1/2/2024") == date(2024, 2, 1)


def test_an_impossible_or_malformed_date_gives_none_without_raising():
    parse = compile_date_format("DD/MM/YYYY")
    for text in ("31/02/2024", "00/01/2024", "12/13/2024", "2024-01-01", "soon", "", "31/12/1980 "):
        assert parse(text) is None, text


def test_formats_may_be_typed_in_lower_case_as_in_campaigns_examples():
    assert compile_date_format("dd/mm/yyyy")("05/04/2021") == date(2021, 4, 5)
    assert compile_date_format("mm/dd/yy")("04/05/21") == date(2021, 4, 5)


def test_two_digit_years_pivot_like_posix():
    parse = compile_date_format("DD/MM/YY")
    assert parse("01/01/68") == date(2068, 1, 1)
    assert parse("01/01/69") == date(1969, 1, 1)


def test_time_tokens_give_a_datetime_and_mm_after_hh_is_minutes():
    parse = compile_date_format("YYYY-MM-DD hh:mm:ss")
    assert parse("2024-03-05 14:07:09") == datetime(2024, 3, 5, 14, 7, 9)
    assert compile_date_format("DD.MM.YYYY HH:MM")("05.03.2024 14:07") == datetime(2024, 3, 5, 14, 7)


def test_compact_formats_without_separators():
    assert compile_date_format("YYYYMMDD")("20240305") == date(2024, 3, 5)
    assert compile_date_format("YYYYMMDD")("2024035") is None


def test_a_format_without_tokens_or_with_a_repeated_token_is_refused():
    with pytest.raises(ValueError):
        compile_date_format("birthday")
    with pytest.raises(ValueError):
        compile_date_format("DD/DD/YYYY")


def test_detection_tries_iso_then_day_first_then_year_first():
    parse = auto_date_parser()
    assert parse("1980-12-31") == date(1980, 12, 31)
    assert parse("31/12/1980") == date(1980, 12, 31)
    assert parse("1980/12/31") == date(1980, 12, 31)
    assert parse("12/31/1980") is None  # month-first is never guessed


def test_detected_datetimes_accept_iso_with_offsets_stored_as_utc():
    parse = auto_datetime_parser()
    assert parse("2024-03-05T14:07:09") == datetime(2024, 3, 5, 14, 7, 9)
    assert parse("2024-03-05T14:07:09+02:00") == datetime(2024, 3, 5, 12, 7, 9)
    assert parse("2024-03-05 14:07:09Z") == datetime(2024, 3, 5, 14, 7, 9)
    assert parse("05/03/2024 14:07") == datetime(2024, 3, 5, 14, 7)
    assert parse("2024-03-05") == date(2024, 3, 5)
