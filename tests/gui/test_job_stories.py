"""A marketer runs and follows import jobs from the window: start, pause, resume, stop, a crash.

Real files, real widgets, on SQLite and on PostgreSQL (the ``service`` fixture).
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QToolButton

from campaign_desktop.domain.job import JobStatus
from campaign_desktop.domain.template import JobKind
from campaign_desktop.gui.jobs.workspace import open_start_dialog
from campaign_desktop.gui.models.item_table import format_count
from campaign_desktop.services import CampaignService
from tests.gui.jobs_helpers import (
    RUN_TIMEOUT_MS,
    close_window,
    jobs_window,
    leave_as_crashed,
    run_until_first_batch_then_pause,
    select_job,
    status_of,
    wait_until_ended,
)
from tests.gui.wizard_helpers import start_and_wait, walk_to_execution
from tests.support.files import write_recipients_csv


def test_start_an_import_from_the_quick_dialog_and_see_it_finish_with_true_counters(qtbot, service, tmp_path):
    path = write_recipients_csv(tmp_path / "prospects.csv", 300, bad_every=50)
    window = jobs_window(qtbot, service, tmp_path)
    ws = window.jobs
    open_start_dialog(ws, JobKind.IMPORT)  # the quick entry point (the toolbar's opens the wizard)
    qtbot.waitUntil(lambda: ws.start_dialog is not None and ws.start_dialog.isVisible())
    dialog = ws.start_dialog
    assert not dialog.start_button.isEnabled()  # no file yet
    dialog.path.setText(str(tmp_path / "missing.csv"))
    assert "There is no file" in dialog.problem.text() and not dialog.start_button.isEnabled()
    dialog.path.setText(str(path))
    dialog.template.setCurrentIndex(dialog.template.findText("New text import"))
    assert dialog.start_button.isEnabled()
    dialog.start_button.click()

    qtbot.waitUntil(lambda: window.jobs.model.rowCount() == 1, timeout=RUN_TIMEOUT_MS)
    job_id = window.jobs.model.item(0).id
    wait_until_ended(qtbot, window, job_id, JobStatus.FINISHED)
    select_job(qtbot, window, job_id)
    editor = ws.editor
    qtbot.waitUntil(lambda: editor.status is JobStatus.FINISHED and editor.counter_labels["total"].text() == "300")
    counters = {k: lbl.text() for k, lbl in editor.counter_labels.items()}
    assert counters["processed"] == "300" and counters["success"] == "294" and counters["rejected"] == "6"
    assert editor.progress.value() == 1000
    assert editor.chart.values == {"inserted": 294, "updated": 0, "ignored": 0, "rejected": 6}
    assert window.list_pane.counter.text() == "1 / 1"
    assert service.count_recipients() == 294
    assert not ws.actions.pause.isEnabled() and not ws.actions.stop.isEnabled()
    assert ws.actions.export_rejects.isEnabled()
    close_window(window)


def test_pause_then_resume_imports_every_line_once(qtbot, service, tmp_path):
    path = write_recipients_csv(tmp_path / "big.csv", 3000)
    job_id = service.create_import_job(str(path), "newImport", options=["advanced.batch_size=100"])
    window = jobs_window(qtbot, service, tmp_path)
    select_job(qtbot, window, job_id)
    ws = window.jobs
    assert ws.actions.start.isEnabled() and not ws.actions.pause.isEnabled()
    ws.actions.start.trigger()
    assert ws.actions.pause.isEnabled() and not ws.actions.start.isEnabled()
    ws.actions.pause.trigger()
    assert status_of(window, job_id) is JobStatus.PAUSING
    assert ws.editor.status is JobStatus.PAUSING
    wait_until_ended(qtbot, window, job_id, JobStatus.PAUSED)
    paused = service.jobs.get(job_id)
    assert paused.status is JobStatus.PAUSED and 0 < paused.counters.processed < 3000
    assert service.count_recipients() == paused.counters.inserted

    qtbot.waitUntil(lambda: ws.actions.resume.isEnabled())
    ws.actions.resume.trigger()
    wait_until_ended(qtbot, window, job_id, JobStatus.FINISHED)
    done = service.jobs.get(job_id)
    assert (done.counters.processed, done.counters.inserted) == (3000, 3000)
    assert service.count_recipients() == 3000
    qtbot.waitUntil(lambda: ws.editor.counter_labels["processed"].text() == format_count(3000))
    qtbot.waitUntil(lambda: any("Resuming" in (ws.editor.journal.entry(r).message)
                                for r in range(ws.editor.journal.rowCount())))
    close_window(window)


def test_stop_asks_first_then_cancels_with_true_counts(qtbot, service, tmp_path):
    path = write_recipients_csv(tmp_path / "big.csv", 3000)
    job_id = service.create_import_job(str(path), "newImport", options=["advanced.batch_size=100"])
    window = jobs_window(qtbot, service, tmp_path)
    select_job(qtbot, window, job_id)
    ws = window.jobs
    ws.actions.start.trigger()
    ws.actions.pause.trigger()  # hold it at a batch boundary while we answer the question
    wait_until_ended(qtbot, window, job_id, JobStatus.PAUSED)
    ws.actions.resume.trigger()
    ws.actions.stop.trigger()
    box = window.findChild(QMessageBox, "confirm_stop")
    assert box is not None and box.text() == "Do you really want to cancel this job?"
    box.button(QMessageBox.StandardButton.Yes).click()
    assert status_of(window, job_id) is JobStatus.CANCELLING
    wait_until_ended(qtbot, window, job_id, JobStatus.CANCELLED)
    job = service.jobs.get(job_id)
    assert job.status is JobStatus.CANCELLED and job.counters.balanced()
    assert job.counters.processed < 3000
    assert service.count_recipients() == job.counters.inserted
    close_window(window)


def test_no_on_the_stop_question_keeps_the_job_running(qtbot, gui_service, tmp_path):
    path = write_recipients_csv(tmp_path / "p.csv", 400)
    job_id = gui_service.create_import_job(str(path), "newImport", options=["advanced.batch_size=100"])
    window = jobs_window(qtbot, gui_service, tmp_path)
    select_job(qtbot, window, job_id)
    ws = window.jobs
    ws.actions.start.trigger()
    ws.actions.stop.trigger()
    box = window.findChild(QMessageBox, "confirm_stop")
    box.button(QMessageBox.StandardButton.No).click()
    wait_until_ended(qtbot, window, job_id, JobStatus.FINISHED)
    assert gui_service.count_recipients() == 400
    close_window(window)


def test_a_job_whose_process_died_shows_interrupted_and_resumes_after_its_last_batch(qtbot, service, tmp_path):
    path = write_recipients_csv(tmp_path / "big.csv", 1000)
    job_id = service.create_import_job(str(path), "newImport", options=["advanced.batch_size=100"])
    run_until_first_batch_then_pause(service, job_id)
    leave_as_crashed(service, job_id)
    done_before = service.jobs.get(job_id).counters.processed
    assert done_before == 100

    restarted = CampaignService(service.engine)  # the app starting again
    assert restarted.interrupted_on_open == [job_id]
    window = jobs_window(qtbot, restarted, tmp_path)
    select_job(qtbot, window, job_id)
    ws = window.jobs
    assert status_of(window, job_id) is JobStatus.INTERRUPTED
    assert "stopped unexpectedly" in ws.editor.message.text()
    assert ws.actions.resume.isEnabled() and not ws.actions.start.isEnabled()
    ws.actions.resume.trigger()
    wait_until_ended(qtbot, window, job_id, JobStatus.FINISHED)
    job = restarted.jobs.get(job_id)
    assert (job.counters.processed, job.counters.inserted) == (1000, 1000)
    assert restarted.count_recipients() == 1000
    close_window(window)


def test_quitting_while_a_job_runs_asks_then_pauses_it(qtbot, gui_service, tmp_path):
    path = write_recipients_csv(tmp_path / "big.csv", 3000)
    job_id = gui_service.create_import_job(str(path), "newImport", options=["advanced.batch_size=100"])
    window = jobs_window(qtbot, gui_service, tmp_path)
    select_job(qtbot, window, job_id)
    window.jobs.actions.start.trigger()
    asked: list[str] = []

    def answer_yes() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.objectName() == "confirm_quit":
            asked.append(box.text())
            box.button(QMessageBox.StandardButton.Yes).click()
        else:
            QTimer.singleShot(20, answer_yes)

    QTimer.singleShot(0, answer_yes)
    assert window.close()
    assert asked == ["1 job(s) are running. Quit anyway?"]
    assert gui_service.jobs.get(job_id).status in (JobStatus.PAUSED, JobStatus.FINISHED)
    window.app.runner.wait_for_idle()


def test_two_jobs_run_at_once_and_both_count_true(qtbot, service, tmp_path):
    first = write_recipients_csv(tmp_path / "a.csv", 800)
    second = write_recipients_csv(tmp_path / "b.csv", 700, start=5000)
    ids = [service.create_import_job(str(p), "newImport", options=["advanced.batch_size=100"])
           for p in (first, second)]
    window = jobs_window(qtbot, service, tmp_path)
    for job_id in ids:
        select_job(qtbot, window, job_id)
        window.jobs.actions.start.trigger()
    assert ids[1] in window.jobs.pool.running()  # started while the first may still run
    for job_id in ids:
        wait_until_ended(qtbot, window, job_id, JobStatus.FINISHED)
    assert [service.jobs.get(j).counters.inserted for j in ids] == [800, 700]
    assert service.count_recipients() == 1500
    close_window(window)


def test_a_job_run_by_another_process_is_followed_and_paused_from_the_window(qtbot, gui_service, tmp_path):
    path = write_recipients_csv(tmp_path / "p.csv", 300)
    job_id = gui_service.create_import_job(str(path), "newImport", options=["advanced.batch_size=100"])
    run_until_first_batch_then_pause(gui_service, job_id)
    gui_service.jobs.claim(job_id, resuming=True)  # "running" in this (live) process, not in the window
    window = jobs_window(qtbot, gui_service, tmp_path)
    select_job(qtbot, window, job_id)
    ws = window.jobs
    assert status_of(window, job_id) is JobStatus.RUNNING and not ws.pool.is_running(job_id)
    ws.actions.pause.trigger()
    qtbot.waitUntil(lambda: gui_service.jobs.get(job_id).status is JobStatus.PAUSING)
    close_window(window)


def test_a_job_created_by_another_workstation_appears_in_the_list_by_itself(qtbot, service, tmp_path):
    window = jobs_window(qtbot, service, tmp_path)
    qtbot.waitUntil(lambda: window.list_pane.counter.text() == "0 / 0")
    path = write_recipients_csv(tmp_path / "p.csv", 50)
    elsewhere = CampaignService(service.engine)  # another process's view of the same database
    job_id = elsewhere.create_import_job(str(path))
    elsewhere.run_job(job_id)
    qtbot.waitUntil(lambda: window.jobs.model.row_of(job_id) >= 0, timeout=10_000)
    assert status_of(window, job_id) is JobStatus.FINISHED and window.list_pane.counter.text() == "1 / 1"
    close_window(window)


def test_the_home_page_shows_jobs_cards_and_starts_an_import_from_supervision(qtbot, gui_service, tmp_path):
    from campaign_desktop.domain import explorer

    path = write_recipients_csv(tmp_path / "p.csv", 200)
    paused = gui_service.create_import_job(str(path), "newImport", options=["advanced.batch_size=100"])
    run_until_first_batch_then_pause(gui_service, paused)
    window = jobs_window(qtbot, gui_service, tmp_path)
    window.select_node(explorer.HOME)
    home = window.jobs.home
    qtbot.waitUntil(lambda: len(home.cards) == 1)
    card = home.cards[0]
    assert card.property("job_id") == paused
    assert card.findChild(QLabel, "job_badge").text() == "Paused"
    assert home.export_link.isEnabled()  # the export engine is installed
    home.export_link.linkActivated.emit("export")  # Supervision ▸ Export opens the export wizard
    qtbot.waitUntil(lambda: getattr(window, "export_wizard", None) is not None and window.export_wizard.isVisible())
    window.export_wizard.confirm_discard = lambda: True
    window.export_wizard.close()
    menu = card.findChild(QToolButton, "job_card_actions").menu()
    assert [a.text() for a in menu.actions()] == ["Open", "Resume"]
    menu.actions()[1].trigger()  # Actions ▸ Resume
    wait_until_ended(qtbot, window, paused, JobStatus.FINISHED)
    qtbot.waitUntil(lambda: home.cards[0].findChild(QLabel, "job_badge").text() == "Finished")
    assert gui_service.count_recipients() == 200

    home.import_link.linkActivated.emit("import")  # Supervision ▸ Import opens the import wizard
    qtbot.waitUntil(lambda: window.import_wizard is not None and window.import_wizard.isVisible())
    wizard = window.import_wizard
    wizard.confirm_discard = lambda: True
    walk_to_execution(qtbot, wizard, write_recipients_csv(tmp_path / "q.csv", 50, start=1000), label="From home")
    new_id = start_and_wait(qtbot, wizard)
    wizard.close()
    qtbot.waitUntil(lambda: window.jobs.model.job(new_id) is not None)  # the wizard's job is listed
    qtbot.waitUntil(lambda: status_of(window, new_id) is JobStatus.FINISHED, timeout=RUN_TIMEOUT_MS)
    assert gui_service.count_recipients() == 250
    close_window(window)
