"""Opening the wizards from the explorer: New > Import… / Export…, and Start on a template."""

from __future__ import annotations

from campaign_desktop.domain import explorer
from campaign_desktop.domain.explorer import TemplateItem


def test_new_import_opens_the_wizard_on_new_text_import(qtbot, window):
    window.actions.new_import.trigger()
    qtbot.waitUntil(lambda: window.import_wizard is not None)
    wizard = window.import_wizard
    wizard.confirm_discard = lambda: True
    assert wizard.isVisible() and wizard.windowTitle() == "Data import 'New text import'*"
    assert window.actions.new_import in window.new_menu.actions()
    wizard.close()


def test_start_on_an_import_template_opens_the_wizard_filled_from_it(qtbot, window):
    window.select_node(explorer.JOB_TEMPLATES)
    qtbot.waitUntil(lambda: window.list_pane.source is not None and window.list_pane.source.rowCount() == 4)
    window.list_pane.select_key(window.app.service.templates.get("denylistImport").id, when_loaded=False)
    qtbot.waitUntil(lambda: isinstance(window.selected_item(), TemplateItem))
    assert window.actions.start.isEnabled()
    window.actions.start.trigger()
    wizard = window.import_wizard
    wizard.confirm_discard = lambda: True
    assert wizard.windowTitle() == "Data import 'Import denylist'*"
    assert [m.destination for m in wizard.draft.import_settings.mapping] == ["email"]
    received: list[int] = []
    window.job_started.connect(received.append)
    wizard.job_started.emit(7)
    assert received == [7]
    wizard.close()


def test_new_export_and_start_on_an_export_template_open_the_export_wizard(qtbot, window):
    window.actions.new_export.trigger()
    wizard = window.export_wizard
    wizard.confirm_discard = lambda: True
    assert wizard.isVisible() and "New text export" in wizard.windowTitle()
    assert window.actions.new_export in window.new_menu.actions()
    wizard.close()

    window.select_node(explorer.JOB_TEMPLATES)
    qtbot.waitUntil(lambda: window.list_pane.source is not None and window.list_pane.source.rowCount() == 4)
    window.list_pane.select_key(window.app.service.templates.get("newExport").id, when_loaded=False)
    qtbot.waitUntil(lambda: isinstance(window.selected_item(), TemplateItem))
    assert window.actions.start.isEnabled()
    window.actions.start.trigger()
    assert window.export_wizard is not wizard and window.export_wizard.isVisible()
    window.export_wizard.confirm_discard = lambda: True
    window.export_wizard.close()
