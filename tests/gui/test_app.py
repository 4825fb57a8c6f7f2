"""Starting the application: ``campaign-desktop`` with no command."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from campaign_desktop.gui.app import EXIT_DATABASE, run_gui
from campaign_desktop.gui.database_names import database_display, short_database_name
from campaign_desktop.gui.explorer.main_window import MainWindow
from campaign_desktop.gui.settings import GuiSettings


def close_when_shown(kind: type, found: list[str], action: str = "close") -> QTimer:
    """Poll for a top-level widget of ``kind`` (a modal box blocks the test), note its text, close it."""
    timer = QTimer()

    def look() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, kind) and widget.isVisible():
                found.append(widget.text() if isinstance(widget, QMessageBox) else widget.windowTitle())
                getattr(widget, action)()
                timer.stop()

    timer.timeout.connect(look)
    timer.start(20)
    return timer


def test_an_unreadable_database_gives_a_clear_message_and_exit_code_2(qapp, tmp_path):
    bad = tmp_path / "c.db"
    bad.write_bytes(b"this is not a database, it is a shopping list\n" * 50)
    found: list[str] = []
    timer = close_when_shown(QMessageBox, found)
    assert run_gui(f"sqlite:///{bad}", settings_path=tmp_path / "s.ini") == EXIT_DATABASE
    timer.stop()
    assert len(found) == 1
    assert found[0].startswith("Campaign Desktop cannot open its database.")
    assert "file is not a database" in found[0]
    assert "Traceback" not in found[0]


def test_an_unsupported_address_gives_a_clear_message_and_exit_code_2(qapp, tmp_path):
    found: list[str] = []
    timer = close_when_shown(QMessageBox, found)
    assert run_gui("mysql://me@db/campaign", settings_path=tmp_path / "s.ini") == EXIT_DATABASE
    timer.stop()
    assert "Only SQLite and PostgreSQL databases are supported" in found[0]


def test_the_window_opens_on_the_database_and_remembers_its_layout(qapp, tmp_path):
    found: list[str] = []
    timer = close_when_shown(MainWindow, found)
    assert run_gui(f"sqlite:///{tmp_path / 'c.db'}", settings_path=tmp_path / "s.ini") == 0
    timer.stop()
    assert found == ["Campaign Desktop — c.db"]
    settings = GuiSettings(tmp_path / "s.ini")
    assert not settings.window_geometry.isEmpty()
    assert settings.last_node == "home"
    assert (tmp_path / "c.db").exists()


def test_database_names_read_like_words():
    assert short_database_name("sqlite:////home/me/.local/share/CampaignDesktop/campaign.db") == "campaign.db"
    assert short_database_name("postgresql+psycopg://me:***@db.example.com:5432/campaign") == (
        "campaign on db.example.com")
    assert database_display("sqlite:////tmp/c.db") == "/tmp/c.db (SQLite file)"
    assert database_display("postgresql+psycopg://me:***@db:5433/campaign") == (
        "campaign on db:5433 (PostgreSQL) as me")


def test_settings_have_typed_defaults_and_survive_bad_values(qapp, tmp_path: Path):
    path = tmp_path / "s.ini"
    settings = GuiSettings(path)
    assert settings.explorer_splitter == [280, 920]
    assert settings.list_splitter == [330, 420]
    assert settings.last_node == "home"
    settings.list_splitter = [100, 500]
    settings.last_node = "resources/templates/job_templates"
    settings.sync()
    again = GuiSettings(path)
    assert again.list_splitter == [100, 500]
    assert again.last_node == "resources/templates/job_templates"
    path.write_text("[window]\nlist_splitter=garbage\nexplorer_splitter=1, 2, 3\n", encoding="utf-8")
    broken = GuiSettings(path)
    assert broken.list_splitter == [330, 420]
    assert broken.explorer_splitter == [280, 920]


def test_the_explorer_tree_stays_readable_whatever_width_was_saved(qtbot, gui_service, tmp_path):
    """A window once closed before it was laid out saved a sliver: the tree must still show its labels."""
    from tests.gui.helpers import make_app, open_window

    app = make_app(gui_service, tmp_path)
    app.settings.explorer_splitter = [20, 1200]
    window = open_window(qtbot, app)
    label = window.tree.fontMetrics().horizontalAdvance("Generic imports and exports")
    assert window.tree.width() > label + window.tree.indentation() * 3
    window.close()
