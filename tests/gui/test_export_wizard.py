"""Stories of the Data export wizard (spec §5): a marketer exports a filtered, sorted file, page by page."""

from __future__ import annotations

import csv

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from campaign_desktop.domain.job import JobStatus
from campaign_desktop.domain.template import Condition, Transform
from campaign_desktop.gui.wizards.export.wizard import SAVE_AS_TEMPLATE_BUTTON
from tests.core.export.support import seed

SHOTS = "/tmp/export-wizard-{n}.png"


def open_export(qtbot, service, **kw):  # type: ignore[no-untyped-def]
    from campaign_desktop.gui.wizards.export import open_export_wizard

    wizard = open_export_wizard(None, service, **kw)
    wizard.confirm_discard = lambda: True  # closing at the end of a test must not wait for an answer
    qtbot.addWidget(wizard)
    qtbot.waitExposed(wizard)
    return wizard


def press_next(qtbot, wizard, shot: int | None = None) -> None:  # type: ignore[no-untyped-def]
    if shot is not None:
        wizard.grab().save(SHOTS.format(n=shot))
    page = wizard.currentPage()
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled(), page.problems_label.text()
    wizard.next()
    qtbot.wait(1)


def settle(wizard) -> None:  # type: ignore[no-untyped-def]
    assert wizard.runner.wait_for_idle(), "the wizard's workers did not finish"


def test_a_marketer_exports_the_parisian_women_sorted_by_name(qtbot, gui_service, tmp_path):
    seed(gui_service, tmp_path)
    out = tmp_path / "paris.csv"
    wizard = open_export(qtbot, gui_service)
    assert wizard.windowTitle() == "Data export 'New text export'*"
    wizard.template_page.label_edit.clear()
    qtbot.keyClicks(wizard.template_page.label_edit, "Parisian women")
    press_next(qtbot, wizard, 1)

    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()  # no file yet
    assert "Choose the file" in wizard.file_page.problems_label.text()
    qtbot.keyClicks(wizard.file_page.path_edit, str(out))
    press_next(qtbot, wizard, 2)

    fmt = wizard.format_page
    fmt.separator_combo.setCurrentIndex(fmt.separator_combo.findData(";"))
    press_next(qtbot, wizard, 3)

    page = wizard.columns_page
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()  # no column yet
    page.find_edit.setText("mail")
    assert page.fields_model.rowCount() >= 1
    for name in ("email", "last_name", "first_name"):
        page.add_field(name)
    model = page.columns_model
    model.setData(model.index(0, 0), "Address")
    model.setData(model.index(1, 2), Transform.UPPER.value)
    assert model.index(1, 2).data() == "Switch to upper case"
    press_next(qtbot, wizard, 4)

    wizard.sort_page.add_sort("last_name")
    wizard.sort_page.add_sort("first_name", descending=True)
    press_next(qtbot, wizard, 5)

    fp = wizard.filter_page
    settle(wizard)
    qtbot.waitUntil(lambda: "5 recipient(s) match" in fp.count_label.text(), timeout=5000)
    fp.add_condition(Condition(op="equals", field="city", value="Paris"))
    fp.add_condition(Condition(op="equals", field="gender", value="Female"))
    qtbot.waitUntil(lambda: not fp.count_timer.isActive(), timeout=5000)
    settle(wizard)
    assert fp.count_label.text() == "2 recipient(s) match."
    assert fp.summary_label.text() == "Query: City equal to 'Paris' and Gender equal to 'Female'"
    press_next(qtbot, wizard, 6)

    pp = wizard.preview_page
    settle(wizard)
    assert pp.model.headers == ["Address", "Last name", "First name"]
    assert pp.model.rows == [["ann@x.com", "MARTIN", "Ann"], ["dee@x.com", "O'NEIL", "Dee"]]
    assert "ORDER BY recipients.last_name ASC, recipients.first_name DESC" in pp.sql_text.toPlainText()
    assert "2 of 2 line(s)" in pp.status_label.text()
    pp.tabs.setCurrentIndex(0)
    press_next(qtbot, wizard, 7)

    ex = wizard.execution_page
    with qtbot.waitSignal(wizard.job_finished, timeout=20_000) as finished:
        ex.start_button.click()
    settle(wizard)
    wizard.grab().save(SHOTS.format(n=8))
    job = gui_service.jobs.get(finished.args[0])
    assert job.status is JobStatus.FINISHED and job.label == "Parisian women"
    assert "Finished" in ex.outcome_label.text()
    assert any("End of export 'paris.csv'" in line for line in ex.log_model.stringList())
    rows = list(csv.reader(out.open(newline="", encoding="utf-8"), delimiter=";"))
    assert rows == [["Address", "Last name", "First name"], ["ann@x.com", "MARTIN", "Ann"],
                    ["dee@x.com", "O'NEIL", "Dee"]]
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()


def test_a_list_export_is_prefilled_and_a_bad_filter_says_why(qtbot, gui_service, tmp_path):
    seed(gui_service, tmp_path)
    wizard = open_export(qtbot, gui_service, list_name="Newsletter", out_path=str(tmp_path / "nl.xlsx"))
    press_next(qtbot, wizard)
    assert wizard.file_page.document_combo.currentData() == "list:Newsletter"
    press_next(qtbot, wizard)
    assert wizard.format_page.format_combo.currentData() == "xlsx"
    wizard.format_page.labels_check.setChecked(False)  # gender as 0/1/2
    press_next(qtbot, wizard)
    wizard.columns_page.add_field("email")
    wizard.columns_page.add_field("gender")
    assert wizard.draft.export_settings.columns[-1].enum_labels is False
    press_next(qtbot, wizard)
    press_next(qtbot, wizard)
    fp = wizard.filter_page
    fp.add_condition(Condition(op="before", field="city", value="2024-01-01"))
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert "Condition 1: date comparisons apply to date fields; &#x27;City&#x27; is not a date" in \
        fp.problems_label.text()
    fp.conditions_model.remove(fp.conditions_model.index(0, 0))
    settle(wizard)
    qtbot.waitUntil(lambda: not fp.count_timer.isActive(), timeout=5000)
    settle(wizard)
    assert fp.count_label.text() == "2 recipient(s) match."


@pytest.mark.parametrize("name", ["fields", "columns", "sort", "conditions", "preview"])
def test_every_export_wizard_model_passes_the_model_tester(qtmodeltester, name):
    from campaign_desktop.domain.template import ExportColumn, SortKey
    from campaign_desktop.gui.wizards.export.condition_tree import ConditionTreeModel
    from campaign_desktop.gui.wizards.export.models import (
        FieldsModel,
        OutputColumnsModel,
        PreviewModel,
        SortModel,
    )

    if name == "fields":
        model = FieldsModel()
        model.set_filter("name")
    elif name == "columns":
        model = OutputColumnsModel([ExportColumn("email"), ExportColumn("upper(city)", label="C")])
    elif name == "sort":
        model = SortModel([SortKey("city"), SortKey("email", True)])
        model.setData(model.index(0, 1), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
        assert model.items[0].descending
    elif name == "conditions":
        model = ConditionTreeModel(Condition("and", [
            Condition("in", field="city", value=["Paris", "Lyon"]),
            Condition("or", [Condition("equals", field="city", value="Nice"), Condition("not_denylisted")]),
            Condition("or", [])]))
        assert model.index(0, 2).data() == "Paris, Lyon"
        group = model.index(1, 0)
        assert model.rowCount(group) == 2 and model.index(1, 1, group).data() == "is not on the denylist"
    else:
        model = PreviewModel()
        model.show(["a", "b"], [[1, None], ["x", "y"]])
    qtmodeltester.check(model)


def test_save_as_template_stores_the_draft_as_a_user_template(qtbot, gui_service, tmp_path):
    wizard = open_export(qtbot, gui_service, out_path=str(tmp_path / "x.csv"))
    wizard.template_page.label_edit.setText("Weekly newsletter export")
    wizard.columns_page.add_field("email")
    with qtbot.waitSignal(wizard.template_saved, timeout=10_000) as saved:
        wizard.button(SAVE_AS_TEMPLATE_BUTTON).click()
    settle(wizard)
    tpl = gui_service.templates.get(saved.args[0])
    assert tpl.label == "Weekly newsletter export" and not tpl.read_only
    assert [c.expression for c in tpl.export_settings.columns] == ["email"]
