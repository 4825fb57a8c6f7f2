"""The preview on the File to import page: first records, column types, what will not convert."""

from __future__ import annotations

from pathlib import Path

from campaign_desktop.domain.recipient_fields import FieldType
from campaign_desktop.domain.template import FileFormat
from campaign_desktop.files import detect_column_formats, preview
from campaign_desktop.files.column_types import guess_type
from tests.support.nasty_files import write_recipients_csv


def test_the_preview_shows_200_records_and_profiles_recipient_columns(tmp_path: Path) -> None:
    path = write_recipients_csv(tmp_path / "recipients.csv", 5_000)
    result = preview(path)
    assert len(result.rows) == 200
    assert result.columns[0] == "email"
    types = {p.name: p.detected_type for p in result.profiles}
    assert types == {
        "email": FieldType.TEXT, "first_name": FieldType.TEXT, "last_name": FieldType.TEXT,
        "birth_date": FieldType.DATE, "gender": FieldType.INTEGER, "account": FieldType.TEXT,
        "city": FieldType.TEXT, "phone": FieldType.TEXT,
    }
    birth = result.profiles[3]
    assert birth.date_format == "DD/MM/YYYY"
    assert birth.invalid == 0 and birth.empty_ratio == 0.0
    assert len(birth.samples) == 5 and birth.distinct > 100
    assert result.line_count_estimate is not None
    assert abs(result.line_count_estimate - 5_000) < 250


def test_impossible_birth_dates_are_counted_before_the_import(data: Path) -> None:
    result = preview(data / "impossible_dates.csv")
    birth = result.profiles[1]
    assert birth.detected_type is FieldType.DATE
    assert birth.date_format == "DD/MM/YYYY"
    assert birth.invalid == 3
    assert birth.invalid_examples == ["31/02/2024", "29/02/2023", "31/04/1990"]
    assert result.line_count_estimate == 10


def test_decimal_commas_are_seen_as_decimals(data: Path) -> None:
    result = preview(data / "decimal_commas.csv")
    amount = result.profiles[1]
    assert (amount.detected_type, amount.decimal_separator) == (FieldType.DECIMAL, ",")
    assert result.profiles[2].detected_type is FieldType.INTEGER


def test_the_preview_limit_is_respected_and_counts_are_estimated(tmp_path: Path) -> None:
    path = write_recipients_csv(tmp_path / "recipients.csv", 1_000)
    result = preview(path, limit=10)
    assert len(result.rows) == 10
    assert result.line_count_estimate is not None and 900 < result.line_count_estimate < 1_100


def test_preview_uses_the_given_format(data: Path) -> None:
    result = preview(data / "pipe_no_header.txt", FileFormat(header=False, separator="|"))
    assert result.file_format.separator == "|"
    assert result.profiles[2].date_format == "YYYY-MM-DD"


def test_empty_values_are_measured(tmp_path: Path) -> None:
    path = tmp_path / "sparse.csv"
    path.write_text("email,phone\na@x.fr,\nb@x.fr,0612345678\nc@x.fr,\nd@x.fr,\n", encoding="utf-8")
    phone = preview(path).profiles[1]
    assert phone.empty_ratio == 0.75
    assert phone.detected_type is FieldType.TEXT  # a leading zero is never an integer


def test_the_engine_gets_column_formats_for_a_template_without_any(tmp_path: Path) -> None:
    path = write_recipients_csv(tmp_path / "recipients.csv", 2_000)
    formats = detect_column_formats(path)
    assert [f.name for f in formats] == ["email", "first_name", "last_name", "birth_date", "gender",
                                         "account", "city", "phone"]
    birth = formats[3]
    assert (birth.label, birth.type, birth.date_format) == ("birth_date", FieldType.DATE, "DD/MM/YYYY")
    assert formats[4].type is FieldType.INTEGER


def test_type_guesses_stay_cautious() -> None:
    assert guess_type(["true", "false", "TRUE"]).type is FieldType.BOOLEAN
    assert guess_type(["oui", "non"]).type is FieldType.BOOLEAN
    assert guess_type(["0", "1", "1"]).type is FieldType.INTEGER
    assert guess_type(["75001", "01000"]).type is FieldType.TEXT  # zip codes keep their zeros
    assert guess_type(["+33612345678", "+33698765432"]).type is FieldType.TEXT
    assert guess_type(["1.5", "2", "3.25"]).type is FieldType.DECIMAL
    assert guess_type(["12", "7", "oops", "3", "4", "5"]).invalid_examples == ["oops"]
    assert guess_type(["2024-03-04 10:00:00", "2024-03-05 11:00:00"]).type is FieldType.DATETIME
    assert guess_type(["Paris", "12"]).type is FieldType.TEXT
    assert guess_type([]).type is FieldType.TEXT
