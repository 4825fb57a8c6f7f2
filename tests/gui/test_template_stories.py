"""A marketer works with job templates in the explorer: the stories of the Foundation issue."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QMenu, QMessageBox

from campaign_desktop.domain import explorer
from campaign_desktop.domain.explorer import TemplateItem
from campaign_desktop.gui.explorer.main_window import MainWindow

BUILTINS = {"New text import", "Import denylist", "Import recipients into a list", "New text export"}


def open_templates(qtbot, window: MainWindow, count: int = 4) -> None:
    window.select_node(explorer.JOB_TEMPLATES)
    qtbot.waitUntil(lambda: window.list_pane.proxy.rowCount() == count)


def visible_labels(window: MainWindow) -> list[str]:
    proxy = window.list_pane.proxy
    return [proxy.index(r, 0).data() for r in range(proxy.rowCount())]


def row_rect_center(window: MainWindow, label: str) -> QPoint:
    proxy = window.list_pane.proxy
    row = visible_labels(window).index(label)
    return window.list_pane.view.visualRect(proxy.index(row, 0)).center()


def click_row(qtbot, window: MainWindow, label: str) -> None:
    qtbot.mouseClick(window.list_pane.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=row_rect_center(window, label))
    assert window.selected_item() is not None and window.selected_item().label == label


def right_click_row(window: MainWindow, label: str) -> QMenu:
    """Right-click a row as a mouse does (a context-menu event), return the menu that opened."""
    viewport = window.list_pane.view.viewport()
    pos = row_rect_center(window, label)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, viewport.mapToGlobal(pos))
    QApplication.sendEvent(viewport, event)
    menu = window.findChild(QMenu, "list_context_menu")
    assert menu is not None and menu.isVisible()
    return menu


def menu_action(menu: QMenu, text: str):  # type: ignore[no-untyped-def]
    return next(a for a in menu.actions() if a.text().replace("&", "") == text)


def message_box(window: MainWindow, name: str) -> QMessageBox:
    box = window.findChild(QMessageBox, name)
    assert box is not None, f"no message box {name!r} is shown"
    return box


def test_a_marketer_opens_the_app_and_sees_the_explorer_and_the_four_builtins(qtbot, window):
    assert window.windowTitle() == "Campaign Desktop — c.db"
    model = window.explorer_model
    top = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert top == ["Home", "Profiles and Targets", "Resources"]
    assert window.current_node.key == explorer.HOME  # a fresh profile starts on Home
    assert window.pages.currentWidget() is window.home

    open_templates(qtbot, window)

    assert set(visible_labels(window)) == BUILTINS
    headers = [window.list_pane.proxy.headerData(c, Qt.Orientation.Horizontal)
               for c in range(window.list_pane.proxy.columnCount())]
    assert headers == ["Label", "Description", "Created by", "Creation date", "Internal name"]
    assert window.node_title.text() == "Resources › Templates › Job templates"


def test_the_counter_reads_4_of_4(qtbot, window):
    open_templates(qtbot, window)
    assert window.list_pane.counter.text() == "4 / 4"


def test_builtins_show_a_lock_and_the_read_only_banner(qtbot, window):
    open_templates(qtbot, window)
    click_row(qtbot, window, "New text import")

    proxy = window.list_pane.proxy
    row = visible_labels(window).index("New text import")
    assert not proxy.index(row, 0).data(Qt.ItemDataRole.DecorationRole).isNull()
    form = window.form
    assert window.detail.currentWidget() is form
    assert form.title.text() == "Job template “New text import”"
    assert form.banner.isVisible()
    assert form.banner_text.text() == "Built-in template: duplicate it to make changes"
    assert form.label_edit.isReadOnly() and form.description_edit.isReadOnly()
    assert not form.save_button.isVisible()
    assert "Destination fields are guessed from the file's column names." in form.summary.toPlainText()


def test_right_click_duplicate_on_a_builtin_creates_a_copy_and_selects_it(qtbot, window):
    open_templates(qtbot, window)
    menu = right_click_row(window, "New text import")
    assert [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()] == [
        "Duplicate", "Rename", "Delete", "Start"]

    menu_action(menu, "Duplicate").trigger()
    menu.close()

    qtbot.waitUntil(lambda: window.list_pane.proxy.rowCount() == 5)
    qtbot.waitUntil(lambda: window.selected_item() is not None
                    and window.selected_item().label == "Copy of New text import")
    copy = window.selected_item()
    assert isinstance(copy, TemplateItem) and not copy.builtin
    assert window.form.title.text() == "Job template “Copy of New text import”"
    assert not window.form.banner.isVisible()
    assert window.list_pane.counter.text() == "5 / 5"
    service = window.app.service
    assert service.templates.get("Copy of New text import").created_by == service.operator


def test_rename_and_delete_are_disabled_on_a_builtin_and_enabled_on_its_copy(qtbot, window):
    open_templates(qtbot, window)
    menu = right_click_row(window, "Import denylist")
    assert menu_action(menu, "Duplicate").isEnabled()
    assert not menu_action(menu, "Rename").isEnabled()
    assert not menu_action(menu, "Delete").isEnabled()
    assert menu_action(menu, "Rename").toolTip() == "Built-in template: duplicate it to make changes"
    start = menu_action(menu, "Start")
    assert start.isEnabled() and start.toolTip() == "Start a job from “Import denylist”"
    menu.close()

    window.actions.duplicate.trigger()
    qtbot.waitUntil(lambda: window.selected_item() is not None
                    and window.selected_item().label == "Copy of Import denylist")
    menu = right_click_row(window, "Copy of Import denylist")
    assert menu_action(menu, "Rename").isEnabled()
    assert menu_action(menu, "Delete").isEnabled()
    assert menu_action(menu, "Start").isEnabled()
    menu.close()


def test_delete_asks_then_removes_the_copy(qtbot, window):
    open_templates(qtbot, window)
    click_row(qtbot, window, "New text export")
    window.actions.duplicate.trigger()
    qtbot.waitUntil(lambda: window.list_pane.proxy.rowCount() == 5)
    qtbot.waitUntil(lambda: window.selected_item().label == "Copy of New text export")

    window.actions.delete.trigger()
    box = message_box(window, "confirm_delete")
    assert box.text() == "Delete the template 'Copy of New text export'?"
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: window.list_pane.proxy.rowCount() == 4)
    assert "Copy of New text export" not in visible_labels(window)
    assert window.list_pane.counter.text() == "4 / 4"
    assert len(window.app.service.templates.list()) == 4


def test_answering_no_keeps_the_template(qtbot, window):
    window.app.service.duplicate_template("newImport", label="Weekly prospects")
    open_templates(qtbot, window, 5)
    click_row(qtbot, window, "Weekly prospects")
    window.actions.delete.trigger()
    box = message_box(window, "confirm_delete")
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.No), Qt.MouseButton.LeftButton)
    qtbot.wait(50)
    window.app.runner.wait_for_idle()
    assert window.app.service.templates.get("Weekly prospects").label == "Weekly prospects"


def test_deleting_a_builtin_anyway_is_refused_with_a_clear_message(qtbot, window):
    open_templates(qtbot, window)
    click_row(qtbot, window, "New text import")
    window.ops.delete(window.selected_item())  # the action is disabled; the operation still refuses
    box = message_box(window, "delete_refused")
    assert "“New text import” is a built-in template and cannot be deleted" in box.text()
    box.close()
    assert len(window.app.service.templates.list()) == 4


def test_renaming_a_builtin_anyway_shows_the_read_only_error(qtbot, window):
    open_templates(qtbot, window)
    click_row(qtbot, window, "New text import")
    window.ops.rename(window.selected_item(), "Hacked")
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "error_message") is not None)
    box = message_box(window, "error_message")
    assert "'New text import' is a built-in template and cannot be modified" in box.text()
    box.close()
    qtbot.waitUntil(lambda: "New text import" in visible_labels(window))
    assert window.app.service.templates.get("newImport").label == "New text import"


def test_rename_edits_the_label_in_place_and_saves_it(qtbot, window):
    window.app.service.duplicate_template("newImport", label="Weekly prospects")
    open_templates(qtbot, window, 5)
    click_row(qtbot, window, "Weekly prospects")

    window.actions.rename.trigger()
    editor = window.list_pane.view.findChild(QLineEdit)
    assert editor is not None and editor.text() == "Weekly prospects"
    editor.selectAll()
    qtbot.keyClicks(editor, "Monthly prospects")
    qtbot.keyClick(editor, Qt.Key.Key_Return)

    # The delegate commits through a queued call, then the rename runs on the writer thread.
    labels = lambda: {t.label for t in window.app.service.templates.list()}  # noqa: E731
    qtbot.waitUntil(lambda: "Monthly prospects" in labels())
    assert "Weekly prospects" not in labels()
    qtbot.waitUntil(lambda: window.selected_item() is not None
                    and window.selected_item().label == "Monthly prospects")


@pytest.mark.parametrize(("action", "label", "kind"), [
    ("new_import_template", "New import template", "Import"),
    ("new_export_template", "New export template", "Export"),
])
def test_new_template_opens_its_detail_form(qtbot, window, action, label, kind):
    assert window.current_node.key == explorer.HOME
    getattr(window.actions, action).trigger()

    qtbot.waitUntil(lambda: window.selected_item() is not None and window.selected_item().label == label)
    assert window.current_node.key == explorer.JOB_TEMPLATES
    form = window.form
    assert window.detail.currentWidget() is form
    assert form.label_edit.text() == label and not form.label_edit.isReadOnly()
    assert form.kind_value.text() == kind
    assert form.state_value.text() == "Yes"
    assert form.label_edit.hasFocus()


def test_the_form_saves_a_new_label_and_description(qtbot, window):
    window.actions.new_import_template.trigger()
    qtbot.waitUntil(lambda: window.selected_item() is not None
                    and window.selected_item().label == "New import template")
    form = window.form
    assert not form.save_button.isEnabled()
    form.label_edit.clear()
    assert form.hint.text() == "A template needs a label." and not form.save_button.isEnabled()
    qtbot.keyClicks(form.label_edit, "Prospects from the fair")
    qtbot.keyClicks(form.description_edit, "Badge scans, every Monday")
    assert form.save_button.isEnabled()
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: window.selected_item() is not None
                    and window.selected_item().label == "Prospects from the fair")
    saved = window.app.service.templates.get("Prospects from the fair")
    assert saved.description == "Badge scans, every Monday"
    assert not form.is_dirty()


def test_home_import_link_creates_a_template_like_file_new(qtbot, window):
    create = window.home.findChild(QLabel, "home_create")
    assert "Import template" in create.text() and "Export template" in create.text()
    create.linkActivated.emit("new:import")  # what clicking the "Import" link sends
    qtbot.waitUntil(lambda: window.selected_item() is not None
                    and window.selected_item().label == "New import template")
    assert window.current_node.key == explorer.JOB_TEMPLATES


def test_refresh_keeps_the_selection(qtbot, window):
    open_templates(qtbot, window)
    click_row(qtbot, window, "Import recipients into a list")
    window.app.service.duplicate_template("newExport", label="Made elsewhere")  # e.g. from the CLI
    qtbot.keyClick(window.list_pane.view, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: window.list_pane.proxy.rowCount() == 5)
    qtbot.waitUntil(lambda: window.selected_item() is not None)
    assert window.selected_item().label == "Import recipients into a list"


def test_every_column_sorts(qtbot, window):
    window.app.service.duplicate_template("newImport", label="A first one")
    open_templates(qtbot, window, 5)
    view = window.list_pane.view
    for column in range(window.list_pane.proxy.columnCount()):
        view.sortByColumn(column, Qt.SortOrder.AscendingOrder)
        values = [window.list_pane.proxy.index(r, column).data() for r in range(5)]
        keys = [window.list_pane.proxy.index(r, column).data(window.list_pane.proxy.sortRole())
                for r in range(5)]
        assert keys == sorted(keys), (column, values)
    view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert visible_labels(window)[0] == "New text import"
    assert visible_labels(window)[-1] == "A first one"


def test_edit_menu_follows_the_selection(qtbot, window):
    a = window.actions
    assert not any(x.isEnabled() for x in (a.duplicate, a.rename, a.delete, a.start))
    open_templates(qtbot, window)
    click_row(qtbot, window, "New text import")
    assert a.duplicate.isEnabled() and not a.rename.isEnabled() and not a.delete.isEnabled()
    window.select_node(explorer.HOME)
    assert not a.duplicate.isEnabled()


def answer_when_asked(button: QMessageBox.StandardButton) -> QTimer:
    """Answer the next modal question (a blocking box) with ``button``."""
    timer = QTimer()

    def look() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            timer.stop()
            box.button(button).click()

    timer.timeout.connect(look)
    timer.start(20)
    return timer


def test_leaving_an_edited_template_offers_to_save_it(qtbot, window):
    window.app.service.duplicate_template("newImport", label="Weekly prospects")
    open_templates(qtbot, window, 5)
    click_row(qtbot, window, "Weekly prospects")
    window.form.description_edit.setPlainText("Every Monday")

    timer = answer_when_asked(QMessageBox.StandardButton.Save)
    click_row(qtbot, window, "New text export")
    timer.stop()

    templates = window.app.service.templates
    qtbot.waitUntil(lambda: templates.get("Weekly prospects").description == "Every Monday")
    qtbot.waitUntil(lambda: window.selected_item() is not None
                    and window.selected_item().label == "New text export")


def test_the_window_reopens_where_it_was_left(qtbot, gui_app):
    from tests.gui.helpers import open_window

    first = open_window(qtbot, gui_app)
    open_templates(qtbot, first)
    first.list_splitter.setSizes([200, 500])
    first.close()
    gui_app.runner.wait_for_idle()

    second = open_window(qtbot, gui_app)
    assert second.current_node.key == explorer.JOB_TEMPLATES
    assert gui_app.settings.list_splitter == first.list_splitter.sizes()
    top, bottom = second.list_splitter.sizes()
    assert abs(top / (top + bottom) - 200 / 700) < 0.03  # the same share of a window of another size
    qtbot.waitUntil(lambda: second.list_pane.counter.text() == "4 / 4")
    second.close()


def test_help_about_names_the_application_and_its_database(qtbot, window):
    window.actions.about.trigger()
    box = message_box(window, "about")
    assert "Campaign Desktop" in box.text() and "c.db (SQLite file)" in box.text()
    box.close()
