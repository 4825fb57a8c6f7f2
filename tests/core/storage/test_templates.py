"""A marketer's templates: built-ins present and read-only, copies editable, on both databases."""

from __future__ import annotations

import pytest

from campaign_desktop.domain.errors import NotFoundError, ReadOnlyError, UserError
from campaign_desktop.domain.serialization import FormatError
from campaign_desktop.domain.template import JobKind, JobTemplate, ListMode, Transform

BUILTINS = {
    "newImport": "New text import",
    "denylistImport": "Import denylist",
    "listImport": "Import recipients into a list",
    "newExport": "New text export",
}


def test_a_new_database_holds_the_four_builtin_templates(service):
    found = {t.internal_name: t for t in service.templates.list()}
    assert {k: v.label for k, v in found.items()} == BUILTINS
    assert all(t.read_only for t in found.values())
    assert found["newExport"].kind is JobKind.EXPORT
    assert [t.kind for t in service.templates.list(JobKind.IMPORT)] == [JobKind.IMPORT] * 3


def test_import_denylist_lowercases_one_email_column_and_sets_the_email_flag(service):
    tpl = service.templates.get("denylistImport")
    s = tpl.import_settings
    assert [(m.source, m.destination, m.transform) for m in s.mapping] == [("#1", "email", Transform.LOWER)]
    assert s.reconciliation.key1 == ["email"]
    assert s.recipients.set_flags == ["blacklist_email"]


def test_campaigns_older_name_of_the_denylist_template_still_finds_it(service):
    assert service.templates.get("blacklistImport").internal_name == "denylistImport"
    assert service.templates.get("Import denylist").internal_name == "denylistImport"


def test_the_list_import_template_adds_recipients_to_a_list(service):
    assert service.templates.get("listImport").import_settings.recipients.list_mode is ListMode.ADD


def test_builtins_cannot_be_renamed_edited_or_deleted(service):
    with pytest.raises(ReadOnlyError, match="Duplicate it"):
        service.templates.rename("newImport", "Mine")
    with pytest.raises(ReadOnlyError):
        service.templates.delete("newExport")
    tpl = service.templates.get("newImport")
    tpl.description = "changed"
    with pytest.raises(ReadOnlyError):
        service.templates.save(tpl)
    assert service.templates.get("newImport").description.startswith("Template used to start")


def test_duplicating_a_builtin_gives_an_editable_copy_with_a_unique_name(service):
    first = service.duplicate_template("newImport")
    second = service.duplicate_template("newImport")
    assert (first.label, second.label) == ("Copy of New text import", "Copy of New text import (2)")
    assert first.internal_name != second.internal_name != "newImport"
    assert not first.read_only
    assert first.created_by == service.operator
    renamed = service.templates.rename(first.id, "Weekly prospects")
    assert service.templates.get("Weekly prospects").id == renamed.id
    service.templates.delete(renamed.id)
    with pytest.raises(NotFoundError):
        service.templates.get(renamed.id)


def test_a_copy_keeps_every_setting_of_its_source(service):
    copy = service.duplicate_template("denylistImport", label="Denylist from the shop")
    assert copy.settings_document() == service.templates.get("denylistImport").settings_document()


def test_new_import_and_export_templates_start_from_the_blank_builtins(service):
    imp = service.new_template(JobKind.IMPORT)
    exp = service.new_template(JobKind.EXPORT)
    assert (imp.label, exp.label) == ("New import template", "New export template")
    assert imp.settings_document() == service.templates.get("newImport").settings_document()
    assert service.templates.get(exp.id).kind is JobKind.EXPORT


def test_a_template_needs_a_label(service):
    copy = service.duplicate_template("newImport")
    with pytest.raises(UserError):
        service.templates.rename(copy.id, "  ")


def test_the_json_form_round_trips_and_rejects_unknown_settings(service):
    doc = service.templates.get("denylistImport").to_document()
    assert doc["format"] == "campaign-desktop/job-template" and doc["version"] == 1
    again = JobTemplate.from_document(doc)
    assert again.to_document() == doc
    doc["settings"]["reconciliation"]["doubles"] = "merge"
    with pytest.raises(FormatError, match="settings.reconciliation.doubles: 'merge' is not one of"):
        JobTemplate.from_document(doc)
    doc["settings"]["reconciliation"]["doubles"] = "ignore"
    doc["settings"]["colour"] = "blue"
    with pytest.raises(FormatError, match="unknown setting"):
        JobTemplate.from_document(doc)
    doc.pop("settings")
    doc["version"] = 99
    with pytest.raises(FormatError, match="version 99"):
        JobTemplate.from_document(doc)
