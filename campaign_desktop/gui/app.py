"""Starting the GUI: ``campaign-desktop`` with no command ends up in :func:`run_gui`.

:class:`CampaignApp` is the one application object: the open database (the service façade),
the background runner, the settings and the crash handler. It is handed to the window
explicitly; nothing else in the GUI is global, so tests build as many as they like.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMessageLogContext, QObject, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QStyleFactory, QWidget
from sqlalchemy.exc import DBAPIError

from campaign_desktop.gui.about import app_version
from campaign_desktop.gui.errors import CrashHandler, error_text
from campaign_desktop.gui.i18n import tr
from campaign_desktop.gui.icons import icon
from campaign_desktop.gui.settings import APPLICATION, ORGANIZATION, GuiSettings
from campaign_desktop.gui.workers import TaskRunner
from campaign_desktop.services import CampaignService
from campaign_desktop.storage.connection import DatabaseKind, PasswordStore
from campaign_desktop.storage.database import ENV_VAR, DatabaseUrlError

log = logging.getLogger(__name__)

EXIT_DATABASE = 2
"""Exit code when the database cannot be opened (the CLI's code for unusable input)."""


class CampaignApp(QObject):
    """The application: what every window and operation needs, passed explicitly.

    Attributes:
        service: the open database.
        settings: what the GUI remembers between sessions.
        runner: runs database calls off the GUI thread.
        crash: shows errors; catches uncaught exceptions once installed.
    """

    def __init__(self, service: CampaignService, settings: GuiSettings, crash: CrashHandler | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.settings = settings
        self.crash = crash or CrashHandler(self)
        self.runner = TaskRunner(self)
        self.runner.failed.connect(lambda exc: self.show_error(self.crash.window, exc))

    def show_error(self, parent: QWidget | None, exc: BaseException) -> None:
        self.crash.show_error(parent, exc)

    def shutdown(self) -> None:
        """Let background calls finish, then close the database."""
        if not self.runner.wait_for_idle():
            log.warning("closing while background work is still running")
        self.settings.sync()
        self.service.close()


def open_failure_text(exc: BaseException) -> str:
    """Why the database cannot be opened, for the message box (never a traceback)."""
    if isinstance(exc, DatabaseUrlError):
        reason = str(exc)
    elif isinstance(exc, DBAPIError):
        reason = str(exc.orig).strip() or type(exc.orig).__name__
    elif isinstance(exc, OSError):
        reason = error_text(exc)
    else:
        reason = str(exc) or type(exc).__name__
    return tr("Campaign Desktop cannot open its database.\n\n{reason}\n\n"
              "Check the address given with --db or in CAMPAIGN_DESKTOP_DB, that the database server is "
              "running, and that the file is a Campaign Desktop database.").format(reason=reason)


def _qt_message_to_logging(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    level = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
             QtMsgType.QtWarningMsg: logging.WARNING}.get(mode, logging.ERROR)
    logging.getLogger("qt").log(level, "%s", message)


def application(argv: Sequence[str] | None = None) -> QApplication:
    """The QApplication (created once per process), named and styled for Campaign Desktop."""
    qapp = QApplication.instance()
    if not isinstance(qapp, QApplication):
        qapp = QApplication(list(argv) if argv is not None else sys.argv[:1])
    qapp.setOrganizationName(ORGANIZATION)
    qapp.setApplicationName(APPLICATION)
    qapp.setApplicationVersion(app_version())
    qapp.setWindowIcon(icon("app"))
    if "Fusion" in QStyleFactory.keys():
        qapp.setStyle("Fusion")  # the same look on every desktop, close to Campaign's console
    return qapp


def run_gui(db_url: str | None = None, *, settings_path: Path | None = None,
            argv: Sequence[str] | None = None) -> int:
    """Open the main window on the database at ``db_url`` (see ``storage.database.resolve_url``).

    Without ``db_url`` (nor ``CAMPAIGN_DESKTOP_DB``), the database chosen in File > Database
    connection is used. When the database cannot be opened, the message offers the connection
    settings; *File > Database connection* reopens the window on the newly chosen database.

    Returns:
        The exit code: 0 after the window is closed, 2 if the database cannot be opened.
    """
    qapp = application(argv)
    if not _under_test():
        qInstallMessageHandler(_qt_message_to_logging)
    crash = CrashHandler(qapp)
    crash.install()
    settings = GuiSettings(settings_path)
    url = startup_url(db_url, settings)
    try:
        while True:
            try:
                service = CampaignService.open(url)
            except Exception as exc:  # noqa: BLE001 - whatever the cause, a message, then settings or exit 2
                log.debug("cannot open the database", exc_info=True)
                url = _ask_for_another_database(exc, settings)
                if url is _GIVE_UP:
                    return EXIT_DATABASE
                continue
            from campaign_desktop.gui.explorer.main_window import MainWindow

            app = CampaignApp(service, settings, crash, qapp)
            window = MainWindow(app)
            crash.window = window
            window.show()
            try:
                code = int(qapp.exec())
            finally:
                app.shutdown()
                app.deleteLater()
            window.deleteLater()
            if not getattr(window, "reopen_requested", False):
                return code
            url = window.reopen_url
    finally:
        crash.uninstall()


_GIVE_UP: Any = object()
"""No (other) database to open: leave."""


def startup_url(db_url: str | None, settings: GuiSettings) -> str | None:
    """``--db``, else the environment's, else the connection saved in the settings (None: embedded)."""
    if db_url or os.environ.get(ENV_VAR):
        return db_url
    chosen = settings.connection
    return chosen.url(PasswordStore().get(chosen) if chosen.kind is DatabaseKind.SERVER else None)


def _ask_for_another_database(exc: BaseException, settings: GuiSettings) -> Any:
    """Say why the database cannot be opened; offer the connection settings. A URL to try, or _GIVE_UP."""
    box = QMessageBox(QMessageBox.Icon.Critical, tr("Campaign Desktop"), open_failure_text(exc),
                      QMessageBox.StandardButton.Close)
    box.setObjectName("database_error")
    box.setWindowIcon(QIcon(icon("app")))
    settings_button = box.addButton(tr("Connection settings…"), QMessageBox.ButtonRole.ActionRole)
    box.exec()
    if box.clickedButton() is not settings_button:
        return _GIVE_UP
    from campaign_desktop.gui.dialogs.connection_dialog import ConnectionDialog

    dialog = ConnectionDialog(settings.connection, reason=open_failure_text(exc).split("\n\n")[1])
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return _GIVE_UP
    settings.connection = dialog.settings()
    settings.sync()
    return dialog.url()


def _under_test() -> bool:
    """pytest-qt captures Qt's messages itself; don't take its handler away."""
    return "pytestqt" in sys.modules
