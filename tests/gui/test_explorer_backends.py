"""The explorer's lists on both backends: the queries behind them and one walk through the window.

These take the shared ``service`` fixture, so they run on SQLite and on a real PostgreSQL
server: the counting joins, the boolean "denylisted" expression and paging must agree.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from campaign_desktop.domain import explorer
from campaign_desktop.domain.job import JobStatus
from campaign_desktop.domain.template import JobKind
from tests.gui.helpers import add_finished_job, add_list, add_recipients, add_service, make_app, open_window


def test_browse_pages_counts_and_sorts_recipients(service):
    add_recipients(service, 450)
    browse = service.browse()
    assert browse.count_recipients() == 450
    first = browse.recipients_page(0, 200)
    assert [r.email for r in first[:2]] == ["person0000@example.com", "person0001@example.com"]
    assert first[0].denylisted and not first[1].denylisted
    assert len(browse.recipients_page(400, 200)) == 50
    by_email = browse.recipients_page(0, 3, "email", descending=True)
    assert [r.email for r in by_email] == [f"person{n:04d}@example.com" for n in (449, 448, 447)]
    denylisted_first = browse.recipients_page(0, 65, "denylisted", descending=True)
    assert all(r.denylisted for r in denylisted_first)
    ids = [r.id for r in denylisted_first]
    assert ids == sorted(ids, reverse=True)  # ties broken by id, in the same direction


def test_browse_lists_services_and_jobs(service):
    add_recipients(service, 5)
    ids = [r.id for r in service.browse().recipients_page(0, 5)]
    add_list(service, "VIP", ids[:2])
    add_list(service, "Nobody yet", [])
    add_service(service, "Newsletter", ids)
    job_id = add_finished_job(service, "Prospects May", seconds=61)

    browse = service.browse()
    assert [(li.label, li.members) for li in browse.lists()] == [("Nobody yet", 0), ("VIP", 2)]
    assert [(s.label, s.subscribers) for s in browse.services()] == [("Newsletter", 5)]
    (job,) = browse.jobs()
    assert (job.id, job.label, job.kind) == (job_id, "Prospects May", JobKind.IMPORT)
    assert job.status is JobStatus.FINISHED
    assert job.duration_s() == 61.0 and job.processed == 500 and job.rejected == 20


def test_explorer_smoke(qtbot, service, tmp_path):
    """Open the window, visit every list, duplicate a template: nothing blocks, nothing warns."""
    add_recipients(service, 250)
    add_list(service, "VIP", [1, 2])
    add_service(service, "Newsletter", [1])
    add_finished_job(service, "Prospects May")
    app = make_app(service, tmp_path)
    window = open_window(qtbot, app)
    pane = window.list_pane
    recipients_pane = window.audience.page.pane  # Recipients has its own page (search, columns, actions)

    expected = {
        explorer.RECIPIENTS: ("person0000@example.com", "200 / 250"),
        explorer.LISTS: ("VIP", "1 / 1"),
        explorer.SERVICES: ("Newsletter", "1 / 1"),
        explorer.JOBS: ("Finished", "1 / 1"),
        explorer.JOB_TEMPLATES: ("Import denylist", "4 / 4"),
    }
    for key, (first_cell, counter) in expected.items():
        window.select_node(key)
        shown = recipients_pane if key == explorer.RECIPIENTS else pane
        qtbot.waitUntil(lambda c=counter, p=shown: p.counter.text() == c)
        assert shown.proxy.index(0, 0).data() == first_cell
        shown.select_key(shown.source.item(0).key)
        if shown is pane:
            assert window.detail.currentWidget() is not window.placeholder

    window.actions.duplicate.trigger()
    qtbot.waitUntil(lambda: pane.counter.text() == "5 / 5")
    qtbot.waitUntil(lambda: window.selected_item() is not None
                    and window.selected_item().label == "Copy of Import denylist")

    window.select_node(explorer.RECIPIENTS)
    pane = recipients_pane
    qtbot.waitUntil(lambda: pane.counter.text() == "200 / 250")
    pane.view.scrollToBottom()  # the view asks for the next page as a user scrolls down
    qtbot.waitUntil(lambda: pane.counter.text() == "250 / 250")
    pane.view.sortByColumn(2, Qt.SortOrder.DescendingOrder)  # Last name, in the database
    qtbot.waitUntil(lambda: pane.proxy.rowCount() > 0 and pane.proxy.index(0, 2).data() == "Last0249")
    window.close()
    assert app.runner.wait_for_idle()
