"""The job editor: rejects paged from the database, exported and re-imported; the log filtered; models sound."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from campaign_desktop.domain.job import JobStatus, Level
from campaign_desktop.gui.jobs.job_actions import job_action_states
from campaign_desktop.gui.jobs.log_model import LEVEL_ROLE, JournalModel, LevelFilterProxy
from campaign_desktop.gui.jobs.rejects_model import RejectsModel, reject_details_model
from campaign_desktop.gui.models.item_table import ITEM_ROLE, format_count
from campaign_desktop.storage.rejects_page import rejects_page
from tests.gui.jobs_helpers import close_window, jobs_window, select_job, status_of, wait_until_ended
from tests.gui.test_template_stories import right_click_row
from tests.support.files import write_recipients_csv

KEEP_GOING = ["advanced.stop_on_rejects=false", "advanced.batch_size=500"]


def imported(service, tmp_path, lines: int, bad_every: int, name: str = "p.csv") -> int:  # type: ignore[no-untyped-def]
    path = write_recipients_csv(tmp_path / name, lines, bad_every=bad_every)
    job_id = service.create_import_job(str(path), "newImport", options=KEEP_GOING)
    service.run_job(job_id)
    return job_id


def choose_file(qtbot, window, name: str, path) -> None:  # type: ignore[no-untyped-def]
    dialog = window.findChild(QFileDialog, name)
    qtbot.waitUntil(lambda: dialog.isVisible())
    dialog.selectFile(str(path))
    dialog.accept()


def test_the_rejects_tab_pages_through_thousands_of_rejects(qtbot, service, tmp_path):
    job_id = imported(service, tmp_path, 2400, bad_every=1)  # every line rejected
    window = jobs_window(qtbot, service, tmp_path)
    select_job(qtbot, window, job_id)
    editor = window.jobs.editor
    editor.tabs.setCurrentWidget(editor.rejects_tab)
    tab = editor.rejects_tab
    model = editor.rejects
    qtbot.waitUntil(lambda: model.rowCount() == 500 and model.total == 2400)
    assert tab.counter.text() == f"500 / {format_count(2400)}"
    while model.rowCount() < 2400:  # the user scrolls to the end, page after page
        before = model.rowCount()
        tab.view.scrollToBottom()
        model.fetchMore()
        qtbot.waitUntil(lambda before=before: model.rowCount() > before)
    assert not model.canFetchMore()
    lines = [model.reject(r).line_no for r in range(model.rowCount())]
    assert lines == sorted(lines) and len(set(lines)) == 2400

    tab.view.selectRow(3)
    reject = model.reject(3)
    assert tab.raw_line.text() == reject.raw and reject.raw.startswith("not-an-email-3,")
    entity = tab.details_model.item(0, 0)
    assert tab.details_model.item(0, 2).text() == f"Entity rejected: {reject.message}"
    fields = {entity.child(r, 0).text(): (entity.child(r, 1).text(), entity.child(r, 2).text())
              for r in range(entity.rowCount())}
    assert fields["email"] == ("not-an-email-3", "Invalid email 'not-an-email-3'")
    close_window(window)


def test_export_rejects_then_reimport_the_fixed_file_links_the_two_jobs(qtbot, service, tmp_path):
    job_id = imported(service, tmp_path, 200, bad_every=20)
    window = jobs_window(qtbot, service, tmp_path)
    select_job(qtbot, window, job_id)
    ws = window.jobs
    assert ws.actions.export_rejects.isEnabled()
    ws.actions.export_rejects.trigger()
    out = tmp_path / "rejects.csv"
    choose_file(qtbot, window, "export_rejects_dialog", out)
    qtbot.waitUntil(lambda: out.exists())
    qtbot.waitUntil(lambda: "10 rejected line(s) written" in window.statusBar().currentMessage())
    text = out.read_text(encoding="utf-8")
    assert text.count("\n") == 11 and "not-an-email-19" in text

    fixed = tmp_path / "fixed.csv"
    fixed.write_text(re.sub(r"not-an-email-(\d+)", r"fixed\1@example.com", text), encoding="utf-8")
    ws.editor.rejects_tab.reimport_button.click()
    choose_file(qtbot, window, "reimport_dialog", fixed)
    qtbot.waitUntil(lambda: window.jobs.model.rowCount() == 2)
    new_id = window.jobs.model.item(0).id
    assert new_id != job_id
    wait_until_ended(qtbot, window, new_id, JobStatus.FINISHED)
    new = service.jobs.get(new_id)
    assert new.parent_job_id == job_id and new.counters.inserted == 10 and "(fixed rejects)" in new.label
    assert service.count_recipients() == 200
    close_window(window)


def test_the_log_follows_the_job_and_filters_by_level(qtbot, gui_service, tmp_path):
    job_id = imported(gui_service, tmp_path, 150, bad_every=0)
    window = jobs_window(qtbot, gui_service, tmp_path)
    select_job(qtbot, window, job_id)
    editor = window.jobs.editor
    qtbot.waitUntil(lambda: editor.journal.rowCount() >= 3)
    proxy = editor.journal_proxy
    everything = proxy.rowCount()
    levels = {proxy.index(r, 0).data(LEVEL_ROLE) for r in range(everything)}
    assert levels == {"info"}
    editor.level_filter.setCurrentIndex(editor.level_filter.findText("Errors"))
    assert proxy.rowCount() == 0
    editor.level_filter.setCurrentIndex(editor.level_filter.findText("All levels"))
    assert proxy.rowCount() == everything
    assert "End of import" in proxy.index(everything - 1, 2).data()
    close_window(window)


def test_the_jobs_list_filters_by_status_and_type_with_its_counter(qtbot, gui_service, tmp_path):
    done = imported(gui_service, tmp_path, 50, bad_every=0, name="a.csv")
    editing = gui_service.create_import_job(str(tmp_path / "a.csv"), "newImport")
    window = jobs_window(qtbot, gui_service, tmp_path)
    qtbot.waitUntil(lambda: window.list_pane.counter.text() == "2 / 2")
    filters = window.jobs.filters
    filters.status_actions[JobStatus.FINISHED.value].trigger()
    assert window.list_pane.counter.text() == "1 / 2"
    shown = window.list_pane.proxy.index(0, 0).data(ITEM_ROLE)
    assert shown.id == done
    filters.status_actions[JobStatus.BEING_EDITED.value].trigger()
    assert window.list_pane.proxy.index(0, 0).data(ITEM_ROLE).id == editing
    filters.kind_actions["export"].trigger()
    assert window.list_pane.counter.text() == "0 / 2"
    filters.status_actions["group:0"].trigger()
    filters.kind_actions["all"].trigger()
    assert window.list_pane.counter.text() == "2 / 2" and filters.button.text() == "Filters"
    window.list_pane.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # by status: Being edited < Finished
    proxy = window.list_pane.proxy
    assert [proxy.index(r, 0).data(ITEM_ROLE).id for r in range(2)] == [editing, done]
    window.list_pane.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert [proxy.index(r, 0).data(ITEM_ROLE).id for r in range(2)] == [done, editing]
    assert status_of(window, done) is JobStatus.FINISHED

    menu = right_click_row(window, "Being edited")  # the row is found by its first column, the status
    enabled = [a.text().replace("&", "") for a in menu.actions() if a.isEnabled()]
    assert enabled == ["Edit…", "Start"]  # a job being edited: reopen it in its wizard, or run it
    menu.close()
    close_window(window)


def test_actions_apply_only_to_the_jobs_they_fit(gui_service, tmp_path):
    from tests.gui.helpers import add_finished_job

    job_id = add_finished_job(gui_service, "May prospects")
    item = next(j for j in gui_service.browse().jobs() if j.id == job_id)
    states = job_action_states(item)
    assert [n for n, s in states.items() if s.enabled] == ["export_rejects"]
    running = {n for n, s in job_action_states(_with(item, JobStatus.RUNNING)).items() if s.enabled}
    assert running == {"pause", "stop", "export_rejects"}
    paused = {n for n, s in job_action_states(_with(item, JobStatus.PAUSED)).items() if s.enabled}
    assert paused == {"resume", "export_rejects"}
    assert not any(s.enabled for s in job_action_states(None).values())


def _with(item, status):  # type: ignore[no-untyped-def]
    import dataclasses

    return dataclasses.replace(item, status=status)


def test_every_jobs_model_passes_the_model_tester(qtmodeltester, qtbot, gui_service, tmp_path):
    from campaign_desktop.gui.jobs.jobs_model import JobsModel
    from campaign_desktop.gui.workers import TaskRunner

    job_id = imported(gui_service, tmp_path, 300, bad_every=3)
    jobs = JobsModel()
    jobs.set_items(gui_service.browse().jobs())
    qtmodeltester.check(jobs)
    journal = JournalModel()
    journal.reset_for(job_id)
    journal.append(job_id, gui_service.jobs.journal(job_id))
    qtmodeltester.check(journal)
    proxy = LevelFilterProxy()
    proxy.setSourceModel(journal)
    proxy.set_levels(frozenset({Level.INFO}))
    qtmodeltester.check(proxy)
    runner = TaskRunner()
    rejects = RejectsModel(lambda job, after, n: rejects_page(gui_service.engine, job, after, n),
                           gui_service.jobs.count_rejects, runner, page_size=40)
    rejects.reload(job_id)
    qtbot.waitUntil(lambda: rejects.rowCount() == 40 and rejects.total == 100)
    qtmodeltester.check(rejects)
    assert runner.wait_for_idle()
    details = reject_details_model(rejects.reject(0))
    qtmodeltester.check(details)


def test_a_running_import_shows_an_estimated_total_until_it_knows_it(qtbot, gui_service, tmp_path):
    from campaign_desktop.domain.job import Counters, Progress

    job_id = imported(gui_service, tmp_path, 150, bad_every=0)
    window = jobs_window(qtbot, gui_service, tmp_path)
    select_job(qtbot, window, job_id)
    editor = window.jobs.editor
    total = editor.counter_labels["total"]
    qtbot.waitUntil(lambda: total.text() == "150")
    running = Progress(job_id, JobStatus.RUNNING, Counters(processed=31_250), lines_read=31_250,
                       bytes_read=2_500_000, bytes_total=80_000_000)
    editor.apply_progress(job_id, running)
    assert total.text() == f"≈ {format_count(1_000_000)}" and total.toolTip()
    done = Progress(job_id, JobStatus.FINISHED, Counters(total=999_990, processed=999_990), lines_read=999_990,
                    bytes_read=80_000_000, bytes_total=80_000_000)
    editor.apply_progress(job_id, done)
    assert total.text() == format_count(999_990) and not total.toolTip()
    close_window(window)
