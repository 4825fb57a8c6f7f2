"""The window's actions (menus, toolbar, context menu) and their state for the selected item.

Whether Duplicate, Rename, Delete and Start apply is the item's business
(:class:`~campaign_desktop.domain.explorer.ExplorerItem` capabilities); :func:`item_action_states`
turns those answers into enabled flags and tooltips, as a pure function tests can call
without a window. Menu, toolbar and right-click menu share the same ``QAction`` objects, so
they always agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

from campaign_desktop.domain.explorer import ExplorerItem, TemplateItem
from campaign_desktop.domain.template import JobKind
from campaign_desktop.gui.i18n import tr
from campaign_desktop.gui.icons import icon

STARTABLE_KINDS = frozenset({JobKind.IMPORT, JobKind.EXPORT})
"""Kinds of template a job can be started from (each has its wizard)."""

ITEM_ACTIONS = ("duplicate", "rename", "delete", "start")


@dataclass(frozen=True)
class ActionState:
    enabled: bool
    tooltip: str


def item_action_states(item: ExplorerItem | None) -> dict[str, ActionState]:
    """How Duplicate, Rename, Delete and Start look for the selected ``item`` (None: no selection)."""
    builtin = isinstance(item, TemplateItem) and item.builtin
    read_only_hint = tr("Built-in template: duplicate it to make changes")
    if item is None:
        nothing = tr("Select an item in the list first")
        return {name: ActionState(False, nothing) for name in ITEM_ACTIONS}
    label = item.label
    states = {
        "duplicate": ActionState(item.can_duplicate,
                                 tr("Make an editable copy of “{label}”").format(label=label)
                                 if item.can_duplicate else tr("This item cannot be duplicated")),
        "rename": ActionState(item.can_rename, tr("Rename “{label}”").format(label=label) if item.can_rename
                              else read_only_hint if builtin else tr("This item cannot be renamed")),
        "delete": ActionState(item.can_delete, tr("Delete “{label}”").format(label=label) if item.can_delete
                              else read_only_hint if builtin else tr("This item cannot be deleted")),
    }
    if not item.can_start:
        states["start"] = ActionState(False, tr("This item cannot be started"))
    elif isinstance(item, TemplateItem) and item.template.kind not in STARTABLE_KINDS:
        states["start"] = ActionState(False, tr("Available with the export wizard"))
    else:
        states["start"] = ActionState(True, tr("Start a job from “{label}”").format(label=label))
    return states


class ExplorerActions(QObject):
    """Every action of the main window, created once; the window connects their ``triggered``."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.new_import = self._action("new_import", tr("&Import…"), "import", tip=tr("Start a new data import"))
        self.new_export = self._action("new_export", tr("E&xport…"), "export", tip=tr("Start a new data export"))
        self.new_import_template = self._action("new_import_template", tr("&Import template"),
                                                "import-template", tip=tr("Create an import template"))
        self.new_export_template = self._action("new_export_template", tr("&Export template"),
                                                "export-template", tip=tr("Create an export template"))
        self.database_connection = self._action(
            "database_connection", tr("&Database connection…"),
            tip=tr("Work on the embedded database or on a shared PostgreSQL server"))
        self.quit = self._action("quit", tr("&Quit"), shortcut=QKeySequence.StandardKey.Quit)
        self.duplicate = self._action("duplicate", tr("D&uplicate"), "duplicate",
                                      shortcut=QKeySequence("Ctrl+D"))
        self.rename = self._action("rename", tr("&Rename"), "rename", shortcut=QKeySequence("F2"))
        self.delete = self._action("delete", tr("&Delete"), "delete",
                                   shortcut=QKeySequence.StandardKey.Delete)
        self.start = self._action("start", tr("&Start"), "start")
        self.refresh = self._action("refresh", tr("&Refresh"), "refresh", tip=tr("Read the list again (F5)"),
                                    shortcut=QKeySequence("F5"))
        self.about = self._action("about", tr("&About Campaign Desktop"))
        self.update_for(None)

    def _action(self, name: str, text: str, icon_name: str = "", *, tip: str = "",
                shortcut: QKeySequence | QKeySequence.StandardKey | None = None) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if icon_name:
            action.setIcon(icon(icon_name))
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        if shortcut is not None:
            action.setShortcut(shortcut)
        return action

    def item_actions(self) -> list[QAction]:
        return [self.duplicate, self.rename, self.delete, self.start]

    def update_for(self, item: ExplorerItem | None) -> None:
        """Enable and explain Duplicate, Rename, Delete and Start for the selected ``item``."""
        for name, state in item_action_states(item).items():
            action: QAction = getattr(self, name)
            action.setEnabled(state.enabled)
            action.setToolTip(state.tooltip)
            action.setStatusTip(state.tooltip)
