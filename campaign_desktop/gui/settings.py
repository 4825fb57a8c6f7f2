"""Everything the GUI remembers between sessions, with typed defaults, in one place.

Only this module touches ``QSettings``. Each setting is declared once (key, type, default);
a value that is missing or of the wrong type (an older or hand-edited file) reads as its
default instead of raising in some widget.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from campaign_desktop.storage.connection import ConnectionSettings, DatabaseKind

log = logging.getLogger(__name__)

ORGANIZATION = "CampaignDesktop"
APPLICATION = "Campaign Desktop"
VERSION = 1
"""Stored as ``settings_version``; bump it and migrate in :meth:`GuiSettings._migrate` when a key changes."""


class GuiSettings:
    """Window geometry, splitter sizes and the last selected explorer node.

    Args:
        path: an INI file to use instead of the user's settings (tests, portable installs).
    """

    def __init__(self, path: Path | None = None) -> None:
        if path is None:
            self._qs = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION,
                                 APPLICATION)
        else:
            self._qs = QSettings(str(path), QSettings.Format.IniFormat)
        self._migrate()

    @property
    def file_name(self) -> str:
        return self._qs.fileName()

    def sync(self) -> None:
        self._qs.sync()

    # --- typed accessors -------------------------------------------------------------------

    def _bytes(self, key: str) -> QByteArray:
        value = self._qs.value(key)
        return value if isinstance(value, QByteArray) else QByteArray()

    def _ints(self, key: str, default: list[int]) -> list[int]:
        value = self._qs.value(key)
        if isinstance(value, str):  # INI files store a one-element list as a plain string
            value = [value]
        try:
            sizes = [int(v) for v in value] if isinstance(value, list) else []
        except (TypeError, ValueError):
            sizes = []
        return sizes if len(sizes) == len(default) and sum(sizes) > 0 else list(default)

    def _str(self, key: str, default: str) -> str:
        value = self._qs.value(key)
        return value if isinstance(value, str) else default

    # --- the settings ----------------------------------------------------------------------

    @property
    def window_geometry(self) -> QByteArray:
        return self._bytes("window/geometry")

    @window_geometry.setter
    def window_geometry(self, value: QByteArray) -> None:
        self._qs.setValue("window/geometry", value)

    @property
    def window_state(self) -> QByteArray:
        """Toolbar positions (QMainWindow.saveState)."""
        return self._bytes("window/state")

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self._qs.setValue("window/state", value)

    @property
    def explorer_splitter(self) -> list[int]:
        """Widths of the explorer tree and the right-hand side."""
        return self._ints("window/explorer_splitter", [280, 920])

    @explorer_splitter.setter
    def explorer_splitter(self, sizes: list[int]) -> None:
        self._qs.setValue("window/explorer_splitter", [int(s) for s in sizes])

    @property
    def list_splitter(self) -> list[int]:
        """Heights of the list and of the detail pane below it."""
        return self._ints("window/list_splitter", [330, 420])

    @list_splitter.setter
    def list_splitter(self, sizes: list[int]) -> None:
        self._qs.setValue("window/list_splitter", [int(s) for s in sizes])

    @property
    def last_node(self) -> str:
        """The key of the explorer node selected when the window closed."""
        return self._str("explorer/last_node", "home")

    @last_node.setter
    def last_node(self, key: str) -> None:
        self._qs.setValue("explorer/last_node", key)

    @property
    def connection(self) -> ConnectionSettings:
        """The database chosen in File > Database connection (never its password: see PasswordStore)."""
        kind = self._str("database/kind", DatabaseKind.EMBEDDED.value)
        try:
            port = int(self._str("database/port", "5432"))
        except ValueError:
            port = 5432
        return ConnectionSettings(
            kind=DatabaseKind(kind) if kind in {k.value for k in DatabaseKind} else DatabaseKind.EMBEDDED,
            host=self._str("database/host", "localhost"), port=port,
            database=self._str("database/name", "campaign"), user=self._str("database/user", ""))

    @connection.setter
    def connection(self, value: ConnectionSettings) -> None:
        self._qs.setValue("database/kind", value.kind.value)
        self._qs.setValue("database/host", value.host)
        self._qs.setValue("database/port", str(value.port))
        self._qs.setValue("database/name", value.database)
        self._qs.setValue("database/user", value.user)

    @property
    def recipient_hidden_columns(self) -> list[str]:
        """Columns of the Recipients table the user has hidden (their sort keys: "city", "created"...)."""
        value = self._qs.value("recipients/hidden_columns")
        if isinstance(value, str):  # INI files store a one-element list as a plain string
            value = [value] if value else []
        return [str(v) for v in value] if isinstance(value, list) else []

    @recipient_hidden_columns.setter
    def recipient_hidden_columns(self, keys: list[str]) -> None:
        self._qs.setValue("recipients/hidden_columns", list(keys))

    @property
    def recipient_search_field(self) -> str:
        """Where the quick search looks: "any", "email", "last_name" or "account"."""
        return self._str("recipients/search_field", "any")

    @recipient_search_field.setter
    def recipient_search_field(self, value: str) -> None:
        self._qs.setValue("recipients/search_field", value)

    def _migrate(self) -> None:
        stored = self._qs.value("settings_version")
        try:
            version = int(stored) if stored is not None else 0
        except (TypeError, ValueError):
            version = 0
        if version > VERSION:
            log.warning("settings %s come from a newer version (%s); unknown keys are ignored",
                        self._qs.fileName(), version)
            return
        if version < VERSION:
            self._qs.setValue("settings_version", VERSION)
