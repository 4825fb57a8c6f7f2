"""How errors reach the user: a message for what they can fix, a crash dialog for bugs.

A :class:`~campaign_desktop.domain.errors.UserError` (a built-in cannot be renamed, a label
is empty...) or an environment problem (the database server is unreachable, the disk is
full) becomes a plain message box. Anything else is a bug: :class:`CrashHandler` logs its
traceback to a file and shows it in a dialog, and the window stays open.
"""

from __future__ import annotations

import logging
import sys
import traceback
from datetime import datetime
from pathlib import Path
from types import TracebackType

from platformdirs import user_log_dir
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import OperationalError

from campaign_desktop.domain.errors import UserError
from campaign_desktop.domain.serialization import FormatError
from campaign_desktop.gui.i18n import tr
from campaign_desktop.storage.database import DatabaseUrlError

log = logging.getLogger(__name__)

EXPECTED_ERRORS: tuple[type[BaseException], ...] = (
    UserError, FormatError, DatabaseUrlError, OperationalError, OSError,
)
"""Errors the user or the environment caused: shown as a message, never as a crash."""


def error_text(exc: BaseException) -> str:
    """The message a marketer reads for an expected error."""
    if isinstance(exc, OperationalError):
        return tr("The database cannot be used right now: {reason}").format(reason=str(exc.orig).strip())
    if isinstance(exc, OSError) and exc.strerror:
        where = f" ({exc.filename})" if exc.filename else ""
        return f"{exc.strerror}{where}"
    return str(exc)


def message_box(parent: QWidget | None, text: str, *, title: str = "", icon: QMessageBox.Icon =
                QMessageBox.Icon.Warning, name: str = "message") -> QMessageBox:
    """Show a window-modal message without blocking the caller (the box deletes itself when closed)."""
    box = QMessageBox(icon, title or tr("Campaign Desktop"), text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName(name)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def default_log_path() -> Path:
    return Path(user_log_dir("CampaignDesktop", appauthor=False)) / "crash.log"


class CrashDialog(QDialog):
    """Tells the user something went wrong, where the details are, and lets them carry on."""

    def __init__(self, parent: QWidget | None, details: str, log_path: Path | None) -> None:
        super().__init__(parent)
        self.setObjectName("crash_dialog")
        self.setWindowTitle(tr("Campaign Desktop: unexpected error"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(self)
        where = (tr("The details were saved in {path}.").format(path=log_path) if log_path
                 else tr("The details could not be saved to a file; copy them from below."))
        intro = QLabel(tr("Something went wrong inside Campaign Desktop. Your data is safe: the "
                          "last action may not have finished. You can keep working.") + "\n" + where
                       + "\n" + tr("Please send the details below to your support team."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setMinimumSize(560, 220)
        layout.addWidget(self.details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def append(self, details: str) -> None:
        self.details.appendPlainText("\n" + details)


class CrashHandler(QObject):
    """Catches every uncaught exception of the GUI (``sys.excepthook``): log, dialog, keep running.

    Args:
        log_path: the file tracebacks are appended to (the user's log folder by default).
    """

    def __init__(self, parent: QObject | None = None, log_path: Path | None = None) -> None:
        super().__init__(parent)
        self.log_path = log_path or default_log_path()
        self.window: QWidget | None = None  # the dialog's parent, once the main window exists
        self._dialog: CrashDialog | None = None
        self._previous_hook = sys.excepthook

    def install(self) -> None:
        self._previous_hook = sys.excepthook
        sys.excepthook = self.handle

    def uninstall(self) -> None:
        if sys.excepthook == self.handle:
            sys.excepthook = self._previous_hook

    def handle(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            self._previous_hook(exc_type, exc, tb)
            return
        details = "".join(traceback.format_exception(exc_type, exc, tb))
        log.error("uncaught exception\n%s", details)
        saved = self._write(details)
        try:
            if self._dialog is not None and self._dialog.isVisible():
                self._dialog.append(details)  # one dialog, however many errors follow
                return
            self._dialog = CrashDialog(self.window, details, saved)
            self._dialog.finished.connect(self._forget_dialog)
            self._dialog.open()
        except Exception:  # noqa: BLE001 - never let the crash handler itself crash
            log.exception("cannot show the crash dialog")

    def show_error(self, parent: QWidget | None, exc: BaseException) -> None:
        """Present ``exc``: a message for an expected error, the crash dialog for a bug."""
        if isinstance(exc, EXPECTED_ERRORS):
            log.info("user-facing error: %s", exc)
            message_box(parent, error_text(exc), name="error_message")
        else:
            self.handle(type(exc), exc, exc.__traceback__)

    def _forget_dialog(self) -> None:
        self._dialog = None

    def _write(self, details: str) -> Path | None:
        try:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            with self.log_path.open("a", encoding="utf-8") as f:
                f.write(f"--- {datetime.now().isoformat(timespec='seconds')}\n{details}\n")
            return self.log_path
        except OSError:
            log.exception("cannot write the crash log %s", self.log_path)
            return None
