"""File > Database connection: the embedded database, or a shared PostgreSQL server (team mode).

The host, port, database and user are kept in the settings; the password goes to the system
keyring when the user asks for it, and nowhere else. *Test the connection* runs in the
background and says, in a sentence, what answered or why nothing did.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from campaign_desktop.gui.i18n import tr
from campaign_desktop.gui.workers import TaskRunner
from campaign_desktop.storage.connection import (
    ConnectionSettings,
    DatabaseKind,
    PasswordStore,
    PasswordStoreError,
    check_connection,
)
from campaign_desktop.storage.database import default_sqlite_path

OK_STYLE = "color: #1b7f3b;"
ERROR_STYLE = "color: #b3261e;"


class ConnectionDialog(QDialog):
    """Choose the database; ``settings()`` and ``password()`` give the choice after ``exec()``.

    Args:
        current: the settings to start from (what the app runs on now).
        passwords: the keyring.
        reason: why the dialog opened (a failed start-up connection), shown on top in red.
    """

    def __init__(self, current: ConnectionSettings, passwords: PasswordStore | None = None,
                 reason: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("connection_dialog")
        self.setWindowTitle(tr("Database connection"))
        self.setMinimumWidth(520)
        self._passwords = passwords or PasswordStore()
        self._runner = TaskRunner(self)
        self._build(reason)
        self._load(current)
        self._update()

    # --- building ------------------------------------------------------------------------------

    def _build(self, reason: str) -> None:
        layout = QVBoxLayout(self)
        self.reason = QLabel(reason, self)
        self.reason.setObjectName("reason")
        self.reason.setWordWrap(True)
        self.reason.setStyleSheet(ERROR_STYLE)
        self.reason.setVisible(bool(reason))
        layout.addWidget(self.reason)

        self.embedded = QRadioButton(tr("Embedded database on this computer (SQLite)"), self)
        self.embedded.setObjectName("embedded")
        where = QLabel(tr("Stored in {path}").format(path=default_sqlite_path()), self)
        where.setIndent(24)
        where.setStyleSheet("color: palette(mid);")
        self.server = QRadioButton(tr("Shared PostgreSQL server (team mode)"), self)
        self.server.setObjectName("server")
        group = QButtonGroup(self)
        group.addButton(self.embedded)
        group.addButton(self.server)
        layout.addWidget(self.embedded)
        layout.addWidget(where)
        layout.addWidget(self.server)

        self.server_box = QGroupBox(tr("Server"), self)
        form = QFormLayout(self.server_box)
        self.host = QLineEdit(self.server_box)
        self.host.setObjectName("host")
        self.port = QSpinBox(self.server_box)
        self.port.setObjectName("port")
        self.port.setRange(1, 65535)
        self.database = QLineEdit(self.server_box)
        self.database.setObjectName("database")
        self.user = QLineEdit(self.server_box)
        self.user.setObjectName("user")
        self.password_edit = QLineEdit(self.server_box)
        self.password_edit.setObjectName("password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox(tr("Remember the password in the system keyring"), self.server_box)
        self.remember.setObjectName("remember")
        if not self._passwords.available():
            self.remember.setEnabled(False)
            self.remember.setToolTip(tr("No system keyring is available on this computer: the password "
                                        "will be asked at each start. It is never written to a file."))
        form.addRow(tr("Host:"), self.host)
        form.addRow(tr("Port:"), self.port)
        form.addRow(tr("Database:"), self.database)
        form.addRow(tr("User:"), self.user)
        form.addRow(tr("Password:"), self.password_edit)
        form.addRow("", self.remember)
        layout.addWidget(self.server_box)

        self.test_button = QPushButton(tr("Test the connection"), self)
        self.test_button.setObjectName("test_connection")
        self.result = QLabel("", self)
        self.result.setObjectName("result")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.test_button, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.result)
        layout.addStretch(1)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Connect"))
        layout.addWidget(self.buttons)

        self.embedded.toggled.connect(self._update)
        for edit in (self.host, self.database, self.user):
            edit.textChanged.connect(self._update)
        self.test_button.clicked.connect(self.test_connection)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def _load(self, s: ConnectionSettings) -> None:
        (self.embedded if s.kind is DatabaseKind.EMBEDDED else self.server).setChecked(True)
        self.host.setText(s.host)
        self.port.setValue(s.port)
        self.database.setText(s.database)
        self.user.setText(s.user)
        stored = self._passwords.get(s) if s.kind is DatabaseKind.SERVER and s.user else None
        self.password_edit.setText(stored or "")
        self.remember.setChecked(bool(stored))

    # --- state ---------------------------------------------------------------------------------

    def settings(self) -> ConnectionSettings:
        return ConnectionSettings(
            kind=DatabaseKind.EMBEDDED if self.embedded.isChecked() else DatabaseKind.SERVER,
            host=self.host.text().strip(), port=self.port.value(), database=self.database.text().strip(),
            user=self.user.text().strip())

    def password(self) -> str:
        return self.password_edit.text()

    def url(self) -> str | None:
        return self.settings().url(self.password())

    def _update(self) -> None:
        server = self.server.isChecked()
        self.server_box.setEnabled(server)
        self.test_button.setEnabled(server)
        problems = self.settings().problems()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problems)
        if server and problems:
            self._show(" ".join(tr(p) for p in problems), ERROR_STYLE)
        elif self.result.styleSheet() == ERROR_STYLE and not self.result.property("tested"):
            self._show("", "")

    def _show(self, text: str, style: str, tested: bool = False) -> None:
        self.result.setText(text)
        self.result.setStyleSheet(style)
        self.result.setProperty("tested", tested)

    # --- actions -------------------------------------------------------------------------------

    def test_connection(self) -> None:
        """Connect in the background; the answer (or the reason) appears under the button."""
        url = self.url()
        if url is None:
            return
        self.test_button.setEnabled(False)
        self._show(tr("Connecting…"), "", tested=True)
        self._runner.run(lambda: check_connection(url), on_done=self._tested_ok, on_error=self._tested_failed,
                         owner=self)

    def _tested_ok(self, message: str) -> None:
        self.test_button.setEnabled(True)
        self._show(tr(message), OK_STYLE, tested=True)

    def _tested_failed(self, exc: Exception) -> None:
        self.test_button.setEnabled(True)
        self._show(tr(str(exc)), ERROR_STYLE, tested=True)

    def accept(self) -> None:
        """Keep the password in the keyring (or forget it) as the user asked, then close."""
        s = self.settings()
        if s.kind is DatabaseKind.SERVER:
            try:
                if self.remember.isChecked() and self.password():
                    self._passwords.set(s, self.password())
                elif not self.remember.isChecked():
                    self._passwords.forget(s)
            except PasswordStoreError as exc:
                self._show(tr(str(exc)), ERROR_STYLE, tested=True)
                return
        super().accept()

    def done(self, result: int) -> None:
        self._runner.wait_for_idle(CONNECT_WAIT_MS)
        super().done(result)


CONNECT_WAIT_MS = 7_000
"""A test in flight ends within the driver's connect timeout; the dialog waits for it before closing."""
