"""The pure parts behind the explorer: capabilities, action states, template summaries."""

from __future__ import annotations

from datetime import datetime

import pytest

from campaign_desktop.domain.explorer import (
    JobItem,
    ListItem,
    NodeKind,
    RecipientItem,
    TemplateItem,
    build_explorer_tree,
)
from campaign_desktop.domain.job import JobStatus
from campaign_desktop.domain.template import (
    DoublesPolicy,
    ExportColumn,
    FieldMapping,
    FieldRule,
    JobKind,
    ListMode,
    Operation,
    OutputFormat,
    Transform,
)
from campaign_desktop.gui.explorer.actions import item_action_states
from campaign_desktop.gui.explorer.template_summary import summarize
from campaign_desktop.storage.builtins import builtin_templates


def builtin(name: str):  # type: ignore[no-untyped-def]
    return next(t for t in builtin_templates() if t.internal_name == name)


def user_copy(name: str):  # type: ignore[no-untyped-def]
    tpl = builtin(name).copy()
    tpl.read_only = False
    tpl.label = "Copy of " + tpl.label
    return tpl


def enabled(item) -> list[str]:  # type: ignore[no-untyped-def]
    return [name for name, state in item_action_states(item).items() if state.enabled]


@pytest.mark.parametrize(("item", "expected"), [
    (None, []),
    (TemplateItem(builtin("newImport")), ["duplicate", "start"]),
    (TemplateItem(user_copy("newImport")), ["duplicate", "rename", "delete", "start"]),
    (TemplateItem(builtin("newExport")), ["duplicate", "start"]),
    (RecipientItem(1, "a@b.c", "Ann", "Lee", None, None, False, None, None), []),
    (ListItem(1, "vip", "VIP", 3, None), ["rename", "delete"]),  # the list goes, its members stay
    (JobItem(1, "May", JobKind.IMPORT, JobStatus.FINISHED), []),
])
def test_menus_offer_what_the_item_allows(qapp, item, expected):
    assert enabled(item) == expected


def test_capabilities_live_on_the_items():
    assert TemplateItem(builtin("newImport")).can_start  # a job can start from a built-in
    assert not TemplateItem(builtin("newImport")).can_rename
    assert TemplateItem(user_copy("newExport")).can_delete


def test_disabled_actions_say_why(qapp):
    states = item_action_states(TemplateItem(builtin("denylistImport")))
    assert states["rename"].tooltip == "Built-in template: duplicate it to make changes"
    assert states["delete"].tooltip == "Built-in template: duplicate it to make changes"
    assert states["start"].enabled and states["start"].tooltip == "Start a job from “Import denylist”"
    export = item_action_states(TemplateItem(builtin("newExport")))["start"]
    assert export.enabled and export.tooltip == "Start a job from “New text export”"
    assert states["duplicate"].tooltip == "Make an editable copy of “Import denylist”"


def test_the_tree_has_campaigns_folders_and_stable_keys():
    root = build_explorer_tree()
    keys = [n.key for n in root.walk()][1:]
    assert len(keys) == len(set(keys))
    node = root.find("profiles/jobs/generic")
    assert node is not None and node.kind is NodeKind.JOBS
    assert [n.label for n in node.path] == ["Profiles and Targets", "Jobs", "Generic imports and exports"]
    assert root.find_kind(NodeKind.JOB_TEMPLATES).label == "Job templates"


def test_job_duration_counts_up_while_running():
    job = JobItem(1, "May", JobKind.IMPORT, JobStatus.RUNNING, started_at=datetime(2024, 5, 2, 14, 0))
    assert job.duration_s(datetime(2024, 5, 2, 14, 1, 17)) == 77
    assert JobItem(2, "Draft", JobKind.EXPORT, JobStatus.BEING_EDITED).duration_s() is None


def text(template) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(f"{s.title}: " + " | ".join(s.lines) for s in summarize(template))


def test_new_text_import_reads_as_sentences(qapp):
    summary = text(builtin("newImport"))
    assert "File format: File type detected from the file." in summary
    assert "Destination fields are guessed from the file's column names." in summary
    assert "Operation: Update or insert." in summary
    assert "Recipients are matched on Email." in summary
    assert "Lines of the file repeating a key (doubles): the last line wins." in summary
    assert "Added to the default recipients folder." in summary
    assert "Stops when the first 100 lines are rejected." in summary
    for json_ish in ("{", "}", "upsert", "guess_mapping", "None"):
        assert json_ish not in summary


def test_import_denylist_says_what_it_does(qapp):
    summary = text(builtin("denylistImport"))
    assert "column 1 → Email (lower case)" in summary
    assert "Sets “No longer contact by email”." in summary
    assert "Origin: Denylist import." in summary


def test_every_import_setting_has_words(qapp):
    tpl = user_copy("listImport")
    s = tpl.import_settings
    s.file_format.separator = ";"
    s.file_format.encoding = "cp1252"
    s.file_format.header = False
    s.file_format.lines_to_ignore = 2
    s.mapping = [FieldMapping("Mail", "email", Transform.LOWER), FieldMapping("Nom", "last_name")]
    s.reconciliation.operation = Operation.UPDATE
    s.reconciliation.key1 = ["email"]
    s.reconciliation.key2 = ["account"]
    s.reconciliation.doubles = DoublesPolicy.REJECT
    s.reconciliation.duplicates = DoublesPolicy.IGNORE
    s.reconciliation.field_rules = [FieldRule("last_name", update_only_if_destination_empty=True)]
    s.recipients.list_mode = ListMode.RECREATE
    s.recipients.list_name = "VIP"
    s.recipients.service = "Newsletter"
    s.recipients.send_confirmation = True
    s.advanced.stop_on_rejects = False
    s.advanced.trace = True
    summary = text(tpl)
    for sentence in (
        "Columns separated by semicolon, encoding cp1252.", "The file has no header line.",
        "Skips the first 2 lines of the file.", "“Mail” → Email (lower case)", "“Nom” → Last name",
        "Operation: Update.", "Recipients are matched on Email, or on Account # when that is empty.",
        "doubles): they are rejected.", "duplicates): the line is ignored.",
        "Last name: updated only if empty in the database.", "Replace the content of the list VIP.",
        "Subscribed to the service “Newsletter”, with a confirmation message.",
        "Never stops because of rejected lines.", "Trace mode: every line is logged in the journal.",
    ):
        assert sentence in summary, sentence


def test_export_summary_names_the_document_format_and_columns(qapp):
    tpl = user_copy("newExport")
    assert "No column is chosen yet." in text(tpl)
    s = tpl.export_settings
    s.columns = [ExportColumn("email"), ExportColumn("last_name", label="Surname")]
    s.output.format = OutputFormat.TEXT
    s.output.separator = "\t"
    summary = text(tpl)
    assert "Document type: Recipients." in summary
    assert "Columns: Email, Surname." in summary
    assert "Format: Delimited text." in summary
    assert "Columns separated by tab, encoding utf-8." in summary
