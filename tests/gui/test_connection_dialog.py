"""Team mode: a marketer points the app at the shared PostgreSQL server, and back.

The password goes to the system keyring (here an in-memory keyring behind the real ``keyring``
API), never to the settings file; a failed connection says why; a database that cannot be
opened at start-up offers the connection settings instead of just quitting.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox
from sqlalchemy.engine import make_url

from campaign_desktop.gui.app import run_gui, startup_url
from campaign_desktop.gui.dialogs.connection_dialog import ConnectionDialog
from campaign_desktop.gui.explorer.main_window import MainWindow
from campaign_desktop.gui.settings import GuiSettings
from campaign_desktop.storage.connection import ConnectionSettings, DatabaseKind, PasswordStore
from campaign_desktop.storage.database import ENV_VAR
from tests.support.memory_keyring import memory_keyring

PASSWORD = "s3cret-Pa55"


def fill_in(qtbot, dialog: ConnectionDialog, url: str, password: str = PASSWORD) -> None:  # type: ignore[no-untyped-def]
    parsed = make_url(url)
    qtbot.mouseClick(dialog.server, Qt.MouseButton.LeftButton)
    for edit, value in ((dialog.host, parsed.host), (dialog.database, parsed.database),
                        (dialog.user, parsed.username)):
        edit.clear()
        qtbot.keyClicks(edit, value)
    dialog.port.setValue(int(parsed.port))
    qtbot.keyClicks(dialog.password_edit, password)


def connect_button(dialog: ConnectionDialog):  # type: ignore[no-untyped-def]
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


@pytest.mark.postgres
def test_the_server_is_tested_in_the_background_and_its_password_kept_in_the_keyring_only(
        qtbot, pg_cluster, tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    pg_cluster.admin_execute("CREATE DATABASE cd_team TEMPLATE cd_template")
    settings_path = tmp_path / "s.ini"
    with memory_keyring() as keyring:
        settings = GuiSettings(settings_path)
        dialog = ConnectionDialog(settings.connection)
        qtbot.addWidget(dialog)
        assert dialog.embedded.isChecked() and not dialog.server_box.isEnabled()
        fill_in(qtbot, dialog, pg_cluster.url("cd_team"))
        dialog.remember.setChecked(True)
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "Connected: PostgreSQL" in dialog.result.text(), timeout=10_000)
        dialog.show()
        dialog.grab().save(str(tmp_path / "connection.png"))

        qtbot.mouseClick(connect_button(dialog), Qt.MouseButton.LeftButton)
        settings.connection = dialog.settings()
        settings.sync()

        chosen = GuiSettings(settings_path).connection
        assert chosen.kind is DatabaseKind.SERVER and chosen.database == "cd_team"
        assert PASSWORD not in settings_path.read_text(encoding="utf-8")
        assert keyring.passwords == {("Campaign Desktop", chosen.account): PASSWORD}

        # Next start: the app opens on the server, with the keyring's password.
        assert make_url(startup_url(None, GuiSettings(settings_path))).password == PASSWORD
        found: list[str] = []
        timer = QTimer()
        timer.timeout.connect(lambda: [(found.append(w.windowTitle()), w.close())
                                       for w in QApplication.topLevelWidgets()
                                       if isinstance(w, MainWindow) and w.isVisible()])
        timer.start(20)
        assert run_gui(None, settings_path=settings_path) == 0
        timer.stop()
        assert found == ["Campaign Desktop — cd_team on 127.0.0.1"]
    pg_cluster.admin_execute("DROP DATABASE IF EXISTS cd_team WITH (FORCE)")


@pytest.mark.postgres
def test_a_failed_connection_says_why(qtbot, pg_cluster):
    dialog = ConnectionDialog(ConnectionSettings(), passwords=PasswordStore())
    qtbot.addWidget(dialog)
    fill_in(qtbot, dialog, pg_cluster.url("no_such_database"))
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "no such database" in dialog.result.text(), timeout=10_000)

    dialog.port.setValue(1)
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "cannot be reached" in dialog.result.text(), timeout=10_000)
    assert "Traceback" not in dialog.result.text()


def test_connect_waits_for_the_required_fields_and_says_which(qtbot):
    dialog = ConnectionDialog(ConnectionSettings())
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.server, Qt.MouseButton.LeftButton)
    dialog.user.clear()
    assert not connect_button(dialog).isEnabled()
    assert "Enter the user name." in dialog.result.text()
    qtbot.keyClicks(dialog.user, "marketer")
    assert connect_button(dialog).isEnabled() and dialog.result.text() == ""


def test_without_a_system_keyring_the_password_is_never_stored(qtbot):
    dialog = ConnectionDialog(ConnectionSettings())  # this machine has no Secret Service
    qtbot.addWidget(dialog)
    if PasswordStore.available():
        pytest.skip("this machine has a system keyring")
    assert not dialog.remember.isEnabled()
    assert "never written to a file" in dialog.remember.toolTip()


def test_a_server_that_cannot_be_reached_at_start_up_offers_the_connection_settings(qtbot, tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # the embedded database's folder
    settings_path = tmp_path / "s.ini"
    saved = GuiSettings(settings_path)
    saved.connection = ConnectionSettings(DatabaseKind.SERVER, "127.0.0.1", 1, "campaign", "marketer")
    saved.sync()
    seen: list[str] = []

    def answer() -> None:
        for w in QApplication.topLevelWidgets():
            if not w.isVisible():
                continue
            if isinstance(w, QMessageBox):
                seen.append(w.text())
                next(b for b in w.buttons() if "Connection settings" in b.text()).click()
            elif isinstance(w, ConnectionDialog):
                seen.append(w.reason.text())
                w.embedded.setChecked(True)
                connect_button(w).click()
            elif isinstance(w, MainWindow):
                seen.append(w.windowTitle())
                w.close()

    timer = QTimer()
    timer.timeout.connect(answer)
    timer.start(30)
    assert run_gui(None, settings_path=settings_path) == 0
    timer.stop()
    assert seen[0].startswith("Campaign Desktop cannot open its database.")
    assert "cannot be reached" in seen[1] or "Connection refused" in seen[1]
    assert seen[2] == "Campaign Desktop — campaign.db"
    assert GuiSettings(settings_path).connection.kind is DatabaseKind.EMBEDDED


def test_file_database_connection_reopens_the_window_on_the_chosen_database(qtbot, tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    settings_path = tmp_path / "s.ini"
    titles: list[str] = []

    def answer() -> None:
        for w in QApplication.topLevelWidgets():
            if not w.isVisible():
                continue
            if isinstance(w, ConnectionDialog):
                w.embedded.setChecked(True)
                connect_button(w).click()
            elif isinstance(w, MainWindow) and w.windowTitle() not in titles[-1:]:
                titles.append(w.windowTitle())
                if len(titles) == 1:  # the first window: File > Database connection…
                    QTimer.singleShot(0, w.actions.database_connection.trigger)
                else:
                    w.close()

    timer = QTimer()
    timer.timeout.connect(answer)
    timer.start(30)
    assert run_gui(f"sqlite:///{tmp_path / 'first.db'}", settings_path=settings_path) == 0
    timer.stop()
    assert titles == ["Campaign Desktop — first.db", "Campaign Desktop — campaign.db"]
    assert (tmp_path / "data" / "CampaignDesktop" / "campaign.db").exists()
