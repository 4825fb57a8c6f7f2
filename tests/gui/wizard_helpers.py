"""Walking the import wizard as a user would: type, choose, press Next, wait for the workers."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWizard


def open_wizard(qtbot, service, **kw):  # type: ignore[no-untyped-def]
    from campaign_desktop.gui.wizards.import_wizard import open_import_wizard

    wizard = open_import_wizard(None, service, **kw)
    wizard.confirm_discard = lambda: True  # closing at the end of a test must not wait for an answer
    qtbot.addWidget(wizard)
    qtbot.waitExposed(wizard)
    return wizard


def next_enabled(wizard) -> bool:  # type: ignore[no-untyped-def]
    return wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def press_next(qtbot, wizard) -> None:  # type: ignore[no-untyped-def]
    assert next_enabled(wizard), wizard.currentPage().problems_label.text()
    wizard.next()
    qtbot.wait(1)


def choose_file(qtbot, wizard, path: Path) -> None:  # type: ignore[no-untyped-def]
    """Screen 2: choose the file and wait for its preview (read by a worker)."""
    wizard.file_page.choose_file(str(path))
    qtbot.waitUntil(lambda: wizard.preview is not None or bool(wizard.preview_error), timeout=10_000)


def settle(wizard) -> None:  # type: ignore[no-untyped-def]
    assert wizard.runner.wait_for_idle(), "the wizard's workers did not finish"


def walk_to_execution(qtbot, wizard, path: Path, label: str = "Prospects") -> None:  # type: ignore[no-untyped-def]
    wizard.template_page.label_edit.clear()
    qtbot.keyClicks(wizard.template_page.label_edit, label)
    press_next(qtbot, wizard)
    choose_file(qtbot, wizard, path)
    press_next(qtbot, wizard)  # mapping (guessed)
    press_next(qtbot, wizard)  # reconciliation
    press_next(qtbot, wizard)  # recipients
    press_next(qtbot, wizard)  # execution


def start_and_wait(qtbot, wizard) -> int:  # type: ignore[no-untyped-def]
    page = wizard.execution_page
    with qtbot.waitSignal(wizard.job_started, timeout=10_000) as started:
        page.start_button.click()
    qtbot.waitUntil(lambda: not page.running, timeout=30_000)
    settle(wizard)
    return int(started.args[0])
