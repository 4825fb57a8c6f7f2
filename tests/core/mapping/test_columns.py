"""A whole column converted at once gives, line for line, what ``convert_row`` gives.

The column path (``mapping/columns.py``) must agree with the per-line path on every value it calls
plain; whatever it is unsure of it must call odd, and the per-line path then decides.
"""

from __future__ import annotations

import itertools
import random

from campaign_desktop.domain.recipient_fields import FieldType
from campaign_desktop.domain.template import (
    ColumnFormat,
    EmptyRule,
    FieldMapping,
    ImportSettings,
    OnError,
    Transform,
)
from campaign_desktop.mapping import RowConverter
from campaign_desktop.mapping.columns import ColumnConverter, may_be_padded

TRICKY = {
    "email": ["a@b.com", "A@B.COM", "Jean.Dupont@Example.com", " x@y.fr ", "", "  ", "a@b", "a..b@c.com",
              "é@exämple.fr", "x@xn--bcher-kva.ch", "x@exa_mple.com", "ÅSA@EXAMPLE.COM", "a@b.c", "a b@c.com",
              "x@y.COM\u00a0", "o'neil+tag@mail.co.uk", "@b.com", "a@.com"],
    "first_name": ["anne", " Zoë ", "", "JEAN-PIERRE", "o'neil", "ß" * 20, "x" * 31, "\u2003Ann"],
    "birth_date": ["1970-01-01", "31/12/1999", "2001-02-30", "", " 1990-05-05 ", "soon", "1980-13-01"],
    "gender": ["0", "1", "2", "m", "F", "Madame", "x", "", " 1 ", "MONSIEUR"],
    "account": ["ACC1", "", "  A  ", "x" * 40],
    "country_code": ["fr", "FR", "fra", "", " us "],
}


def _rows(n: int, seed: int) -> list[list[str]]:
    rng = random.Random(seed)
    return [[rng.choice(values) for values in TRICKY.values()] for _ in range(n)]


def _check(settings: ImportSettings, rows: list[list[str]], date_form: object = None) -> int:
    columns = list(TRICKY)
    conv = RowConverter(columns, settings, settings.file_format.columns or None, date_form=date_form)  # type: ignore[arg-type]
    converted = ColumnConverter(conv).convert([list(c) for c in zip(*rows, strict=True)])
    assert converted is not None
    out, odd = converted
    plain = 0
    for j, values in enumerate(rows):
        expected = conv.convert_row(list(values))
        if j in odd:
            continue
        plain += 1
        assert expected is not None, values
        assert [col[j] for col in out] == expected, values
    return plain


def test_default_formats_agree_with_convert_row() -> None:
    assert _check(ImportSettings(), _rows(400, 1)) > 20
    assert _check(ImportSettings(), _rows(400, 2), date_form=str) > 20


def test_every_kind_of_column_format_agrees_with_convert_row() -> None:
    formats = [
        ColumnFormat(name="email", empty_rule=EmptyRule.REQUIRED, on_error=OnError.IGNORE),
        ColumnFormat(name="first_name", transform=Transform.TITLE, length=12),
        ColumnFormat(name="birth_date", type=FieldType.DATE, date_format="DD/MM/YYYY", on_error=OnError.DEFAULT,
                     default="01/01/2000"),
        ColumnFormat(name="gender", remap={"Madame": "2"}, on_error=OnError.IGNORE),
        ColumnFormat(name="account", trim=False, transform=Transform.UPPER, length=8),
        ColumnFormat(name="country_code", empty_rule=EmptyRule.REQUIRED, on_error=OnError.DEFAULT, default="FR"),
    ]
    settings = ImportSettings()
    settings.file_format.columns = formats
    settings.mapping = [FieldMapping(c, c) for c in TRICKY]
    for seed in range(3):
        _check(settings, _rows(300, seed))


def test_padding_is_found_wherever_white_space_touches_a_value() -> None:
    for col in (["a", " b"], ["a ", "b"], ["a", " "], ["", "x y", " "]):
        assert may_be_padded(col, spaced=False)
    assert not may_be_padded(["a b", "c", ""], spaced=False)
    assert may_be_padded(["a"], spaced=True)
    for values in itertools.product(["a", " a", "a ", "", "a b"], repeat=3):
        col = list(values)
        if list(map(str.strip, col)) != col:
            assert may_be_padded(col, spaced=False)


def test_blank_values_are_left_to_the_empty_rule_and_never_parsed(monkeypatch) -> None:
    """A file where half the birth dates are blank: the blanks cost nothing (a date parser explaining
    what is wrong with '' took 30 µs a value), and convert exactly as line by line."""
    from campaign_desktop.mapping import values

    parsed: list[str] = []
    original = values.date_shape_matches
    monkeypatch.setattr(values, "date_shape_matches", lambda f, text: (parsed.append(text), original(f, text))[1])
    rows = [[f"u{i}@x.com", "Ann", "", "1", "ACC1", "fr"] if i % 2 else
            [f"u{i}@x.com", "", "1970-01-02", "", "", ""] for i in range(200)]
    rows[7][2] = "1980-13-01"  # an impossible date: explained, once
    cols = ["email", "first_name", "birth_date", "gender", "account", "country_code"]
    conv = RowConverter(cols, ImportSettings())
    converted = ColumnConverter(conv).convert([list(c) for c in zip(*rows, strict=True)])
    assert converted is not None
    out, odd = converted
    assert odd == [7]  # the impossible date goes line by line, for its reject
    for j, row in enumerate(rows):
        if j != 7:
            assert [c[j] for c in out] == conv.convert_row(list(row)), row
    assert parsed and set(parsed) == {"1980-13-01"}  # no '' was ever explained
