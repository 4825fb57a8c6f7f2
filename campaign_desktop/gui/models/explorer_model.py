"""The explorer tree on the left: a thin Qt adapter over :mod:`campaign_desktop.domain.explorer`."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from campaign_desktop.domain.explorer import ExplorerNode, build_explorer_tree
from campaign_desktop.gui.i18n import tr
from campaign_desktop.gui.icons import icon

Index = QModelIndex | QPersistentModelIndex
NODE_ROLE = Qt.ItemDataRole.UserRole + 10
"""The :class:`ExplorerNode` behind an index."""
KEY_ROLE = Qt.ItemDataRole.UserRole + 11
"""The node's stable key, e.g. "resources/templates/job_templates"."""


class ExplorerModel(QAbstractItemModel):
    """Campaign's folder tree. Each index points at its node (``internalPointer``)."""

    def __init__(self, root: ExplorerNode | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.root = root or build_explorer_tree()

    def node(self, index: Index) -> ExplorerNode:
        """The node of ``index``; the invisible root for an invalid index."""
        if index.isValid():
            node = index.internalPointer()
            assert isinstance(node, ExplorerNode)
            return node
        return self.root

    def index_of(self, key: str) -> QModelIndex:
        """The index of the node with ``key`` (invalid if there is none)."""
        node = self.root.find(key) if key else None
        if node is None or node is self.root:
            return QModelIndex()
        return self.createIndex(node.row, 0, node)

    def set_children(self, key: str, children: list[ExplorerNode]) -> None:
        """Replace the sub-nodes of node ``key`` (the recipient folders under Recipients, re-read)."""
        node = self.root.find(key)
        if node is None:
            return
        parent = self.index_of(key)
        if node.children:
            self.beginRemoveRows(parent, 0, len(node.children) - 1)
            for child in node.children:
                child.parent = None
            node.children = []
            self.endRemoveRows()
        if children:
            self.beginInsertRows(parent, 0, len(children) - 1)
            for child in children:
                node.add(child)
            self.endInsertRows()

    # --- Qt API --------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        return self.createIndex(row, column, self.node(parent).children[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        up = self.node(index).parent
        if up is None or up is self.root:
            return QModelIndex()
        return self.createIndex(up.row, 0, up)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt override
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self.node(parent).children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt override
        return 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self.node(index)
        if role == Qt.ItemDataRole.DisplayRole:
            return tr(node.label)
        if role == Qt.ItemDataRole.DecorationRole:
            return icon(node.icon)
        if role == Qt.ItemDataRole.ToolTipRole:
            return " > ".join(tr(n.label) for n in node.path)
        if role == NODE_ROLE:
            return node
        if role == KEY_ROLE:
            return node.key
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt override
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and section == 0:
            return tr("Explorer")
        return None
