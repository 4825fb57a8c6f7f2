"""The queries and edits behind the Recipients, Lists and Services views, on SQLite and PostgreSQL.

A marketer pages through recipients in any order, types the start of an email, a last name or
an account number, opens a folder, a list or a service; then edits one recipient, denylists or
deletes a selection, and manages lists. Both backends must answer alike: same order (empty
values last), same case-insensitive matches.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import insert, update

from campaign_desktop.domain.errors import UserError
from campaign_desktop.storage.recipient_query import RecipientFilter, SearchField
from campaign_desktop.storage.recipients_repo import RecipientValidationError
from campaign_desktop.storage.schema import recipients
from tests.gui.helpers import add_finished_job, add_list, add_recipients, add_service


def _all_pages(browse, flt, order_by, descending, limit=37):  # type: ignore[no-untyped-def]
    rows, cursor = [], None
    while True:
        page = browse.recipients_after(flt, order_by, descending, cursor, limit)
        rows.extend(page.rows)
        if page.next is None:
            return rows
        cursor = page.next


def _add_odd_people(service) -> None:  # type: ignore[no-untyped-def]
    stamp = datetime(2024, 6, 1)
    people = [("Zoe.Dupont@Example.com", "Dupont", "ACC-9"), ("adam@example.com", "dupuis", None),
              ("nolast@example.com", None, "acc-1"), (None, "Durand", "X_1%"), (None, None, None)]
    with service.engine.begin() as conn:
        conn.execute(insert(recipients), [
            {"email": e, "last_name": n, "account": a, "created": stamp, "last_modified": stamp}
            for e, n, a in people])


@pytest.mark.parametrize("order_by", ["id", "email", "last_name", "account", "denylisted", "created"])
def test_keyset_pages_visit_every_recipient_once_in_order_with_empty_values_last(service, order_by):
    add_recipients(service, 120)
    _add_odd_people(service)
    browse = service.browse()
    for descending in (False, True):
        rows = _all_pages(browse, RecipientFilter(), order_by, descending)
        assert len(rows) == 125 and len({r.id for r in rows}) == 125
        if order_by in ("email", "last_name", "account"):
            values = [getattr(r, order_by) for r in rows]
            filled = [v.lower() for v in values if v is not None]
            assert filled == sorted(filled, reverse=descending)
            assert all(v is None for v in values[len(filled):])  # empties last, both ways


def test_quick_search_is_a_case_insensitive_prefix_on_email_name_or_account(service):
    add_recipients(service, 50)
    _add_odd_people(service)
    browse = service.browse()

    def found(text, where=SearchField.ANY):  # type: ignore[no-untyped-def]
        flt = RecipientFilter(text, where)
        rows = _all_pages(browse, flt, "email", False)
        assert browse.count_recipients(flt) == len(rows)
        return sorted((r.email or "", r.last_name or "") for r in rows)

    assert found("zoe.d") == [("Zoe.Dupont@Example.com", "Dupont")]
    assert found("DUP", SearchField.NAME) == [("Zoe.Dupont@Example.com", "Dupont"), ("adam@example.com", "dupuis")]
    assert found("dup", SearchField.EMAIL) == []
    assert found("acc-", SearchField.ACCOUNT) == [("Zoe.Dupont@Example.com", "Dupont"), ("nolast@example.com", "")]
    assert found("x_1%") == [("", "Durand")]  # LIKE wildcards are plain characters here
    assert found("x_") == [("", "Durand")] and found("x%") == []
    assert len(found("person001")) == 10
    assert len(found("  ")) == 55


def test_folders_lists_and_services_filter_the_same_table(service):
    add_recipients(service, 30)
    repo = service.recipients
    north = repo.create_folder("North")
    lille = repo.create_folder("Lille", north)
    with service.engine.begin() as conn:
        conn.execute(update(recipients).where(recipients.c.id <= 5).values(folder_id=north))
        conn.execute(update(recipients).where(recipients.c.id.between(6, 8)).values(folder_id=lille))
    browse = service.browse()
    assert [(f.label, f.parent_id) for f in repo.folders()] == [("North", None), ("Lille", north)]
    assert browse.count_recipients(RecipientFilter(folder_ids=browse.folder_subtree(north))) == 8
    assert browse.count_recipients(RecipientFilter(folder_ids=browse.folder_subtree(lille))) == 3
    with pytest.raises(UserError, match="already has a sub-folder"):
        repo.create_folder("lille", north)

    vip = add_list(service, "VIP", [1, 2, 3])
    news = add_service(service, "Newsletter", [2, 4])
    assert [r.id for r in _all_pages(browse, RecipientFilter(list_id=vip), "id", False)] == [1, 2, 3]
    assert browse.count_recipients(RecipientFilter(service_id=news)) == 2
    assert browse.count_recipients(RecipientFilter("person0002", list_id=vip)) == 1


def test_a_recipient_is_edited_with_the_imports_email_check_and_shows_its_lists_and_jobs(service):
    add_recipients(service, 3)
    job = add_finished_job(service, "Prospects May")
    with service.engine.begin() as conn:
        conn.execute(update(recipients).where(recipients.c.id == 1).values(created_by_job_id=job,
                                                                           modified_by_job_id=job))
    add_list(service, "VIP", [1])
    add_service(service, "Newsletter", [1])
    repo = service.recipients
    record = repo.get(1)
    assert record.values["email"] == "person0000@example.com" and record.values["city"] == "Paris"
    assert [lb for _, lb in record.lists] == ["VIP"] and [lb for _, lb in record.subscriptions] == ["Newsletter"]
    assert record.created_by_job == (job, "Prospects May") == record.modified_by_job

    with pytest.raises(RecipientValidationError) as bad:
        repo.update(1, {"email": "ann.lee@", "country_code": "France", "first_name": "A" * 31})
    assert set(bad.value.problems) == {"email", "country_code", "first_name"}
    assert "Invalid email 'ann.lee@'" in bad.value.problems["email"]
    assert repo.get(1).values["email"] == "person0000@example.com"  # nothing saved

    saved = repo.update(1, {"email": " Ann.Lee@EXAMPLE.com ", "country_code": "fr", "gender": 2})
    assert (saved.values["email"], saved.values["country_code"], saved.values["gender"]) == (
        "Ann.Lee@example.com", "FR", 2)
    assert saved.values["last_modified"] > record.values["last_modified"]
    assert saved.modified_by_job == (job, "Prospects May")  # the import that last changed it stays on record


def test_delete_denylist_and_list_membership_of_a_selection(service):
    add_recipients(service, 20)
    repo = service.recipients
    browse = service.browse()
    vip = repo.create_list("VIP")
    assert repo.add_to_list([1, 2, 3, 3], vip) == 3
    assert repo.add_to_list([3, 4], vip) == 1  # 3 is already in
    assert [(li.label, li.members) for li in browse.lists()] == [("VIP", 4)]
    assert repo.remove_from_list(vip, [1, 4]) == 2
    assert repo.denylist([5, 6, 7]) == 3 and repo.denylist([5]) == 0
    assert repo.delete([2, 5, 999]) == 2
    assert browse.count_recipients() == 18
    assert [(li.label, li.members) for li in browse.lists()] == [("VIP", 1)]

    with pytest.raises(UserError, match="already exists"):
        repo.create_list("vip")
    repo.rename_list(vip, "Best customers")
    assert repo.delete_list(vip) == 1
    assert browse.lists() == [] and browse.count_recipients() == 18
