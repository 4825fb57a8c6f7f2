"""The compiled icon resources match the SVG sources, and every icon the GUI names exists."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFile, QIODevice

from campaign_desktop.domain.explorer import build_explorer_tree
from campaign_desktop.gui.icons import STATUS_ICONS, icon

ICONS = Path(__file__).resolve().parents[2] / "resources" / "icons"


def resource_bytes(name: str) -> bytes:
    f = QFile(f":/icons/{name}")
    assert f.open(QIODevice.OpenModeFlag.ReadOnly), f"{name} is not in resources_rc.py"
    try:
        return bytes(f.readAll().data())
    finally:
        f.close()


def test_compiled_resources_are_up_to_date():
    """If this fails, run: python resources/compile.py"""
    for svg in sorted(ICONS.glob("*.svg")):
        assert resource_bytes(svg.name) == svg.read_bytes(), f"{svg.name} changed since the last compile"


def test_every_icon_the_gui_names_exists(qapp):
    names = {n.icon for n in build_explorer_tree().walk()} | set(STATUS_ICONS.values())
    names |= {"lock", "template", "import-template", "export-template", "new", "duplicate", "rename",
              "delete", "refresh", "start", "app", "list", "service", "job", "home"}
    for name in sorted(names):
        assert (ICONS / f"{name}.svg").exists(), name
        assert not icon(name).pixmap(16, 16).isNull(), name
