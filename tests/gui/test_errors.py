"""Errors: a message for what a user can fix, the crash dialog (and a log) for a bug."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from campaign_desktop.domain.errors import ReadOnlyError
from campaign_desktop.gui.errors import CrashDialog, CrashHandler


def test_a_bug_opens_the_crash_dialog_logs_the_traceback_and_the_window_stays(qtbot, tmp_path):
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    crash = CrashHandler(log_path=tmp_path / "logs" / "crash.log")
    crash.window = window
    try:
        {}["missing"]
    except KeyError:
        crash.handle(*sys.exc_info())

    dialog = window.findChild(CrashDialog, "crash_dialog")
    assert dialog is not None and dialog.isVisible()
    assert "KeyError: 'missing'" in dialog.details.toPlainText()
    texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert str(tmp_path / "logs" / "crash.log") in texts  # the user is told where the details are
    log = (tmp_path / "logs" / "crash.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "KeyError: 'missing'" in log

    try:
        raise RuntimeError("second")
    except RuntimeError:
        crash.handle(*sys.exc_info())
    assert len(window.findChildren(CrashDialog)) == 1  # one dialog, however many follow
    assert "RuntimeError: second" in dialog.details.toPlainText()
    assert window.isVisible()
    dialog.close()


def test_the_crash_handler_is_the_excepthook_while_installed(tmp_path):
    crash = CrashHandler(log_path=tmp_path / "crash.log")
    before = sys.excepthook
    crash.install()
    try:
        assert sys.excepthook == crash.handle
    finally:
        crash.uninstall()
    assert sys.excepthook is before


def test_a_user_error_is_a_plain_message_not_a_crash(qtbot, tmp_path):
    window = QWidget()
    qtbot.addWidget(window)
    crash = CrashHandler(log_path=tmp_path / "crash.log")
    error = ReadOnlyError("'New text import' is a built-in template and cannot be modified.")
    crash.show_error(window, error)
    box = window.findChild(QMessageBox, "error_message")
    assert box is not None and "cannot be modified" in box.text()
    assert window.findChild(CrashDialog) is None
    assert not (tmp_path / "crash.log").exists()
    box.close()


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_reaches_the_crash_dialog_and_the_window_lives_on(qtbot, tmp_path):
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    crash = CrashHandler(log_path=tmp_path / "crash.log")
    crash.window = window
    crash.install()
    try:
        def buggy_slot() -> None:
            raise ZeroDivisionError("a bug in a slot")

        QTimer.singleShot(0, buggy_slot)
        qtbot.waitUntil(lambda: window.findChild(CrashDialog) is not None)
    finally:
        crash.uninstall()
    assert "ZeroDivisionError: a bug in a slot" in (tmp_path / "crash.log").read_text(encoding="utf-8")
    assert window.isVisible()
    window.findChild(CrashDialog).close()
