"""The core and the CLI never load Qt: the GUI is a thin layer over them."""

from __future__ import annotations

import subprocess
import sys

CORE_MODULES = [
    "campaign_desktop.domain.template",
    "campaign_desktop.storage.database",
    "campaign_desktop.storage.templates_repo",
    "campaign_desktop.services",
    "campaign_desktop.cli.main",
    "campaign_desktop.files",
    "campaign_desktop.mapping",
    "campaign_desktop.reconcile",
    "campaign_desktop.jobs",
]


def test_importing_the_core_and_the_cli_loads_no_pyside6():
    code = (
        "import importlib, sys\n"
        f"for m in {CORE_MODULES!r}: importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"the core loaded Qt: {out.stdout}"


def test_running_a_headless_command_loads_no_pyside6(tmp_path):
    code = (
        "import sys\n"
        "from campaign_desktop.cli.main import main\n"
        f"main(['--db', 'sqlite:///{tmp_path}/a.db', 'templates', 'list'])\n"
        "print('QT' if any(m.startswith('PySide6') for m in sys.modules) else 'NOQT', file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stderr.strip().endswith("NOQT")
