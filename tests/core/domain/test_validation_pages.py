"""The rules the wizard pages add to the shared validation (the CLI can ask them too)."""

from __future__ import annotations

from campaign_desktop.domain.recipient_fields import FieldType
from campaign_desktop.domain.template import (
    ColumnFormat,
    DoublesPolicy,
    FieldMapping,
    ImportSettings,
    Operation,
    Reconciliation,
)
from campaign_desktop.domain.validation import key_mapping_problems, label_problems, source_problems
from campaign_desktop.files.preview import preview
from campaign_desktop.mapping.column_check import profile_with_formats
from tests.conftest import DATA_DIR


def test_a_label_and_a_file_are_mandatory():
    assert label_problems("  ") and not label_problems("May prospects")
    assert source_problems(ImportSettings()) and not source_problems(ImportSettings(source_path="/a.csv"))


def test_a_key_no_column_feeds_is_flagged_once_the_mapping_is_explicit():
    s = ImportSettings(mapping=[FieldMapping("Nom", "last_name")])
    assert key_mapping_problems(s) == [
        "The reconciliation key (Email) is not mapped to any column: map it, or choose another key."]
    assert not key_mapping_problems(ImportSettings())  # guessed at run time: nothing to say yet
    s.reconciliation = Reconciliation(operation=Operation.INSERT, doubles=DoublesPolicy.UPDATE)
    assert not key_mapping_problems(s)  # a plain insert needs no key


def test_the_profile_counts_values_the_chosen_format_refuses():
    p = preview(DATA_DIR / "files" / "french_cp1252_semicolon.csv")
    births = profile_with_formats(p, [ColumnFormat("Date de naissance", type=FieldType.DATE,
                                                   date_format="MM/DD/YYYY")])[3]
    assert (births.invalid, births.invalid_examples) == (2, ["31/12/1985", "15/07/1972"])
    names = profile_with_formats(p, [ColumnFormat("Nom", type=FieldType.INTEGER, remap={"Noël": "0"})])[1]
    assert names.invalid == 3  # the remapped value is not an error
    untouched = profile_with_formats(p, [])
    assert untouched == p.profiles
