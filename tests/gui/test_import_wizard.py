"""Stories of the Data import wizard (spec §4): a marketer imports real files, page by page."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from campaign_desktop.domain.job import JobStatus
from campaign_desktop.domain.template import FolderMode, ListMode, Operation, Transform
from campaign_desktop.gui.wizards.import_wizard.wizard import SAVE_BUTTON
from campaign_desktop.storage.schema import recipients
from tests.conftest import DATA_DIR
from tests.gui.wizard_helpers import (
    choose_file,
    next_enabled,
    open_wizard,
    press_next,
    settle,
    start_and_wait,
    walk_to_execution,
)

FILES = DATA_DIR / "files"
FRENCH = FILES / "french_cp1252_semicolon.csv"


def people(service) -> list[dict]:  # type: ignore[no-untyped-def]
    with service.engine.connect() as conn:
        rows = conn.execute(select(recipients).order_by(recipients.c.email)).mappings().all()
    return [dict(r) for r in rows]


def test_a_french_cp1252_file_is_guessed_and_imported(qtbot, service):
    wizard = open_wizard(qtbot, service)
    assert wizard.windowTitle() == "Data import 'New text import'*"
    wizard.template_page.label_edit.clear()
    qtbot.keyClicks(wizard.template_page.label_edit, "Salon de Lyon")
    assert wizard.windowTitle() == "Data import 'Salon de Lyon'*"
    press_next(qtbot, wizard)

    choose_file(qtbot, wizard, FRENCH)
    page = wizard.file_page
    assert page.preview_model.columnCount() == 4
    assert page.preview_model.headerData(0, Qt.Orientation.Horizontal) == "Prénom"
    assert page.preview_model.index(0, 1).data() == "Lefèvre"
    assert "cp1252" in page.status_label.text() and "semicolon" in page.status_label.text()
    births = page.profile_model.index(3, 7).data()
    assert "ambiguous" in births  # 03/04/1990 could be March or April
    press_next(qtbot, wizard)

    mapping = {m.source: m.destination for m in wizard.draft.import_settings.mapping}
    assert mapping == {"Prénom": "first_name", "Nom": "last_name", "Courriel": "email",
                       "Date de naissance": "birth_date"}
    press_next(qtbot, wizard)
    assert "email matches a recipient" in wizard.reconciliation_page.sentence.text()
    press_next(qtbot, wizard)
    press_next(qtbot, wizard)

    job_id = start_and_wait(qtbot, wizard)
    assert service.jobs.get(job_id).status is JobStatus.FINISHED
    assert wizard.execution_page.counter_labels["inserted"].text() == "4"
    rows = people(service)
    assert [(r["first_name"], r["last_name"]) for r in rows][:2] == [("Anaïs", "L’Hôte"), ("Élodie", "Lefèvre")]
    assert {r["email"]: r["birth_date"] for r in rows}["elodie.lefevre@exemple.fr"] == date(1985, 12, 31)
    wizard.close()  # started: closes without asking
    assert not wizard.isVisible()


def test_an_xlsx_with_its_header_on_row_3(qtbot, gui_service):
    wizard = open_wizard(qtbot, gui_service)
    walk_to_execution(qtbot, wizard, FILES / "header_on_row_3.xlsx", label="CRM export")
    assert wizard.preview.columns[:3] == ["Email", "Prénom", "Date de naissance"]
    start_and_wait(qtbot, wizard)
    rows = people(gui_service)
    assert [(r["email"], r["first_name"]) for r in rows] == [
        ("anne@exemple.fr", "Anne"), ("ines@exemple.fr", "Inès"), ("luc@exemple.fr", "Luc")]


def test_a_utf16_file(qtbot, gui_service):
    wizard = open_wizard(qtbot, gui_service)
    walk_to_execution(qtbot, wizard, FILES / "recipients_utf16le_bom.txt")
    assert "utf-16" in wizard.file_page.status_label.text()
    start_and_wait(qtbot, wizard)
    assert len(people(gui_service)) == 4
    assert {r["first_name"] for r in people(gui_service)} >= {"Élodie", "François"}


def test_next_is_disabled_with_the_reason_shown_on_the_page(qtbot, gui_service):
    wizard = open_wizard(qtbot, gui_service)
    page = wizard.template_page
    page.label_edit.clear()
    qtbot.keyClicks(page.label_edit, " ")
    assert not next_enabled(wizard)
    assert page.problems_label.isVisible() and "label" in page.problems_label.text()
    qtbot.keyClicks(page.label_edit, "Spring")
    assert next_enabled(wizard) and not page.problems_label.isVisible()
    press_next(qtbot, wizard)
    assert not next_enabled(wizard)  # no file yet
    wizard.file_page.choose_file(str(FILES / "garbage.csv"))
    qtbot.waitUntil(lambda: bool(wizard.preview_error), timeout=10_000)
    assert not next_enabled(wizard)
    assert wizard.file_page.problems_label.text().count("⚠") == 1
    choose_file(qtbot, wizard, FRENCH)
    press_next(qtbot, wizard)
    wizard.mapping_page.map_column("Courriel", "")  # the key is no longer fed by any column
    assert "not mapped" in wizard.mapping_page.problems_label.text()
    assert next_enabled(wizard)  # a warning here; the Reconciliation page insists
    press_next(qtbot, wizard)
    assert not next_enabled(wizard)
    assert "reconciliation key" in wizard.reconciliation_page.problems_label.text()
    wizard.back()
    wizard.mapping_page.map_column("Courriel", "email")
    press_next(qtbot, wizard)
    press_next(qtbot, wizard)
    wizard.recipients_page.select_list_mode(ListMode.ADD)
    assert not next_enabled(wizard)
    assert "list" in wizard.recipients_page.problems_label.text()
    qtbot.keyClicks(wizard.recipients_page.list_edit, "Salon 2024")
    assert next_enabled(wizard)
    settle(wizard)


def test_a_test_run_shows_the_counters_and_writes_nothing(qtbot, service):
    gui_service = service  # on SQLite and PostgreSQL: the engine rolls the test back on both
    wizard = open_wizard(qtbot, gui_service)
    walk_to_execution(qtbot, wizard, FRENCH)
    page = wizard.execution_page
    page.test_button.click()
    qtbot.waitUntil(lambda: page.last_test is not None, timeout=30_000)
    settle(wizard)
    assert page.counter_labels["processed"].text() == "4"
    assert page.counter_labels["inserted"].text() == "4"
    assert "nothing was written" in page.outcome_label.text()
    assert gui_service.count_recipients() == 0
    assert wizard.job_id is None  # a test does not save the job


def test_saving_then_reopening_restores_every_page(qtbot, gui_service):
    wizard = open_wizard(qtbot, gui_service)
    wizard.template_page.label_edit.clear()
    qtbot.keyClicks(wizard.template_page.label_edit, "Monthly CRM")
    press_next(qtbot, wizard)
    choose_file(qtbot, wizard, FRENCH)
    press_next(qtbot, wizard)
    model = wizard.mapping_page.model
    model.setData(model.index(1, 3), Transform.UPPER.value)  # Nom -> upper case
    press_next(qtbot, wizard)
    rec = wizard.reconciliation_page
    rec.operation_combo.setCurrentIndex(rec.operation_combo.findData(Operation.UPDATE.value))
    press_next(qtbot, wizard)
    wizard.recipients_page.select_folder_mode(FolderMode.EXISTING)
    qtbot.keyClicks(wizard.recipients_page.folder_edit, "Lyon")
    wizard.recipients_page.origin_combo.setCurrentText("Trade show")
    with qtbot.waitSignal(wizard.saved, timeout=10_000) as saved:
        wizard.button(SAVE_BUTTON).click()
    job_id = saved.args[0]
    assert wizard.windowTitle() == "Data import 'Monthly CRM'"
    assert gui_service.jobs.get(job_id).status is JobStatus.BEING_EDITED
    saved_doc = wizard.draft.to_document()
    settle(wizard)
    wizard.close()

    again = open_wizard(qtbot, gui_service, job_id=job_id)
    assert again.windowTitle() == "Data import 'Monthly CRM'"
    assert again.draft.to_document() == saved_doc
    assert again.template_page.label_edit.text() == "Monthly CRM"
    press_next(qtbot, again)
    qtbot.waitUntil(lambda: again.preview is not None, timeout=10_000)
    assert again.file_page.path_edit.text() == str(FRENCH.resolve())
    press_next(qtbot, again)
    assert again.mapping_page.model.index(1, 3).data() == "Switch to upper case"
    press_next(qtbot, again)
    assert again.reconciliation_page.operation_combo.currentData() == Operation.UPDATE.value
    press_next(qtbot, again)
    assert again.recipients_page.folder_edit.text() == "Lyon"
    assert again.recipients_page.origin_combo.currentText() == "Trade show"
    assert again.draft.to_document() == saved_doc and not again.is_dirty
    press_next(qtbot, again)
    assert start_and_wait(qtbot, again) == job_id  # the saved job is the one that runs
    assert gui_service.jobs.get(job_id).status is JobStatus.FINISHED
    assert gui_service.count_recipients() == 0  # Update only, and nobody existed yet
    assert again.execution_page.counter_labels["ignored"].text() == "4"


def test_save_as_template_then_start_from_it(qtbot, gui_service):
    wizard = open_wizard(qtbot, gui_service)
    walk_to_execution(qtbot, wizard, FRENCH, label="Trade show import")
    with qtbot.waitSignal(wizard.template_saved, timeout=10_000) as saved:
        wizard.save_as_template()
    tpl = gui_service.templates.get(saved.args[0])
    assert tpl.label == "Trade show import" and not tpl.read_only
    settle(wizard)

    again = open_wizard(qtbot, gui_service, template=tpl)
    assert {m.source for m in again.draft.import_settings.mapping} == {"Prénom", "Nom", "Courriel",
                                                                        "Date de naissance"}
    assert again.template_page.label_edit.text() == "Trade show import"
    assert again.draft.settings_document() == wizard.draft.settings_document()  # every page as saved
    press_next(qtbot, again)
    qtbot.waitUntil(lambda: again.preview is not None, timeout=10_000)  # the template remembers the file
    settle(again)


def test_start_asks_before_a_large_update(qtbot, gui_service):
    wizard = open_wizard(qtbot, gui_service)
    walk_to_execution(qtbot, wizard, FRENCH)
    page = wizard.execution_page
    assert page.confirmation_text() == ""
    start_and_wait(qtbot, wizard)
    again = open_wizard(qtbot, gui_service)
    walk_to_execution(qtbot, again, FRENCH)
    again.back()
    again.back()
    again.back()
    model = again.mapping_page.model
    model.setData(model.index(1, 3), Transform.UPPER.value)  # every last name changes: 4 updates
    for _ in range(3):
        press_next(qtbot, again)
    page = again.execution_page
    page.large_changes = 3
    page.test_button.click()
    qtbot.waitUntil(lambda: page.last_test is not None, timeout=30_000)
    settle(again)
    assert page.confirmation_text().startswith("The test shows this import will update 4 and delete 0")


@pytest.mark.parametrize("name", ["preview", "profile", "mapping", "reconciliation", "columns"])
def test_every_wizard_model_passes_the_model_tester(qtmodeltester, qtbot, gui_service, name):
    from campaign_desktop.domain.template import Reconciliation
    from campaign_desktop.files.preview import preview
    from campaign_desktop.gui.wizards.import_wizard.columns_model import ColumnFormatModel
    from campaign_desktop.gui.wizards.import_wizard.file_format_dialog import columns_from_preview
    from campaign_desktop.gui.wizards.import_wizard.mapping_model import MappingModel, SourceRow
    from campaign_desktop.gui.wizards.import_wizard.preview_models import PreviewModel, ProfileModel
    from campaign_desktop.gui.wizards.import_wizard.reconciliation_model import ReconciliationModel
    from campaign_desktop.mapping.guess import guess_mapping

    p = preview(FRENCH)
    if name == "preview":
        model = PreviewModel()
        model.set_preview(p.columns, p.rows)
    elif name == "profile":
        model = ProfileModel()
        model.set_profiles(p.profiles)
    elif name == "mapping":
        model = MappingModel()
        model.set_sources([SourceRow(c, c, ["x"]) for c in p.columns], guess_mapping(p.columns))
    elif name == "reconciliation":
        model = ReconciliationModel()
        model.set_reconciliation(Reconciliation(), ["email", "first_name"])
    else:
        model = ColumnFormatModel()
        model.set_columns(columns_from_preview(p, []))
    qtmodeltester.check(model)
    assert model.rowCount() > 0


def test_dropping_a_file_on_the_window_chooses_it(qtbot, gui_service):
    from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    wizard = open_wizard(qtbot, gui_service)
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(FRENCH))])
    event = QDropEvent(QPoint(10, 10), Qt.DropAction.CopyAction, data, Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier)
    wizard.dropEvent(event)
    qtbot.waitUntil(lambda: wizard.preview is not None, timeout=10_000)
    assert wizard.currentPage() is wizard.file_page
    assert wizard.draft.import_settings.source_path == str(FRENCH)
    settle(wizard)


def test_the_denylist_template_maps_the_first_column_whatever_its_header(qtbot, gui_service, tmp_path):
    path = tmp_path / "optout.csv"
    path.write_text("Adresse\nAnn@Example.com\nbob@example.com\n", encoding="utf-8")
    wizard = open_wizard(qtbot, gui_service, template="denylistImport")
    walk_to_execution(qtbot, wizard, path, label="Opt-outs of May")
    wizard.back()
    wizard.back()
    wizard.back()
    model = wizard.mapping_page.model
    assert model.rowCount() == 1 and model.index(0, 2).data() == "Email (@email)"
    for _ in range(3):
        press_next(qtbot, wizard)
    start_and_wait(qtbot, wizard)
    rows = people(gui_service)
    assert [(r["email"], r["blacklist_email"]) for r in rows] == [("ann@example.com", True),
                                                                   ("bob@example.com", True)]


def test_a_job_that_ran_reopens_as_a_new_job_with_its_settings(qtbot, gui_service):
    wizard = open_wizard(qtbot, gui_service)
    walk_to_execution(qtbot, wizard, FRENCH, label="Weekly")
    first = start_and_wait(qtbot, wizard)
    again = open_wizard(qtbot, gui_service, job_id=first)
    assert again.job_id is None and again.windowTitle() == "Data import 'Weekly'*"
    walk_to_execution(qtbot, again, FRENCH, label="Weekly again")
    assert start_and_wait(qtbot, again) != first
    assert gui_service.jobs.get(first).label == "Weekly"


def test_recipients_go_into_a_list_and_a_service_with_their_origin(qtbot, gui_service):
    from sqlalchemy import func

    from campaign_desktop.storage.schema import list_members, lists, services, subscriptions

    wizard = open_wizard(qtbot, gui_service)
    walk_to_execution(qtbot, wizard, FRENCH)
    wizard.back()
    page = wizard.recipients_page
    page.select_list_mode(ListMode.ADD)
    qtbot.keyClicks(page.list_edit, "Salon 2024")
    qtbot.keyClicks(page.service_edit, "Newsletter")
    page.origin_combo.setCurrentText("Trade show")
    press_next(qtbot, wizard)
    start_and_wait(qtbot, wizard)
    with gui_service.engine.connect() as conn:
        members = conn.execute(select(func.count()).select_from(list_members.join(lists))
                               .where(lists.c.label == "Salon 2024")).scalar_one()
        subscribed = conn.execute(select(func.count()).select_from(subscriptions.join(services))
                                  .where(services.c.label == "Newsletter")).scalar_one()
    assert (members, subscribed) == (4, 4)
    assert {r["origin"] for r in people(gui_service)} == {"Trade show"}


def test_choosing_another_template_fills_the_pages_from_it(qtbot, gui_service):
    wizard = open_wizard(qtbot, gui_service)
    combo = wizard.template_page.template_combo
    qtbot.waitUntil(lambda: combo.findText("Import denylist") >= 0)
    combo.setCurrentIndex(combo.findText("Import denylist"))
    combo.activated.emit(combo.currentIndex())
    assert wizard.template_page.label_edit.text() == "Import denylist"
    assert [m.source for m in wizard.draft.import_settings.mapping] == ["#1"]
    assert wizard.draft.folder == "Generic imports and exports"
    assert wizard.draft.import_settings.recipients.set_flags == ["blacklist_email"]


def test_save_twice_quickly_creates_one_job(qtbot, gui_service):
    wizard = open_wizard(qtbot, gui_service)
    with qtbot.waitSignal(wizard.saved, timeout=10_000):
        wizard.save()
        wizard.save()
    settle(wizard)
    assert len(gui_service.jobs.list()) == 1
