"""Reconciliation rules, line by line, without a database (spec §4.7 and its worked examples)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from campaign_desktop.domain.errors import UserError
from campaign_desktop.domain.template import DoublesPolicy, FieldRule, Operation, Reconciliation
from campaign_desktop.reconcile.doubles import find_doubled_keys, key_text
from campaign_desktop.reconcile.keys import KeyPlan
from campaign_desktop.reconcile.planner import Line, Planner

STAMP = datetime(2026, 11, 23, 9, 0)
DEST = ["email", "first_name", "last_name", "company"]


def planner(rec: Reconciliation | None = None, dest=DEST, **kw) -> Planner:
    rec = rec or Reconciliation()
    kw.setdefault("set_flags", [])
    return Planner(rec, KeyPlan(rec, dest), dest, job_id=7, folder_id=1, origin=kw.pop("origin", ""),
                   field_rules={r.field: r for r in rec.field_rules}, trace=kw.pop("trace", False),
                   update_enumerations=False, **kw)


def lines(p: Planner, *rows: dict) -> list[Line]:
    out = []
    for n, values in enumerate(rows, start=1):
        kf, key = p.keys.key_of(values)
        out.append(Line(n, str(values), values, kf, key))
    return out


def db(*rows: dict, key: str = "email") -> dict:
    return {(key,): {(r[key],): {"id": r["id"], **r} for r in rows}}


def inserted_values(p: Planner, plan) -> list[dict]:
    """Each inserted row with the columns the batch's rows share (stated once per statement)."""
    return [{**dict(zip(plan.insert_columns, row, strict=True)), **plan.insert_constants} for row in plan.inserts]


def test_update_or_insert_creates_new_recipients_and_updates_known_ones():
    p = planner()
    existing = db({"id": 1, "email": "a@x.com", "first_name": "Ann", "last_name": "Old", "company": None})
    plan = p.plan(lines(p, {"email": "a@x.com", "first_name": "Ann", "last_name": "New"},
                       {"email": "b@x.com", "first_name": "Bob", "last_name": "B"}), existing, set(), STAMP)
    c = plan.counters
    assert (c.inserted, c.updated, c.duplicates, c.processed, c.success) == (1, 1, 1, 2, 2)
    assert plan.updates == [(1, {"last_name": "New", "last_modified": STAMP, "modified_by_job_id": 7})]
    row = inserted_values(p, plan)[0]
    assert row["email"] == "b@x.com" and row["folder_id"] == 1 and row["created_by_job_id"] == 7
    assert row["blacklist"] is False and row["blacklist_email"] is False
    assert c.balanced()


def test_a_recipient_that_already_holds_the_values_is_counted_unchanged_not_rewritten():
    p = planner()
    existing = db({"id": 1, "email": "a@x.com", "first_name": "Ann", "last_name": "Lee", "company": "ACME"})
    plan = p.plan(lines(p, {"email": "a@x.com", "first_name": "Ann", "last_name": "Lee", "company": "ACME"}),
                  existing, set(), STAMP)
    assert plan.updates == []
    assert (plan.counters.ignored, plan.counters.unchanged, plan.counters.updated) == (1, 1, 0)


def test_an_empty_source_value_keeps_the_database_value_unless_asked():
    existing = db({"id": 1, "email": "a@x.com", "first_name": "Ann", "last_name": "Lee", "company": "ACME"})
    p = planner()
    plan = p.plan(lines(p, {"email": "a@x.com", "first_name": "Ann", "last_name": "Lee", "company": None}),
                  existing, set(), STAMP)
    assert plan.updates == []
    rec = Reconciliation(field_rules=[FieldRule("company", update_if_source_empty=True)])
    p = planner(rec)
    plan = p.plan(lines(p, {"email": "a@x.com", "first_name": "Ann", "last_name": "Lee", "company": None}),
                  existing, set(), STAMP)
    assert plan.updates[0][1]["company"] is None


def test_the_database_wins_with_update_only_if_destination_is_empty():
    """Spec §4.12 example 4: only empty database values are filled."""
    rec = Reconciliation(operation=Operation.UPDATE, field_rules=[
        FieldRule("last_name", update_only_if_destination_empty=True),
        FieldRule("company", update_only_if_destination_empty=True)])
    p = planner(rec)
    existing = db({"id": 1, "email": "a@x.com", "first_name": "Ann", "last_name": "Lee", "company": None})
    plan = p.plan(lines(p, {"email": "a@x.com", "first_name": "Ann", "last_name": "Smith", "company": "ACME"},
                       {"email": "nobody@x.com", "first_name": "N", "last_name": "N", "company": "N"}),
                  existing, set(), STAMP)
    assert plan.updates[0][1] == {"company": "ACME", "last_modified": STAMP, "modified_by_job_id": 7}
    assert (plan.counters.updated, plan.counters.ignored, plan.counters.inserted) == (1, 1, 0)


def test_a_field_set_only_on_insert_is_never_updated():
    rec = Reconciliation(field_rules=[FieldRule("first_name", only_on_insert=True)])
    p = planner(rec)
    existing = db({"id": 1, "email": "a@x.com", "first_name": "Ann", "last_name": "Lee", "company": None})
    plan = p.plan(lines(p, {"email": "a@x.com", "first_name": "Changed", "last_name": "Lee"}), existing, set(), STAMP)
    assert plan.updates == []


def test_doubles_in_the_file_under_update_make_the_last_line_win():
    p = planner()
    plan = p.plan(lines(p, {"email": "a@x.com", "first_name": "First"}, {"email": "a@x.com", "first_name": "Last"}),
                  {}, set(), STAMP)
    assert len(plan.inserts) == 1 and inserted_values(p, plan)[0]["first_name"] == "Last"
    assert (plan.counters.inserted, plan.counters.updated, plan.counters.doubles) == (1, 1, 0)


@pytest.mark.parametrize("policy", [DoublesPolicy.IGNORE, DoublesPolicy.REJECT])
def test_doubles_ignored_or_rejected_leave_out_every_line_sharing_the_key(policy):
    rec = Reconciliation(doubles=policy)
    p = planner(rec)
    rows = lines(p, {"email": "a@x.com"}, {"email": "b@x.com"}, {"email": "a@x.com"})
    doubled = find_doubled_keys(ln.key for ln in rows)
    assert doubled == {key_text(("a@x.com",))}
    plan = p.plan(rows, {}, doubled, STAMP)
    c = plan.counters
    assert c.inserted == 1 and c.doubles == 2
    if policy is DoublesPolicy.REJECT:
        assert c.rejected == 2 and [r.line_no for r in plan.rejects] == [1, 3]
        assert "same email" in plan.rejects[0].message
    else:
        assert c.ignored == 2 and not plan.rejects
    assert c.balanced()


@pytest.mark.parametrize("policy,expect", [(DoublesPolicy.IGNORE, "ignored"), (DoublesPolicy.REJECT, "rejected")])
def test_records_already_in_the_database_can_be_ignored_or_rejected(policy, expect):
    p = planner(Reconciliation(duplicates=policy))
    existing = db({"id": 1, "email": "a@x.com", "first_name": "Ann", "last_name": None, "company": None})
    plan = p.plan(lines(p, {"email": "a@x.com", "first_name": "Other"}), existing, set(), STAMP)
    assert getattr(plan.counters, expect) == 1 and plan.counters.duplicates == 1 and not plan.updates


def test_delete_removes_matching_recipients_and_ignores_the_rest():
    p = planner(Reconciliation(operation=Operation.DELETE))
    existing = db({"id": 5, "email": "a@x.com", "first_name": None, "last_name": None, "company": None})
    plan = p.plan(lines(p, {"email": "a@x.com"}, {"email": "z@x.com"}, {"email": "a@x.com"}), existing, set(), STAMP)
    assert plan.deletes == [5]
    assert (plan.counters.deleted, plan.counters.ignored) == (1, 2)
    assert plan.counters.balanced()


def test_reconciliation_only_finds_recipients_without_writing_them():
    p = planner(Reconciliation(operation=Operation.RECONCILE_ONLY))
    existing = db({"id": 5, "email": "a@x.com", "first_name": None, "last_name": None, "company": None})
    plan = p.plan(lines(p, {"email": "a@x.com", "first_name": "X"}, {"email": "z@x.com"}), existing, set(), STAMP)
    assert not plan.updates and not plan.inserts and plan.member_ids == {5}
    assert plan.counters.rejected == 1 and "No recipient has this email" in plan.rejects[0].message


def test_key_two_is_used_when_key_one_is_empty():
    rec = Reconciliation(key1=["email"], key2=["account"])
    p = planner(rec, dest=["email", "account", "first_name"])
    existing = {("account",): {("A1",): {"id": 9, "email": None, "account": "A1", "first_name": "Old"}}}
    plan = p.plan(lines(p, {"email": None, "account": "A1", "first_name": "New"}), existing, set(), STAMP)
    assert plan.updates[0][0] == 9


def test_a_line_without_any_key_value_is_rejected_with_the_reason():
    p = planner(Reconciliation(key1=["email"], key2=["account"]), dest=["email", "account"])
    plan = p.plan(lines(p, {"email": None, "account": ""}), {}, set(), STAMP)
    assert plan.counters.rejected == 1
    assert plan.rejects[0].message == "No value for the reconciliation key (email, nor for key #2: account #)"


def test_a_key_must_be_mapped_and_only_a_plain_insert_can_do_without():
    with pytest.raises(UserError, match="no column of the file is mapped to Account #"):
        KeyPlan(Reconciliation(key1=["account"]), ["email"])
    with pytest.raises(UserError, match="Choose a reconciliation key"):
        KeyPlan(Reconciliation(key1=[]), ["email"])
    assert not KeyPlan(Reconciliation(operation=Operation.INSERT, key1=[]), ["email"]).required


def test_a_key_made_of_several_fields_matches_only_when_all_are_equal():
    """Spec §4.12 example 3: key = birth date + last name + company."""
    rec = Reconciliation(key1=["birth_date", "last_name", "company"])
    dest = ["birth_date", "last_name", "company", "email"]
    p = planner(rec, dest=dest)
    bd = date(1980, 5, 1)
    existing = {("birth_date", "last_name", "company"): {
        (bd, "Lee", "ACME"): {"id": 3, "birth_date": bd, "last_name": "Lee", "company": "ACME", "email": "old@x"}}}
    plan = p.plan(lines(p, {"birth_date": bd, "last_name": "Lee", "company": "ACME", "email": "new@x"},
                       {"birth_date": bd, "last_name": "Lee", "company": "Other", "email": "o@x"}),
                  existing, set(), STAMP)
    assert plan.updates[0][0] == 3 and plan.counters.inserted == 1


def test_the_denylist_import_sets_the_flag_on_new_and_known_recipients():
    p = planner(dest=["email"], set_flags=["blacklist_email"])
    existing = db({"id": 1, "email": "a@x.com", "blacklist_email": False})
    plan = p.plan(lines(p, {"email": "a@x.com"}, {"email": "b@x.com"}), existing, set(), STAMP)
    assert plan.updates[0][1]["blacklist_email"] is True
    assert inserted_values(p, plan)[0]["blacklist_email"] is True


def test_a_plain_import_keeps_denylist_flags_and_counts_those_recipients():
    p = planner(dest=["email", "first_name"])
    existing = db({"id": 1, "email": "a@x.com", "first_name": "Old", "blacklist": True, "blacklist_email": True})
    plan = p.plan(lines(p, {"email": "a@x.com", "first_name": "New"}), existing, set(), STAMP)
    assert "blacklist" not in plan.updates[0][1] and "blacklist_email" not in plan.updates[0][1]
    assert plan.counters.denylist_kept == 1


def test_trace_mode_writes_one_journal_line_per_input_line():
    p = planner(trace=True)
    plan = p.plan(lines(p, {"email": "a@x.com"}, {"email": None}), {}, set(), STAMP)
    assert [e.message for e in plan.journal] == [
        "Line 1: recipient 'a@x.com' inserted",
        "Line 2: rejected: No value for the reconciliation key (email)"]
