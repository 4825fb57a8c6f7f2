"""The right-click actions of the recipients table: Export…, Add to list…, Add to denylist, Delete….

A mixin of :class:`~campaign_desktop.gui.explorer.recipients_page.RecipientsPage` (which it
expects to provide ``app``, ``model``, ``selected_ids()``, ``open_form()``, the ``notice`` and
``changed`` signals and ``_base``), kept apart so each module stays readable. Every write runs
on the runner's writer thread; confirmations and the list chooser are opened window-modal
(``open()``, not ``exec()``), so the window never blocks and tests drive them as a user would.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QMenu, QMessageBox

from campaign_desktop.domain.explorer import ListItem
from campaign_desktop.gui.i18n import tr
from campaign_desktop.gui.icons import icon
from campaign_desktop.gui.models.item_table import format_count
from campaign_desktop.storage.recipient_query import RecipientFilter

EXPORT_WIZARD_MODULES = ("campaign_desktop.gui.wizards.export_wizard", "campaign_desktop.gui.wizards.export")
"""Where the export wizard may live; *Export…* stays disabled (with a tooltip) until one imports."""


@dataclass(frozen=True)
class RecipientSelection:
    """What *Export…* hands the export wizard: the chosen recipients, or the filter they came from."""

    ids: tuple[int, ...]
    filter: RecipientFilter
    order_by: str = "id"
    descending: bool = False


def export_wizard() -> Any:
    """The export wizard module if one is installed, else None."""
    for name in EXPORT_WIZARD_MODULES:
        try:
            return importlib.import_module(name)
        except ImportError:
            continue
    return None


class RecipientActionsMixin:
    """Context actions on the selected recipients (see the module docstring)."""

    app: Any
    model: Any
    _base: RecipientFilter
    _context_menu: QMenu | None
    confirm_box: QMessageBox | None
    list_dialog: QInputDialog | None

    # --- the right-click menu ----------------------------------------------------------------

    def context_actions(self) -> dict[str, QAction]:
        """The actions the right-click menu offers for the current selection, by name."""
        n = len(self.selected_ids())
        actions: dict[str, QAction] = {}

        def add(name: str, text: str, slot: Any, icon_name: str = "", enabled: bool = True, tip: str = "") -> None:
            action = QAction(icon(icon_name or "recipients"), text, self)
            action.setObjectName(f"recipients_{name}")
            action.setEnabled(enabled and n > 0)
            action.setToolTip(tip)
            action.setStatusTip(tip)
            action.triggered.connect(slot)
            actions[name] = action

        add("open", tr("Open"), lambda: self._open_first(), enabled=n == 1)
        available = export_wizard() is not None
        add("export", tr("Export…"), self.request_export, "export", enabled=available,
            tip=tr("Export the selected recipients") if available
            else tr("Available once the export wizard is installed"))
        add("add_to_list", tr("Add to list…"), self.ask_list, "list")
        add("denylist", tr("Add to denylist"), self.denylist_selection, "lock",
            tip=tr("No longer contact these recipients by any channel"))
        if self._base.list_id is not None:
            add("remove_from_list", tr("Remove from this list"), self.remove_selection_from_list, "delete")
        if self._base.service_id is not None:
            add("unsubscribe", tr("Unsubscribe from this service"), self.unsubscribe_selection, "delete")
        add("delete", tr("Delete…"), self.confirm_delete, "delete",
            tip=tr("Delete {n} recipients").format(n=format_count(n)))
        return actions

    def _open_first(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.open_form(ids[0])

    def _show_context_menu(self, global_pos: QPoint) -> None:
        menu = QMenu(self)
        menu.setObjectName("recipients_context_menu")
        menu.setToolTipsVisible(True)
        actions = self.context_actions()
        for name, action in actions.items():
            if name in ("export", "delete"):
                menu.addSeparator()
            menu.addAction(action)
        menu.aboutToHide.connect(menu.deleteLater)
        self._context_menu = menu
        menu.popup(global_pos)

    # --- the actions -------------------------------------------------------------------------

    def request_export(self) -> None:
        order_by, descending = self.model.order
        selection = RecipientSelection(tuple(self.selected_ids()), self.model.filter, order_by, descending)
        self.export_requested.emit(selection)
        wizard = export_wizard()
        hook = getattr(wizard, "export_requested", None)
        if callable(hook):
            hook(self, self.app, selection)

    def ask_list(self) -> None:
        """*Add to list…*: choose an existing list or type the label of a new one."""
        ids = self.selected_ids()
        if not ids:
            return
        browse = self.app.service.browse()

        def ask(existing: list[ListItem]) -> None:
            dialog = QInputDialog(self)
            dialog.setObjectName("add_to_list_dialog")
            dialog.setWindowTitle(tr("Add to list"))
            dialog.setLabelText(tr("Add {n} recipients to the list (type a new label to create one):").format(
                n=format_count(len(ids))))
            dialog.setComboBoxItems([li.label for li in existing])
            dialog.setComboBoxEditable(True)
            dialog.textValueSelected.connect(lambda label: self.add_to_list(ids, label))
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.list_dialog = dialog
            dialog.open()

        self.app.runner.run(browse.lists, on_done=ask, owner=self)

    def add_to_list(self, ids: list[int], label: str) -> None:
        repo = self.app.service.recipients

        def done(result: tuple[int, int]) -> None:
            self.notice.emit(tr("{n} recipients added to “{label}”.").format(n=format_count(result[1]),
                                                                               label=label.strip()))
            self._written()

        self._write(lambda: repo.add_to_list_named(ids, label), done)

    def denylist_selection(self) -> None:
        ids, repo = self.selected_ids(), self.app.service.recipients
        self._write(lambda: repo.denylist(ids), lambda n: self._done(tr("{n} recipients denylisted."), n))

    def remove_selection_from_list(self) -> None:
        ids, repo, list_id = self.selected_ids(), self.app.service.recipients, self._base.list_id
        if list_id is not None:
            self._write(lambda: repo.remove_from_list(list_id, ids),
                        lambda n: self._done(tr("{n} recipients removed from the list."), n))

    def unsubscribe_selection(self) -> None:
        ids, repo, service_id = self.selected_ids(), self.app.service.recipients, self._base.service_id
        if service_id is not None:
            self._write(lambda: repo.unsubscribe(service_id, ids),
                        lambda n: self._done(tr("{n} recipients unsubscribed."), n))

    def confirm_delete(self) -> None:
        """*Delete…*: a confirmation that says how many recipients go."""
        ids = self.selected_ids()
        if not ids:
            return
        box = QMessageBox(QMessageBox.Icon.Warning, tr("Delete recipients"),
                          tr("Delete {n} recipients? Their list memberships and subscriptions go with them. "
                             "This cannot be undone.").format(n=format_count(len(ids))),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("confirm_delete")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda result: self._delete(ids) if result == QMessageBox.StandardButton.Yes else None)
        self.confirm_box = box
        box.open()

    def _delete(self, ids: list[int]) -> None:
        repo = self.app.service.recipients
        self._write(lambda: repo.delete(ids), lambda n: self._done(tr("{n} recipients deleted."), n))

    # --- background writes -------------------------------------------------------------------

    def _write(self, fn: Any, on_done: Any) -> None:
        self.app.runner.run(fn, on_done=on_done, on_error=lambda exc: self.app.show_error(self, exc),
                            owner=self, writes=True)

    def _done(self, message: str, n: int) -> None:
        self.notice.emit(message.format(n=format_count(n)))
        self._written()

    def _written(self) -> None:
        self.model.reload()
        self.changed.emit()
