"""Stories of the Recipients, Lists and Services views, on SQLite and on a real PostgreSQL server.

A marketer searches and sorts a recipients table, opens a profile, mistypes an email and is
told beside the field, adds a selection to a list, deletes two recipients after a confirmation
that counts them, manages lists and folders. Real widgets, real databases, nothing mocked.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWizard
from sqlalchemy import update

from campaign_desktop.domain import explorer
from campaign_desktop.gui.explorer.recipients_page import RecipientsPage
from campaign_desktop.storage.schema import recipients
from tests.gui.helpers import add_finished_job, add_list, add_recipients, add_service, make_app, open_window


def _window(qtbot, service, tmp_path, count=450):  # type: ignore[no-untyped-def]
    add_recipients(service, count)
    app = make_app(service, tmp_path)
    window = open_window(qtbot, app)
    window.select_node(explorer.RECIPIENTS)
    page: RecipientsPage = window.audience.page
    qtbot.waitUntil(lambda: page.pane.counter.text() == f"{min(200, count)} / {count}")
    return app, window, page


def _settled(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    """The reload that follows a write has delivered its first page (select rows only then)."""
    qtbot.waitUntil(lambda: not page.model.loading and page.model.total is not None)


def _close(window, app) -> None:  # type: ignore[no-untyped-def]
    window.close()
    assert app.runner.wait_for_idle()


def _cell(page, row, column):  # type: ignore[no-untyped-def]
    return page.pane.proxy.index(row, column).data()


def test_search_and_sort_run_in_the_database(qtbot, qtmodeltester, service, tmp_path):
    app, window, page = _window(qtbot, service, tmp_path)
    qtmodeltester.check(page.model)

    qtbot.keyClicks(page.search, "PERSON001")  # case does not matter; the search waits for a pause
    qtbot.waitUntil(lambda: page.pane.counter.text() == "10 / 10")
    assert _cell(page, 0, 0) == "person0010@example.com"

    page.search_field.setCurrentIndex(page.search_field.findData("last_name"))
    page.search.setText("last044")
    page.search.returnPressed.emit()
    qtbot.waitUntil(lambda: page.pane.counter.text() == "10 / 10" and _cell(page, 0, 2) == "Last0440")
    page.search_field.setCurrentIndex(page.search_field.findData("account"))  # remembered for next time
    qtbot.waitUntil(lambda: page.pane.counter.text() == "0 / 0")
    assert app.settings.recipient_search_field == "account"

    page.search.clear()
    page.apply_search()
    qtbot.waitUntil(lambda: page.pane.counter.text() == "200 / 450")
    page.pane.view.sortByColumn(2, Qt.SortOrder.DescendingOrder)  # Last name, every recipient takes part
    qtbot.waitUntil(lambda: _cell(page, 0, 2) == "Last0449")
    page.pane.view.scrollToBottom()
    qtbot.waitUntil(lambda: page.pane.counter.text() == "400 / 450")
    assert _cell(page, 399, 2) == "Last0050"
    _close(window, app)


def test_a_profile_opens_on_double_click_and_a_bad_email_is_shown_beside_the_field(qtbot, service, tmp_path):
    app, window, page = _window(qtbot, service, tmp_path)
    job = add_finished_job(service, "Prospects May")
    with service.engine.begin() as conn:
        conn.execute(update(recipients).where(recipients.c.id == 1).values(created_by_job_id=job))
    add_list(service, "VIP", [1])
    view = page.pane.view
    where = view.visualRect(page.pane.proxy.index(0, 1)).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    form = page.form
    assert form is not None
    qtbot.waitUntil(lambda: form.record is not None)
    assert form.value("email") == "person0000@example.com" and form.value("city") == "Paris"
    assert form.facts["lists"].text() == "VIP"
    assert form.facts["created_by_job"].text() == f"Prospects May (job #{job})"

    form.set_text("email", "ann.lee@")
    with qtbot.waitSignal(form.save_refused):
        form.save_button.click()
    assert form.errors["email"].isVisible()
    assert "Invalid email 'ann.lee@'" in form.errors["email"].text()
    assert form.isVisible()  # nothing saved, the user corrects it

    form.set_text("email", "Ann.Lee@Example.COM")
    form.set_text("country_code", "fr")
    with qtbot.waitSignal(form.saved):
        form.save_button.click()
    qtbot.waitUntil(lambda: _cell(page, 0, 0) == "Ann.Lee@example.com")
    assert service.recipients.get(1).values["country_code"] == "FR"
    _close(window, app)


def test_a_selection_goes_to_a_new_list_then_two_recipients_are_deleted(qtbot, service, tmp_path):
    app, window, page = _window(qtbot, service, tmp_path)
    page.select_rows([0, 1, 2])
    actions = page.context_actions()
    assert actions["export"].isEnabled()
    actions["export"].trigger()  # the export wizard opens on exactly these three recipients
    wizard = next(w for w in window.findChildren(QWizard) if w.objectName() == "export_wizard")
    wizard.confirm_discard = lambda: True
    assert wizard.draft.export_settings.filter.children[0].value == page.selected_ids()
    wizard.close()
    actions["add_to_list"].trigger()
    qtbot.waitUntil(lambda: page.list_dialog is not None and page.list_dialog.isVisible())
    page.list_dialog.setTextValue("Gold customers")  # a new label: the list is created
    page.list_dialog.accept()
    qtbot.waitUntil(lambda: page.status.text() == "3 recipients added to “Gold customers”.")
    assert [(li.label, li.members) for li in service.browse().lists()] == [("Gold customers", 3)]

    _settled(qtbot, page)
    page.select_rows([3, 4])
    page.context_actions()["denylist"].trigger()
    qtbot.waitUntil(lambda: page.status.text() == "2 recipients denylisted.")
    qtbot.waitUntil(lambda: _cell(page, 3, 5) == "Yes" and _cell(page, 4, 5) == "Yes")

    _settled(qtbot, page)
    page.select_rows([0, 1])
    page.context_actions()["delete"].trigger()
    box = page.confirm_box
    assert box is not None and "Delete 2 recipients?" in box.text()
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: page.pane.counter.text() == "200 / 448")
    assert _cell(page, 0, 0) == "person0002@example.com"
    assert [(li.label, li.members) for li in service.browse().lists()] == [("Gold customers", 1)]
    _close(window, app)


def test_lists_are_created_renamed_opened_trimmed_and_deleted(qtbot, service, tmp_path):
    app, window, page = _window(qtbot, service, tmp_path, count=20)
    add_list(service, "VIP", [1, 2, 3])
    add_service(service, "Newsletter", [2, 4])
    window.select_node(explorer.LISTS)
    pane = window.list_pane
    qtbot.waitUntil(lambda: pane.counter.text() == "1 / 1")
    window.audience.create_list("Prospects")
    qtbot.waitUntil(lambda: pane.counter.text() == "2 / 2" and window.selected_item() is not None
                    and window.selected_item().label == "Prospects")
    window.audience.rename_list(window.selected_item().key, "Prospects 2025")
    qtbot.waitUntil(lambda: window.selected_item() is not None and window.selected_item().label == "Prospects 2025")

    vip_row = pane.proxy.mapFromSource(pane.source.index(pane.source.row_of(1), 0))
    where = pane.view.visualRect(vip_row).center()
    qtbot.mouseClick(pane.view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(pane.view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.waitUntil(lambda: page.isVisible() and page.pane.counter.text() == "3 / 3")
    assert page.caption.text() == "Members of the list “VIP”"
    page.select_rows([0])
    page.context_actions()["remove_from_list"].trigger()
    qtbot.waitUntil(lambda: page.pane.counter.text() == "2 / 2")
    page.back_button.click()
    qtbot.waitUntil(lambda: pane.isVisible() and pane.source.item(pane.source.row_of(1)).members == 2)
    pane.select_key(1)
    window.actions.delete.trigger()
    box = window.audience.confirm_box
    assert box is not None and "(2 members)" in box.text()
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: pane.counter.text() == "1 / 1")

    window.select_node(explorer.SERVICES)
    qtbot.waitUntil(lambda: pane.counter.text() == "1 / 1")
    pane.select_key(pane.source.item(0).key)
    window.audience.open_members.trigger()
    qtbot.waitUntil(lambda: page.pane.counter.text() == "2 / 2")
    assert page.caption.text() == "Subscribers of “Newsletter”"
    _close(window, app)


def test_sub_folders_filter_the_table_and_hidden_columns_are_remembered(qtbot, service, tmp_path):
    app, window, page = _window(qtbot, service, tmp_path, count=30)
    page.create_folder("North")
    qtbot.waitUntil(lambda: window.current_node is not None and window.current_node.label == "North")
    north = explorer.recipient_folder_id(window.current_node.key)
    qtbot.waitUntil(lambda: page.pane.counter.text() == "0 / 0")
    page.create_folder("Lille")  # under North, the folder shown
    qtbot.waitUntil(lambda: window.current_node is not None and window.current_node.label == "Lille")
    lille = explorer.recipient_folder_id(window.current_node.key)
    assert window.current_node.parent.label == "North"
    with service.engine.begin() as conn:
        conn.execute(update(recipients).where(recipients.c.id <= 4).values(folder_id=lille))
        conn.execute(update(recipients).where(recipients.c.id == 5).values(folder_id=north))
    window.refresh()
    qtbot.waitUntil(lambda: page.pane.counter.text() == "4 / 4")
    window.select_node(f"{explorer.RECIPIENT_FOLDER_PREFIX}{north}")
    qtbot.waitUntil(lambda: page.pane.counter.text() == "5 / 5")  # a folder shows its sub-folders' too

    page.column_actions["city"].setChecked(False)
    assert page.pane.view.horizontalHeader().isSectionHidden(4)
    _close(window, app)
    again = open_window(qtbot, app)
    qtbot.waitUntil(lambda: again.current_node is not None and again.current_node.label == "North")
    assert again.audience.page.pane.view.horizontalHeader().isSectionHidden(4)
    assert not again.audience.page.column_actions["city"].isChecked()
    _close(again, app)


def test_export_on_a_list_opens_the_export_wizard_on_its_members(qtbot, gui_service, tmp_path):
    app, window, _page = _window(qtbot, gui_service, tmp_path, count=20)
    add_list(gui_service, "VIP", [1, 2, 3])
    window.select_node(explorer.LISTS)
    pane = window.list_pane
    qtbot.waitUntil(lambda: pane.counter.text() == "1 / 1")
    pane.select_key(pane.source.item(0).key)
    qtbot.waitUntil(lambda: window.selected_item() is not None)
    window.audience.export_list.trigger()
    wizard = window.export_wizard
    wizard.confirm_discard = lambda: True
    assert wizard.isVisible()
    assert wizard.draft.export_settings.document_type == "list:VIP"
    with qtbot.waitSignal(window.job_started, timeout=1000) as followed:  # the Jobs view follows its job
        wizard.job_started.emit(4242)
    assert followed.args == [4242]
    wizard.close()
    _close(window, app)
