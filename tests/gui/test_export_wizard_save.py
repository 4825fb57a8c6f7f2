"""Stories of the export wizard's Save (spec §2.5): a half-configured export is a job Being edited.

As in the import wizard: Save stores the job (status Being edited) and the title loses its ``*``;
Edit… or a double-click in Jobs > Generic imports and exports reopens it with every page as
saved; Start there runs that same job, and Start in the Jobs list runs it too.
"""

from __future__ import annotations

import csv

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from campaign_desktop.domain.job import JobStatus
from campaign_desktop.domain.template import Condition, JobKind
from campaign_desktop.gui.wizards.export.wizard import SAVE_BUTTON
from tests.core.export.support import seed
from tests.gui.jobs_helpers import close_window, jobs_window, select_job, status_of, wait_until_ended
from tests.gui.test_export_wizard import open_export, press_next, settle


def never_asked() -> bool:
    raise AssertionError("closing a saved export must not ask about unsaved changes")


def walk_half_way(qtbot, wizard, out) -> None:  # type: ignore[no-untyped-def]
    """Label, file, ';' separator, two columns, sorted by email; stop on the filter page."""
    wizard.template_page.label_edit.clear()
    qtbot.keyClicks(wizard.template_page.label_edit, "Weekly Lyon")
    press_next(qtbot, wizard)
    qtbot.keyClicks(wizard.file_page.path_edit, str(out))
    press_next(qtbot, wizard)
    fmt = wizard.format_page
    fmt.separator_combo.setCurrentIndex(fmt.separator_combo.findData(";"))
    press_next(qtbot, wizard)
    wizard.columns_page.add_field("email")
    wizard.columns_page.add_field("city")
    press_next(qtbot, wizard)
    wizard.sort_page.add_sort("email")
    press_next(qtbot, wizard)
    wizard.filter_page.add_condition(Condition("equals", field="city", value="Lyon"))


def save(qtbot, wizard) -> int:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(wizard.saved, timeout=10_000) as saved:
        wizard.button(SAVE_BUTTON).click()
    settle(wizard)
    return int(saved.args[0])


def test_a_marketer_saves_an_export_half_way_and_comes_back_to_it(qtbot, gui_service, tmp_path):
    seed(gui_service, tmp_path)
    out = tmp_path / "weekly.csv"
    wizard = open_export(qtbot, gui_service)
    walk_half_way(qtbot, wizard, out)
    assert wizard.windowTitle() == "Data export 'Weekly Lyon'*"
    job_id = save(qtbot, wizard)
    assert wizard.windowTitle() == "Data export 'Weekly Lyon'"  # saved: no star
    job = gui_service.jobs.get(job_id)
    assert (job.kind, job.status, job.label) == (JobKind.EXPORT, JobStatus.BEING_EDITED, "Weekly Lyon")
    assert job.source_path == str(out.resolve()) and not out.exists()  # saved, not run
    saved_doc = wizard.draft.to_document()
    wizard.confirm_discard = never_asked
    wizard.close()
    assert not wizard.isVisible()

    window = jobs_window(qtbot, gui_service, tmp_path)
    jobs_before = len(gui_service.jobs.list())
    select_job(qtbot, window, job_id)
    assert status_of(window, job_id) is JobStatus.BEING_EDITED
    assert window.jobs.actions.edit.isEnabled()
    view = window.list_pane.view
    row = view.currentIndex()
    where = view.visualRect(row).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.waitUntil(lambda: getattr(window, "export_wizard", None) is not None and window.export_wizard.isVisible())
    again = window.export_wizard
    again.confirm_discard = lambda: True
    assert again.job_id == job_id and again.windowTitle() == "Data export 'Weekly Lyon'"
    assert again.draft.to_document() == saved_doc
    assert again.template_page.label_edit.text() == "Weekly Lyon"
    press_next(qtbot, again)
    assert again.file_page.path_edit.text() == str(out.resolve())
    press_next(qtbot, again)
    assert again.format_page.separator_combo.currentData() == ";"
    press_next(qtbot, again)
    assert [c.expression for c in again.columns_page.columns_model.items] == ["email", "city"]
    press_next(qtbot, again)
    assert again.sort_page.sort_model.index(0, 0).data(Qt.ItemDataRole.EditRole) == "email"
    press_next(qtbot, again)
    fp = again.filter_page
    assert fp.summary_label.text() == "Query: City equal to 'Lyon'"
    assert again.windowTitle() == "Data export 'Weekly Lyon'"  # showing the pages is not an edit

    fp.add_condition(Condition("equals", field="city", value="Paris"))  # changed its mind: Lyon or Paris
    fp.join_combo.setCurrentIndex(fp.join_combo.findData("or"))
    assert again.windowTitle() == "Data export 'Weekly Lyon'*"
    again.template_page.label_edit.setText("Weekly Lyon and Paris")
    assert save(qtbot, again) == job_id  # the same job, updated
    assert gui_service.jobs.get(job_id).label == "Weekly Lyon and Paris"
    qtbot.waitUntil(lambda: not fp.count_timer.isActive(), timeout=5000)
    settle(again)
    assert fp.count_label.text() == "3 recipient(s) match."
    press_next(qtbot, again)
    press_next(qtbot, again)
    with qtbot.waitSignal(again.job_finished, timeout=20_000) as finished:
        with qtbot.waitSignal(again.job_started, timeout=10_000) as started:
            again.execution_page.start_button.click()
    settle(again)
    assert started.args[0] == finished.args[0] == job_id  # Start ran the saved job, not a copy
    assert len(gui_service.jobs.list()) == jobs_before
    assert gui_service.jobs.get(job_id).status is JobStatus.FINISHED
    assert not again.button(SAVE_BUTTON).isEnabled() and not again.is_dirty
    rows = list(csv.reader(out.open(newline="", encoding="utf-8"), delimiter=";"))
    assert rows == [["Email", "City"], ["ann@x.com", "Paris"], ["bob@x.com", "Lyon"], ["dee@x.com", "Paris"]]
    wait_until_ended(qtbot, window, job_id, JobStatus.FINISHED)
    close_window(window)


def test_an_unsaved_export_asks_before_closing_and_a_saved_one_starts_from_the_jobs_list(qtbot, gui_service,
                                                                                         tmp_path):
    seed(gui_service, tmp_path)
    out = tmp_path / "lyon.csv"
    wizard = open_export(qtbot, gui_service)
    walk_half_way(qtbot, wizard, out)
    asked: list[bool] = []
    wizard.confirm_discard = lambda: asked.append(True) or False  # the user answers Cancel
    wizard.reject()
    assert asked == [True] and wizard.isVisible()
    job_id = save(qtbot, wizard)
    wizard.confirm_discard = never_asked
    wizard.button(QWizard.WizardButton.CancelButton).click()
    assert not wizard.isVisible()

    window = jobs_window(qtbot, gui_service, tmp_path)
    select_job(qtbot, window, job_id)
    window.jobs.actions.start.trigger()  # Start in the list runs the saved export as it is
    wait_until_ended(qtbot, window, job_id, JobStatus.FINISHED)
    rows = list(csv.reader(out.open(newline="", encoding="utf-8"), delimiter=";"))
    assert rows == [["Email", "City"], ["bob@x.com", "Lyon"]]
    assert not window.jobs.actions.edit.isEnabled()  # it ran: history, no longer a draft
    copy = open_export(qtbot, gui_service, job_id=job_id)  # its definition starts a new export
    assert copy.job_id is None and copy.windowTitle() == "Data export 'Weekly Lyon'*"
    assert copy.out_path == str(out.resolve()) and len(copy.draft.export_settings.columns) == 2
    close_window(window)


def test_a_saved_import_reopens_in_the_import_wizard_from_the_list_and_from_its_home_card(qtbot, gui_service,
                                                                                          tmp_path):
    from PySide6.QtWidgets import QToolButton

    from campaign_desktop.domain import explorer

    source = tmp_path / "crm.csv"
    source.write_text("email\nann@x.com\n", encoding="utf-8")
    job_id = gui_service.create_import_job(str(source), label="Monthly CRM")  # saved, never run
    window = jobs_window(qtbot, gui_service, tmp_path)
    select_job(qtbot, window, job_id)
    window.jobs.actions.edit.trigger()
    qtbot.waitUntil(lambda: getattr(window, "import_wizard", None) is not None and window.import_wizard.isVisible())
    wizard = window.import_wizard
    wizard.confirm_discard = lambda: True
    assert wizard.job_id == job_id and wizard.windowTitle() == "Data import 'Monthly CRM'"
    wizard.close()

    window.select_node(explorer.HOME)
    home = window.jobs.home
    qtbot.waitUntil(lambda: len(home.cards) == 1)
    menu = home.cards[0].findChild(QToolButton, "job_card_actions").menu()
    assert [a.text() for a in menu.actions()] == ["Open", "Edit…", "Start"]
    menu.actions()[1].trigger()  # Actions ▸ Edit…
    qtbot.waitUntil(lambda: window.import_wizard is not wizard and window.import_wizard.isVisible())
    window.import_wizard.confirm_discard = lambda: True
    assert window.import_wizard.job_id == job_id
    window.import_wizard.close()
    close_window(window)


def test_an_export_started_elsewhere_while_its_wizard_is_open_can_no_longer_be_saved(qtbot, service, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    seed(service, tmp_path)
    out = tmp_path / "lyon.csv"
    wizard = open_export(qtbot, service)
    walk_half_way(qtbot, wizard, out)
    job_id = save(qtbot, wizard)
    assert service.run_job(job_id).status is JobStatus.FINISHED  # a colleague pressed Start in the Jobs list
    wizard.template_page.label_edit.setText("Weekly Lyon, renamed")
    wizard.button(SAVE_BUTTON).click()
    qtbot.waitUntil(lambda: wizard.findChild(QMessageBox, "wizard_message") is not None)
    settle(wizard)
    box = wizard.findChild(QMessageBox, "wizard_message")
    assert "finished: it can no longer be changed" in box.text()
    box.close()
    assert service.jobs.get(job_id).label == "Weekly Lyon" and wizard.is_dirty
