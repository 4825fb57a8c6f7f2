"""GUI fixtures: a real database, a real application object, real widgets, Qt offscreen.

Every GUI test fails on an unexpected Qt warning (qutebrowser's rule): the C++ model tester
reports a broken model as a warning, and so does Qt for most misuse of its API.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.gui.helpers import make_app, open_window

GUI_TESTS = Path(__file__).parent

QT_LOG_IGNORE = (
    # What the offscreen platform cannot do (windows, popups); not our code's problems.
    r"This plugin does not support propagateSizeHints\(\)",
    r"This plugin does not support raise\(\)",
    r"This plugin does not support grabbing the (keyboard|mouse)",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if GUI_TESTS in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))
            item.add_marker(pytest.mark.qt_log_ignore(*QT_LOG_IGNORE))


@pytest.fixture(autouse=True, scope="session")
def garbage_collected_on_the_gui_thread(qapp):  # type: ignore[no-untyped-def]
    """As in the app: cycles holding Qt objects are never collected in a worker thread (see gc_guard)."""
    from campaign_desktop.gui.gc_guard import install

    collector = install(qapp)
    yield collector
    collector.stop()


@pytest.fixture
def gui_service(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A service on a fresh SQLite database (GUI stories don't need both backends)."""
    from campaign_desktop.services import CampaignService

    service = CampaignService.open(f"sqlite:///{tmp_path / 'c.db'}")
    yield service
    service.close()


@pytest.fixture
def gui_app(qapp, gui_service, tmp_path: Path):  # type: ignore[no-untyped-def]
    app = make_app(gui_service, tmp_path)
    yield app
    assert app.runner.wait_for_idle(), "background work still running at the end of the test"


@pytest.fixture
def window(qtbot, gui_app) -> Iterator[object]:  # type: ignore[no-untyped-def]
    win = open_window(qtbot, gui_app)
    yield win
    win.close()
    gui_app.runner.wait_for_idle()


