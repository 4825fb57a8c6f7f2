"""Each filter operator, as a marketer would build it, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from campaign_desktop.domain.errors import UserError
from campaign_desktop.domain.template import Condition
from campaign_desktop.export.conditions import compile_condition, describe_condition
from tests.core.export.support import emails_matching, seed


def C(op: str, field: str = "", value: object = None) -> Condition:  # noqa: N802 - reads like the builder
    return Condition(op=op, field=field, value=value)


CASES = [
    (C("equals", "city", "Paris"), ["ann@x.com", "dee@x.com"]),
    (C("not_equals", "city", "Paris"), ["bob@x.com", "cy@x.com", "eve@x.com"]),  # no city counts as "not Paris"
    (C("contains", "last_name", "MART"), ["ann@x.com", "cy@x.com"]),  # case-insensitive on both databases
    (C("contains", "comment", "%"), []),  # a LIKE wildcard is just a character
    (C("starts_with", "last_name", "o'"), ["dee@x.com"]),
    (C("in", "city", ["Lyon", "Nice"]), ["bob@x.com", "eve@x.com"]),
    (C("in", "gender", "Male, 0"), ["bob@x.com", "cy@x.com"]),  # enumeration labels or values
    (C("equals", "gender", "Female"), ["ann@x.com", "dee@x.com", "eve@x.com"]),
    (C("is_empty", "city"), ["cy@x.com"]),
    (C("is_empty", "birth_date"), ["dee@x.com"]),
    (C("is_not_empty", "phone"), ["ann@x.com", "cy@x.com"]),
    (C("before", "birth_date", "1980-05-01"), ["eve@x.com"]),
    (C("on_or_before", "birth_date", "1980-05-01"), ["ann@x.com", "eve@x.com"]),
    (C("after", "birth_date", "1990-01-15"), ["cy@x.com"]),
    (C("on_or_after", "birth_date", "1990-01-15"), ["bob@x.com", "cy@x.com"]),
    (C("in_last_days", "created", 1), ["ann@x.com", "bob@x.com", "cy@x.com", "dee@x.com", "eve@x.com"]),
    (C("in_last_days", "birth_date", 30), []),
    (C("after", "created", "2000-01-01"), ["ann@x.com", "bob@x.com", "cy@x.com", "dee@x.com", "eve@x.com"]),
    (C("denylisted"), ["bob@x.com"]),
    (C("not_denylisted"), ["ann@x.com", "cy@x.com", "dee@x.com", "eve@x.com"]),
    (C("denylisted", "blacklist_phone"), []),
    (C("member_of", value="Newsletter"), ["ann@x.com", "bob@x.com"]),
    (C("subscribed_to", value="Offers"), ["cy@x.com"]),
    (C("member_of", value="No such list"), []),
    (Condition("or", [C("equals", "city", "Lyon"), C("equals", "city", "Nice")]), ["bob@x.com", "eve@x.com"]),
    (Condition("and", [C("equals", "city", "Paris"), Condition("or", [C("equals", "first_name", "Dee"),
                                                                       C("denylisted")])]), ["dee@x.com"]),
    (Condition("and", []), ["ann@x.com", "bob@x.com", "cy@x.com", "dee@x.com", "eve@x.com"]),
]


def test_every_operator_selects_the_right_recipients(service, tmp_path):
    seed(service, tmp_path)
    for cond, expected in CASES:
        assert emails_matching(service, cond) == expected, describe_condition(cond)


def test_a_value_is_always_a_parameter_never_sql(service, tmp_path):
    seed(service, tmp_path)
    assert emails_matching(service, C("equals", "city", "Paris' OR '1'='1")) == []
    assert emails_matching(service, C("contains", "last_name", "') OR 1=1 --")) == []
    clause = compile_condition(C("equals", "city", "x' OR 1=1"))
    assert "OR 1=1" not in str(clause) and ":city_1" in str(clause)


@pytest.mark.parametrize(("cond", "message"), [
    (C("equals", "shoe_size", "42"), "'shoe_size' is not a recipient field"),
    (C("resembles", "city", "x"), "'resembles' is not a filter operator"),
    (C("before", "city", "2024-01-01"), "'City' is not a date"),
    (C("before", "birth_date", "31/12"), "'31/12' is not a date"),
    (C("equals", "gender", "Robot"), "'Gender' holds whole numbers"),
    (C("in_last_days", "created", "a week"), "whole number of days"),
    (C("member_of"), "choose the list"),
    (C("in", "city", []), "at least one value"),
])
def test_a_bad_filter_is_a_sentence_not_a_database_error(cond, message):
    with pytest.raises(UserError, match=message):
        compile_condition(Condition("and", [cond]))


def test_the_filter_reads_as_a_sentence():
    cond = Condition("and", [C("equals", "city", "Paris"),
                             Condition("or", [C("in_last_days", "created", 30), C("member_of", value="VIP")])])
    assert describe_condition(cond) == ("City equal to 'Paris' and (Creation date in the last 30 day(s) or "
                                        "Recipient is a member of the list 'VIP')")
    assert describe_condition(None) == "All recipients"
