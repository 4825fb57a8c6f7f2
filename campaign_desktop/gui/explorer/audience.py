"""Recipients, Lists and Services in the main window: the recipients page, list operations, folders.

Kept out of ``main_window.py`` (which several features share) so that the window only hands
over what it shows: :meth:`AudienceViews.show_node` takes the Recipients node and its
folders, :meth:`AudienceViews.extend_menu` adds the list actions to the right-click menu, a
double-click on a list or a service opens its members in the recipients table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QMenu, QMessageBox

from campaign_desktop.domain import explorer
from campaign_desktop.domain.explorer import (
    ExplorerItem,
    ExplorerNode,
    ListItem,
    NodeKind,
    ServiceItem,
    recipient_folder_id,
    recipient_folder_node,
)
from campaign_desktop.gui.explorer.recipients_page import RecipientsPage
from campaign_desktop.gui.i18n import tr
from campaign_desktop.gui.icons import icon
from campaign_desktop.gui.models.item_table import ITEM_ROLE, format_count
from campaign_desktop.storage.recipients_repo import FolderInfo

if TYPE_CHECKING:
    from campaign_desktop.gui.explorer.main_window import MainWindow


class AudienceViews(QObject):
    """The recipients page and the list/service operations of a main window.

    Attributes:
        page: the recipients table (all recipients, a folder's, a list's members, a service's subscribers).
        new_list, open_members: actions for menus (File > New, right-click).
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.app = window.app
        self.page = RecipientsPage(window.app, window)
        window.pages.addWidget(self.page)
        self.page.back_requested.connect(self._back)
        self.page.folder_created.connect(lambda folder_id: self.reload_folders(select=folder_id))
        self._members_of: NodeKind | None = None  # the node a members view came from
        self._restore_key = window.app.settings.last_node  # a folder selected last time: reselect it when read
        self.confirm_box: QMessageBox | None = None

        self.new_list = QAction(icon("list"), tr("&List…"), self)
        self.new_list.setObjectName("new_list")
        self.new_list.setToolTip(tr("Create an empty list of recipients"))
        self.new_list.triggered.connect(self._ask_new_list)
        self.open_members = QAction(icon("recipients"), tr("&Open"), self)
        self.open_members.setObjectName("open_members")
        self.open_members.triggered.connect(self._open_selected)
        window.list_pane.view.doubleClicked.connect(self._on_double_click)
        self.reload_folders()

    # --- navigation --------------------------------------------------------------------------

    def show_node(self, node: ExplorerNode) -> bool:
        """Show ``node`` if it is Recipients or one of its folders; False when it is not ours."""
        if node.kind is not NodeKind.RECIPIENTS:
            self._members_of = None
            return False
        self._members_of = None
        self.window.pages.setCurrentWidget(self.page)
        self.window.actions.update_for(None)
        self.page.show_folder(recipient_folder_id(node.key))
        return True

    def show_members(self, item: ListItem | ServiceItem) -> None:
        """A list's members (or a service's subscribers) in the recipients table, Back returns."""
        self._members_of = self.window.current_node.kind if self.window.current_node else None
        self.window.pages.setCurrentWidget(self.page)
        self.page.show_members(item)

    def _back(self) -> None:
        self._members_of = None
        self.window.refresh()

    def _on_double_click(self, index: QModelIndex) -> None:
        item = index.siblingAtColumn(0).data(ITEM_ROLE)
        if isinstance(item, ListItem | ServiceItem):
            self.show_members(item)

    def _open_selected(self) -> None:
        item = self.window.selected_item()
        if isinstance(item, ListItem | ServiceItem):
            self.show_members(item)

    # --- folders -----------------------------------------------------------------------------

    def reload_folders(self, select: int | None = None) -> None:
        """Read the recipient folders and show them under Recipients in the explorer tree."""
        repo = self.app.service.recipients

        def show(folders: list[FolderInfo]) -> None:
            nodes: dict[int, ExplorerNode] = {}
            top: list[ExplorerNode] = []
            for f in folders:  # parents come before their children
                node = recipient_folder_node(f.id, f.label)
                nodes[f.id] = node
                if f.parent_id is not None and f.parent_id in nodes:
                    nodes[f.parent_id].add(node)
                else:
                    top.append(node)
            current = self.window.current_node.key if self.window.current_node else None
            self.window.explorer_model.set_children(explorer.RECIPIENTS, top)
            self.window.tree.expand(self.window.explorer_model.index_of(explorer.RECIPIENTS))
            if select is not None:
                self.window.select_node(f"{explorer.RECIPIENT_FOLDER_PREFIX}{select}")
            elif current and current.startswith(explorer.RECIPIENT_FOLDER_PREFIX):
                self.window.select_node(current)
            elif self._restore_key.startswith(explorer.RECIPIENT_FOLDER_PREFIX) and current in (None, explorer.HOME):
                self.window.select_node(self._restore_key)
            self._restore_key = ""

        self.app.runner.run(repo.folders, on_done=show, owner=self)

    # --- lists -------------------------------------------------------------------------------

    def extend_menu(self, menu: QMenu, item: ExplorerItem | None) -> None:
        """Add Open (members) to a list's or a service's right-click menu, and New list to a list's."""
        if isinstance(item, ListItem | ServiceItem):
            first = menu.actions()[0] if menu.actions() else None
            menu.insertAction(first, self.open_members)
            if isinstance(item, ListItem):
                menu.insertAction(first, self.new_list)
            menu.insertSeparator(first)

    def handles(self, item: ExplorerItem | None) -> bool:
        return isinstance(item, ListItem)

    def rename(self, item: ExplorerItem) -> None:
        if isinstance(item, ListItem):
            label, ok = QInputDialog.getText(self.window, tr("Rename the list"), tr("New label:"), text=item.label)
            if ok:
                self.rename_list(item.id, label)

    def rename_list(self, list_id: int, label: str) -> None:
        repo = self.app.service.recipients
        self._write(lambda: repo.rename_list(list_id, label), lambda _: self.window.load_list(list_id))

    def delete(self, item: ExplorerItem) -> None:
        """Delete a list after a confirmation that says how many members it has (they stay)."""
        if not isinstance(item, ListItem):
            return
        box = QMessageBox(QMessageBox.Icon.Warning, tr("Delete the list"),
                          tr("Delete the list “{label}” ({n} members)? The recipients themselves stay.").format(
                              label=item.label, n=format_count(item.members)),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self.window)
        box.setObjectName("confirm_delete_list")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        list_id = item.id
        box.finished.connect(lambda r: self.delete_list(list_id) if r == QMessageBox.StandardButton.Yes else None)
        self.confirm_box = box
        box.open()

    def delete_list(self, list_id: int) -> None:
        repo = self.app.service.recipients
        self._write(lambda: repo.delete_list(list_id), lambda _: self.window.load_list())

    def _ask_new_list(self) -> None:
        label, ok = QInputDialog.getText(self.window, tr("New list"), tr("Label of the new list:"))
        if ok:
            self.create_list(label)

    def create_list(self, label: str) -> None:
        repo = self.app.service.recipients

        def created(list_id: int) -> None:
            if self.window.current_node is not None and self.window.current_node.kind is NodeKind.LISTS:
                self.window.load_list(list_id)
            else:
                self.window._pending_selection = list_id  # noqa: SLF001 - the window's own hand-over
                self.window.select_node(explorer.LISTS)

        self._write(lambda: repo.create_list(label), created)

    def _write(self, fn, on_done) -> None:  # type: ignore[no-untyped-def]
        self.app.runner.run(fn, on_done=on_done, on_error=lambda exc: self.app.show_error(self.window, exc),
                            owner=self.window, writes=True)
