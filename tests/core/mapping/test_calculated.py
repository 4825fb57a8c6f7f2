"""Calculated fields: virtual columns computed from the line, mapped like real ones."""

from __future__ import annotations

from datetime import date

import pytest

from campaign_desktop.domain.errors import UserError
from campaign_desktop.domain.template import CalculatedField, CalculatedKind, OtherCases
from campaign_desktop.mapping import ExpressionError

from .builders import converter

COLUMNS = ["First name", "Last name", "Status code", "Born"]
LINE = ["Jean", "Dupont", "1", "1980-12-31"]


def calc(name: str, kind: CalculatedKind, body: str = "", **kw: object) -> CalculatedField:
    return CalculatedField(name=name, label=name.title(), kind=kind, body=body, **kw)  # type: ignore[arg-type]


def test_a_calculated_field_concatenates_first_and_last_name():
    full = calc("full", CalculatedKind.TEMPLATE, "{First name} {Last name}")
    conv = converter(COLUMNS, {"full": "comment"}, calculated=[full])
    assert conv.convert(LINE).values == {"comment": "Jean Dupont"}
    assert conv.calculated_destinations == {"comment"} and conv.source_columns == [None]


def test_a_template_trims_its_columns_and_escapes_doubled_braces():
    tpl = calc("t", CalculatedKind.TEMPLATE, "{{{Last name}}} ({ #3 })")
    conv = converter(COLUMNS, {"t": "comment"}, calculated=[tpl])
    assert conv.convert([" Jean ", " Dupont ", "1", ""]).values == {"comment": "{Dupont} (1)"}


def test_a_template_with_an_unknown_column_or_an_open_brace_is_refused():
    with pytest.raises(UserError, match="refers to column 'Surname', which is not in the file"):
        converter(COLUMNS, {"t": "comment"}, calculated=[calc("t", CalculatedKind.TEMPLATE, "{Surname}")])
    with pytest.raises(UserError, match="never closed"):
        converter(COLUMNS, {"t": "comment"}, calculated=[calc("t", CalculatedKind.TEMPLATE, "{Last name")])
    with pytest.raises(UserError, match="with no '\\{' before it"):
        converter(COLUMNS, {"t": "comment"}, calculated=[calc("t", CalculatedKind.TEMPLATE, "a } b")])


def test_a_fixed_string_marks_every_line():
    origin = calc("src", CalculatedKind.FIXED, "Salon 2024")
    optout = calc("optout", CalculatedKind.FIXED, "yes")
    conv = converter(
        COLUMNS,
        {"src": "origin", "optout": "blacklist_email", "Last name": "last_name"},
        calculated=[origin, optout],
    )
    assert conv.convert(LINE).values == {
        "origin": "Salon 2024",
        "blacklist_email": True,
        "last_name": "Dupont",
    }


def test_a_fixed_value_that_cannot_fit_its_field_is_refused_up_front():
    with pytest.raises(
        UserError, match="fixed value 'soon' of calculated field 'When' cannot be used for Birth"
    ):
        converter(COLUMNS, {"when": "birth_date"}, calculated=[calc("when", CalculatedKind.FIXED, "soon")])


def test_an_expression_computes_a_value_converted_to_the_fields_type():
    c = calc("c", CalculatedKind.EXPRESSION, "upper(left([First name], 1)) & '. ' & [Last name]")
    y = calc("y", CalculatedKind.EXPRESSION, "if(year(Born) < 2000, 'Gen X/Y', 'Gen Z')")
    s = calc("s", CalculatedKind.EXPRESSION, "[Status code] * 2 + 1")
    conv = converter(COLUMNS, {"c": "comment", "y": "company", "s": "status"}, calculated=[c, y, s])
    assert conv.convert(LINE).values == {"comment": "J. Dupont", "company": "Gen X/Y", "status": 3}


def test_an_expression_that_fails_on_a_line_rejects_it_with_calc_error():
    d = calc("ratio", CalculatedKind.EXPRESSION, "10 / [Status code]")
    conv = converter(COLUMNS, {"ratio": "status"}, calculated=[d])
    assert conv.convert(["a", "b", "2", ""]).values == {"status": 5}
    row = conv.convert(["a", "b", "0", ""])
    assert row.rejected and row.reason_code == "calc_error"
    assert row.message == "The calculated field 'Ratio' could not be computed: division by zero"
    assert row.field_errors[0].value == "Status code='0'"


def test_an_expression_that_does_not_parse_is_refused_with_its_position():
    with pytest.raises(ExpressionError, match="does not parse: expected a value at position 4"):
        converter(COLUMNS, {"x": "comment"}, calculated=[calc("x", CalculatedKind.EXPRESSION, "1 +")])
    with pytest.raises(UserError, match="unknown column 'Surname'"):
        converter(COLUMNS, {"x": "comment"}, calculated=[calc("x", CalculatedKind.EXPRESSION, "[Surname]")])


def test_an_enumeration_translates_values_and_keeps_the_others_by_default():
    e = calc(
        "st",
        CalculatedKind.ENUMERATION,
        source="Status code",
        values={"0": "not registered", "1": "registered"},
    )
    conv = converter(COLUMNS, {"st": "comment"}, calculated=[e])
    assert conv.convert(LINE).values == {"comment": "registered"}
    assert conv.convert(["a", "b", "7", ""]).values == {"comment": "7"}
    assert conv.convert(["a", "b", "", ""]).values == {"comment": None}


def test_an_enumeration_can_use_a_fixed_value_for_the_other_cases():
    e = calc(
        "st",
        CalculatedKind.ENUMERATION,
        source="Status code",
        values={"1": "registered"},
        other_cases=OtherCases.VALUE,
        other_value="unknown",
    )
    conv = converter(COLUMNS, {"st": "comment"}, calculated=[e])
    assert conv.convert(["a", "b", "9", ""]).values == {"comment": "unknown"}


def test_an_enumeration_can_warn_about_the_other_cases_and_keep_them():
    e = calc(
        "st",
        CalculatedKind.ENUMERATION,
        source="Status code",
        values={"1": "registered"},
        other_cases=OtherCases.WARNING,
    )
    conv = converter(COLUMNS, {"st": "comment"}, calculated=[e])
    row = conv.convert(["a", "b", "9", ""])
    assert not row.rejected and row.values == {"comment": "9"}
    assert [(w.field, w.value) for w in row.warnings] == [("comment", "9")]
    assert "not in the list of the calculated field 'St'" in row.warnings[0].message
    assert conv.convert(LINE).warnings == []  # the next line starts clean


def test_an_enumeration_can_reject_the_other_cases():
    e = calc(
        "g",
        CalculatedKind.ENUMERATION,
        source="Status code",
        values={"1": "M", "2": "F"},
        other_cases=OtherCases.ERROR,
    )
    conv = converter(COLUMNS, {"g": "gender"}, calculated=[e])
    assert conv.convert(LINE).values == {"gender": 1}
    row = conv.convert(["a", "b", "3", ""])
    assert row.rejected and row.reason_code == "enum_error"
    assert row.message == "Value '3' of column Status code is not in the list of the calculated field 'G'"


def test_an_enumeration_needs_an_existing_source_column():
    with pytest.raises(UserError, match="reads column 'Statut', which is not in the file"):
        converter(
            COLUMNS,
            {"e": "comment"},
            calculated=[calc("e", CalculatedKind.ENUMERATION, source="Statut", values={"1": "x"})],
        )


def test_a_calculated_field_is_found_by_name_or_label_and_a_real_column_wins():
    born = CalculatedField(
        name="born_calc", label="Birth (calculated)", kind=CalculatedKind.EXPRESSION, body="Born"
    )
    for source in ("born_calc", "Birth (calculated)", "BORN_CALC"):
        conv = converter(COLUMNS, {source: "birth_date"}, calculated=[born])
        assert conv.convert(LINE).values == {"birth_date": date(1980, 12, 31)}
    shadow = CalculatedField(name="Last name", kind=CalculatedKind.FIXED, body="never used")
    conv = converter(COLUMNS, {"Last name": "last_name"}, calculated=[shadow])
    assert conv.convert(LINE).values == {"last_name": "Dupont"}


def test_in_an_expression_column_names_ignore_case_like_everywhere_else():
    e = calc("e", CalculatedKind.EXPRESSION, "upper([last NAME])")
    conv = converter(COLUMNS, {"e": "comment"}, calculated=[e])
    assert conv.convert(LINE).values == {"comment": "DUPONT"}
