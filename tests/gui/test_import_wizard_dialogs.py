"""The import wizard's dialogs: File format (live preview), Advanced parameters, calculated fields."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from campaign_desktop.domain.recipient_fields import FieldType
from campaign_desktop.gui.wizards.import_wizard.columns_model import COL_FORMAT, COL_TYPE
from tests.conftest import DATA_DIR
from tests.gui.wizard_helpers import choose_file, open_wizard, press_next, settle, start_and_wait, walk_to_execution

FRENCH = DATA_DIR / "files" / "french_cp1252_semicolon.csv"


def ok_button(dialog):  # type: ignore[no-untyped-def]
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def test_the_file_format_dialog_refreshes_its_preview_and_checks_the_chosen_formats(qtbot, gui_service):
    wizard = open_wizard(qtbot, gui_service)
    press_next(qtbot, wizard)
    choose_file(qtbot, wizard, FRENCH)
    dialog = wizard.file_page.open_format_dialog()
    assert dialog.encoding_combo.currentText() == "cp1252"
    assert dialog.columns_model.rowCount() == 4

    first = dialog.last_preview
    dialog._separator_buttons[","].setChecked(True)  # the wrong separator: one column per line
    qtbot.waitUntil(lambda: dialog.last_preview is not first, timeout=10_000)
    assert dialog.preview_model.columnCount() == 1

    shown = dialog.last_preview
    dialog._separator_buttons[";"].setChecked(True)
    qtbot.waitUntil(lambda: dialog.last_preview is not shown and dialog.preview_model.columnCount() == 4,
                    timeout=10_000)
    births = dialog.columns_model.index(3, COL_FORMAT)
    assert births.data() == "DD/MM/YYYY"
    shown = dialog.last_preview
    dialog.columns_model.setData(births, "MM/DD/YYYY")  # the user insists on the American order
    qtbot.waitUntil(lambda: dialog.last_preview is not shown, timeout=10_000)
    assert "Date de naissance: 2 (31/12/1985, 15/07/1972)" in dialog.status_label.text()
    ok_button(dialog).click()

    qtbot.waitUntil(lambda: wizard.preview is not None, timeout=10_000)
    settle(wizard)
    assert wizard.draft.import_settings.file_format.columns[3].date_format == "MM/DD/YYYY"
    profile = wizard.file_page.profile_model
    assert profile.index(3, 5).data() == 2 and "31/12/1985" in profile.index(3, 6).data()
    assert wizard.windowTitle().endswith("*")


def test_a_column_typed_as_a_number_shows_its_invalid_values(qtbot, gui_service):
    wizard = open_wizard(qtbot, gui_service)
    press_next(qtbot, wizard)
    choose_file(qtbot, wizard, FRENCH)
    dialog = wizard.file_page.open_format_dialog()
    dialog.columns_model.setData(dialog.columns_model.index(1, COL_TYPE), FieldType.INTEGER.value)
    ok_button(dialog).click()
    qtbot.waitUntil(lambda: wizard.preview is not None, timeout=10_000)
    settle(wizard)
    assert wizard.file_page.profile_model.index(1, 5).data() == 4  # every last name


def test_advanced_parameters_are_kept_and_checked(qtbot, gui_service):
    wizard = open_wizard(qtbot, gui_service)
    dialog = wizard.template_page.open_advanced()
    dialog.batch_size.setValue(10)
    assert not ok_button(dialog).isEnabled()
    assert "batch size" in dialog.problems_label.text()
    dialog.batch_size.setValue(1000)
    dialog.trace_check.setChecked(True)
    dialog.line_limit.setValue(2)
    dialog.max_rejects.setValue(5)
    ok_button(dialog).click()
    a = wizard.draft.import_settings.advanced
    assert (a.batch_size, a.trace, a.line_limit, a.max_rejects) == (1000, True, 2, 5)
    assert "trace mode" in wizard.template_page.advanced_summary.text()

    walk_to_execution(qtbot, wizard, FRENCH)
    start_and_wait(qtbot, wizard)
    assert gui_service.count_recipients() == 2  # the line limit applied


def test_a_calculated_field_feeds_the_origin(qtbot, gui_service):
    wizard = open_wizard(qtbot, gui_service)
    press_next(qtbot, wizard)
    choose_file(qtbot, wizard, FRENCH)
    press_next(qtbot, wizard)
    page = wizard.mapping_page
    dialog = page.add_calculated_field()
    assert not ok_button(dialog).isEnabled()
    qtbot.keyClicks(dialog.label_edit, "Salon")
    assert dialog.name_edit.text() == "salon"
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("template"))
    qtbot.keyClicks(dialog.body_edit, "{Nom} au salon")
    assert "Lefèvre au salon" in dialog.preview_label.text()
    ok_button(dialog).click()
    assert page.model.rowCount() == 5
    page.map_column("salon", "origin")
    press_next(qtbot, wizard)
    press_next(qtbot, wizard)
    press_next(qtbot, wizard)
    start_and_wait(qtbot, wizard)
    with gui_service.engine.connect() as conn:
        from sqlalchemy import select

        from campaign_desktop.storage.schema import recipients
        origins = set(conn.execute(select(recipients.c.origin)).scalars())
    assert "Lefèvre au salon" in origins


def test_cancel_with_unsaved_changes_asks_first(qtbot, gui_service):
    wizard = open_wizard(qtbot, gui_service)
    asked: list[bool] = []
    wizard.confirm_discard = lambda: asked.append(True) or False
    wizard.reject()
    assert asked and wizard.isVisible()  # the user chose to stay
    wizard.confirm_discard = lambda: True
    wizard.reject()
    assert not wizard.isVisible()


def test_the_list_and_service_names_are_completed_from_the_database(qtbot, gui_service):
    from tests.gui.helpers import add_list, add_service

    add_list(gui_service, "Salon 2024", [])
    add_service(gui_service, "Newsletter", [])
    wizard = open_wizard(qtbot, gui_service)
    walk_to_execution(qtbot, wizard, FRENCH)
    settle(wizard)
    page = wizard.recipients_page
    assert page.list_edit.completer().model().index(0, 0).data() == "Salon 2024"
    assert page.service_edit.completer().model().index(0, 0).data() == "Newsletter"
