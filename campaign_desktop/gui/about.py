"""Help > About: what this application is, its version, and which database it has open."""

from __future__ import annotations

from importlib import metadata

from PySide6 import __version__ as pyside_version
from PySide6.QtWidgets import QMessageBox, QWidget

from campaign_desktop.gui.database_names import database_display
from campaign_desktop.gui.errors import message_box
from campaign_desktop.gui.i18n import tr


def app_version() -> str:
    try:
        return metadata.version("campaign-desktop")
    except metadata.PackageNotFoundError:  # running from a checkout that was never installed
        return "dev"


def show_about(parent: QWidget, database_url: str) -> QMessageBox:
    text = tr("<b>Campaign Desktop</b> {version}<br>Generic imports and exports of recipient profiles, "
              "in the spirit of the Adobe Campaign Classic console.<br><br>Database: {database}<br>"
              "Qt for Python {qt}").format(version=app_version(), database=database_display(database_url),
                                            qt=pyside_version)
    return message_box(parent, text, title=tr("About Campaign Desktop"), icon=QMessageBox.Icon.Information,
                       name="about")
