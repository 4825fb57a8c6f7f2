"""Stories of the filter builder's nested groups (spec §5.7): AND and OR mixed, counted live, exported.

On SQLite and on a real PostgreSQL (the ``service`` fixture): the tree compiles to the same SQL
the CLI runs from the template's JSON.
"""

from __future__ import annotations

import csv

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QPlainTextEdit, QPushButton

from campaign_desktop.domain.job import JobStatus
from campaign_desktop.domain.template import Condition
from campaign_desktop.export.conditions import condition_problems
from campaign_desktop.gui.wizards.export.condition_tree import ConditionTreeModel
from tests.core.export.support import seed
from tests.gui.test_export_wizard import open_export, press_next, settle

SHOTS = "/tmp/xwiz-{name}.png"


def wait_for_count(qtbot, wizard) -> str:  # type: ignore[no-untyped-def]
    fp = wizard.filter_page
    qtbot.waitUntil(lambda: not fp.count_timer.isActive(), timeout=5000)
    settle(wizard)
    return fp.count_label.text()


def choose_in_cell(qtbot, view, index, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Open the cell's combo editor as a double-click would, pick ``text``; returns what it offered."""
    view.setCurrentIndex(index)
    view.edit(index)
    combo = view.viewport().findChild(QComboBox)
    offered = [combo.itemText(i) for i in range(combo.count())]
    combo.setCurrentIndex(combo.findText(text))
    combo.activated.emit(combo.currentIndex())
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.viewport().findChild(QComboBox) is None or not combo.isVisible())
    return offered


def test_a_marketer_filters_paris_or_lyon_and_not_denylisted_sees_the_count_then_exports(qtbot, service,
                                                                                        tmp_path):
    seed(service, tmp_path)
    out = tmp_path / "cities.csv"
    wizard = open_export(qtbot, service, out_path=str(out))
    wizard.template_page.label_edit.setText("Paris or Lyon, not denylisted")
    for _ in range(3):
        press_next(qtbot, wizard)  # template, file, format
    wizard.columns_page.add_field("email")
    wizard.columns_page.add_field("city")
    press_next(qtbot, wizard)
    wizard.sort_page.add_sort("email")
    press_next(qtbot, wizard)

    fp = wizard.filter_page
    model = fp.conditions_model
    assert wait_for_count(qtbot, wizard) == "5 recipient(s) match."
    fp.add_group()  # nothing selected: a sub-group of the top AND, joined by OR
    group = model.index(0, 0)
    assert model.index(0, 1).data() == "Any condition (OR)" and fp.conditions_view.currentIndex() == group
    fp.add_condition(Condition("equals", field="city", value="Paris"))  # into the selected group
    fp.add_condition(Condition("equals", field="city", value="Lyon"))  # next to the selected condition
    assert model.rowCount(group) == 2
    assert wait_for_count(qtbot, wizard) == "3 recipient(s) match."
    fp.add_condition(Condition("equals", field="city", value="Nice"))  # a slip...
    fp.conditions_view.setFocus()
    qtbot.keyClick(fp.conditions_view, Qt.Key.Key_Delete)  # ...taken back with the Delete key
    assert model.rowCount(group) == 2
    fp.add_condition(Condition("not_denylisted"))  # lands in the group too...
    assert not fp.buttons["down_button"].isEnabled()  # the last of its group
    fp.findChild(QPushButton, "outdent_button").click()  # ...so the marketer moves it out, under the top AND
    assert not fp.buttons["outdent_button"].isEnabled() and fp.buttons["up_button"].isEnabled()
    assert model.rowCount(group) == 2 and model.rowCount() == 2
    assert model.index(1, 1).data() == "is not on the denylist"
    assert fp.summary_label.text() == ("Query: (City equal to 'Paris' or City equal to 'Lyon') "
                                       "and Recipient is not on the denylist")
    assert wait_for_count(qtbot, wizard) == "2 recipient(s) match."
    view = fp.conditions_view
    assert view.visualRect(model.index(0, 0, group)).left() > view.visualRect(group).left()  # indented
    assert choose_in_cell(qtbot, view, model.index(0, 1), "All conditions (AND)") == [
        "All conditions (AND)", "Any condition (OR)"]  # a group's operator cell offers AND / OR
    assert wait_for_count(qtbot, wizard) == "0 recipient(s) match."  # nobody lives in Paris AND Lyon
    choose_in_cell(qtbot, view, model.index(0, 1), "Any condition (OR)")
    assert wait_for_count(qtbot, wizard) == "2 recipient(s) match."
    wizard.grab().save(SHOTS.format(name="filter"))
    fp.sql_link.linkActivated.emit("sql")  # Generated SQL query…
    qtbot.waitUntil(lambda: fp.sql_dialog is not None and fp.sql_dialog.isVisible())
    sql = fp.sql_dialog.findChild(QPlainTextEdit, "sql_text").toPlainText()
    fp.sql_dialog.grab().save(SHOTS.format(name="sql"))
    assert "WHERE (recipients.city = 'Paris' OR recipients.city = 'Lyon') AND NOT (" in sql
    fp.sql_dialog.close()
    assert wizard.draft.export_settings.filter == Condition("and", [
        Condition("or", [Condition("equals", field="city", value="Paris"),
                         Condition("equals", field="city", value="Lyon")]),
        Condition("not_denylisted")])
    press_next(qtbot, wizard)
    settle(wizard)
    assert wizard.preview_page.model.rows == [["ann@x.com", "Paris"], ["dee@x.com", "Paris"]]
    wizard.grab().save(SHOTS.format(name="preview"))
    press_next(qtbot, wizard)
    with qtbot.waitSignal(wizard.job_finished, timeout=20_000) as finished:
        wizard.execution_page.start_button.click()
    settle(wizard)
    wizard.grab().save(SHOTS.format(name="execution"))
    assert service.jobs.get(finished.args[0]).status is JobStatus.FINISHED
    rows = list(csv.reader(out.open(newline="", encoding="utf-8")))
    assert rows == [["Email", "City"], ["ann@x.com", "Paris"], ["dee@x.com", "Paris"]]


def test_groups_are_indented_outdented_switched_and_removed_under_the_model_tester(qtmodeltester):
    paris, lyon = Condition("equals", field="city", value="Paris"), Condition("equals", field="city", value="Lyon")
    allowed = Condition("not_denylisted")
    root = Condition("and", [paris, lyon, allowed])
    model = ConditionTreeModel(root)
    qtmodeltester.check(model)  # stays attached: every change below is checked too

    model.indent(model.index(1, 0))  # Lyon has no group above it: it gets a sub-group of its own
    assert root.children[1].op == "or" and root.children[1].children == [lyon]
    moved = model.move(model.index(0, 0), 1)  # Paris goes below the group...
    assert moved.row() == 1 and root.children[1] is paris
    inside = model.indent(moved)  # ...and into it (the group just above)
    assert root.children[0].children == [lyon, paris] and inside.parent() == model.index(0, 0)
    assert model.setData(model.index(0, 1), "and") and root.children[0].op == "and"
    assert not model.setData(model.index(0, 1), "xor") and not model.setData(model.index(0, 0), "city")
    out = model.outdent(inside)
    assert out.parent() == QModelIndex() and out.row() == 1 and root.children == [root.children[0], paris, allowed]
    assert model.outdent(out) == out  # already at the top
    nested = model.new_group(model.index(0, 0))  # a group in a group
    model.append(Condition("is_empty", field="phone"), nested)
    assert model.index(0, 2).data() == "2 condition(s)" and model.index(1, 2, model.index(0, 0)).data() == \
        "1 condition(s)"
    assert condition_problems(root) == []
    model.remove(model.index(0, 0))  # the group and everything in it
    assert root.children == [paris, allowed]
    assert model.index(0, 0).data() == "City (location/@city)" and model.index(1, 0).data() == "Recipient"
    first = model.index(0, 1)
    assert model.setData(first, "in") and paris.value == ["Paris"]  # what was typed is kept
    assert model.setData(first, "denylisted") and (paris.field, paris.value) == ("", None)
    assert not model.flags(model.index(0, 2)) & Qt.ItemFlag.ItemIsEditable  # no value to type
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable  # nor a field to choose
    assert condition_problems(root) == []
