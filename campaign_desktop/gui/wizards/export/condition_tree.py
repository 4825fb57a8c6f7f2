"""The filter builder's tree: AND/OR groups nested to any depth, each holding conditions and sub-groups.

The model edits the draft's own :class:`Condition` tree (never a copy), so Save, the count and
Start see exactly the screen. Its root is the filter's top group (the page's "Keep recipients
matching" combo); every other group is a row whose *Operator* cell switches AND/OR and whose
children are indented under it. Structure edits (add, remove, move, indent, outdent) go through
the model's begin/end calls so views keep their selection and expansion.

Indexes carry the ``id()`` of their node; the model keeps every node it has shown alive in
``_nodes`` until the next reset, so an id is never reused while an index may still hold it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont

from campaign_desktop.domain.recipient_fields import DENYLIST_FIELDS
from campaign_desktop.domain.template import Condition
from campaign_desktop.export.conditions import GROUPS, OPERATORS, OPERATORS_BY_NAME
from campaign_desktop.gui.i18n import tr
from campaign_desktop.gui.wizards.export.models import field_caption

Index = QModelIndex | QPersistentModelIndex
DISPLAY, EDIT = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole
HEADERS = ("Expression", "Operator", "Value")
GROUP_CHOICES = (("and", "All conditions (AND)"), ("or", "Any condition (OR)"))
GROUP_LABELS = dict(GROUP_CHOICES)
OPERATOR_CHOICES = [(o.name, o.label) for o in OPERATORS]


def is_group(c: Condition) -> bool:
    return (c.op or "").strip().lower() in GROUPS


def value_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def _value_for(op: str, value: Any) -> Any:
    """Keep what was typed when the operator changes: 'Paris, Lyon' becomes a list for "is included in"."""
    spec = OPERATORS_BY_NAME[op]
    if spec.value == "list":
        return value if isinstance(value, list) else [p.strip() for p in value_text(value).split(",") if p.strip()]
    if spec.value == "none":
        return None
    return value_text(value) if isinstance(value, list) else value


def _row_of(siblings: list[Condition], node: Condition) -> int:
    """The row of ``node`` by identity (two equal conditions are still two rows)."""
    return next(i for i, c in enumerate(siblings) if c is node)


class ConditionTreeModel(QAbstractItemModel):
    """Expression / Operator / Value over a condition tree; ``changed`` after every edit."""

    changed = Signal()

    def __init__(self, root: Condition | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.root = root if root is not None else Condition("and", [])
        self._nodes: dict[int, Condition] = {}
        self._parents: dict[int, Condition] = {}
        self._reindex()

    def reset_to(self, root: Condition) -> None:
        self.beginResetModel()
        self.root = root
        self._nodes = {}
        self._reindex()
        self.endResetModel()

    def _reindex(self) -> None:
        self._parents = {}
        stack = [self.root]
        self._nodes[id(self.root)] = self.root
        while stack:
            node = stack.pop()
            for child in node.children if is_group(node) else []:
                self._nodes[id(child)] = child
                self._parents[id(child)] = node
                stack.append(child)

    # --- reading -----------------------------------------------------------------------------

    def node(self, index: Index) -> Condition:
        """The condition or group at ``index`` (the root group for an invalid index)."""
        if not index.isValid():
            return self.root
        return self._nodes[index.internalId()]

    def index_of(self, node: Condition, column: int = 0) -> QModelIndex:
        if node is self.root:
            return QModelIndex()
        parent = self._parents[id(node)]
        return self.createIndex(_row_of(parent.children, node), column, id(node))

    def is_group(self, index: Index) -> bool:
        return index.isValid() and is_group(self.node(index))

    def group_for(self, index: Index) -> QModelIndex:
        """Where something added next to ``index`` goes: the group itself, or the condition's group."""
        if not index.isValid() or self.is_group(index):
            return self.index(index.row(), 0, index.parent()) if index.isValid() else QModelIndex()
        return self.parent(index)

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008 - Qt API
        if parent.isValid() and parent.column() != 0:
            return QModelIndex()
        node = self.node(parent)
        if not is_group(node) or not (0 <= row < len(node.children) and 0 <= column < len(HEADERS)):
            return QModelIndex()
        return self.createIndex(row, column, id(node.children[row]))

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        return self.index_of(self._parents[index.internalId()])

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        if parent.isValid() and parent.column() != 0:
            return 0
        node = self.node(parent)
        return len(node.children) if is_group(node) else 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:  # noqa: N802
        if role == DISPLAY and orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
            return tr(HEADERS[section])
        return None

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        c = self.node(index)
        col = index.column()
        if is_group(c):
            return self._group_data(c, col, role)
        if role == EDIT:
            return (c.field, c.op, value_text(c.value))[col]
        if role == DISPLAY:
            if col == 0:
                spec = OPERATORS_BY_NAME.get(c.op)
                return field_caption(c.field) if c.field else (tr("Recipient") if spec and not spec.needs_field
                                                                else "")
            if col == 1:
                spec = OPERATORS_BY_NAME.get(c.op)
                return tr(spec.label) if spec else c.op
            return value_text(c.value)
        return None

    def _group_data(self, c: Condition, col: int, role: int) -> Any:
        if role == EDIT:
            return c.op if col == 1 else None
        if role == DISPLAY:
            if col == 0:
                return tr("Group")
            if col == 1:
                return tr(GROUP_LABELS.get(c.op, c.op))
            return tr("{n} condition(s)").format(n=len(c.children)) if c.children else \
                tr("empty: matches everyone")
        if role == Qt.ItemDataRole.FontRole and col < 2:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if not index.isValid():
            return base
        c = self.node(index)
        if is_group(c):
            return base | Qt.ItemFlag.ItemIsEditable if index.column() == 1 else base
        spec = OPERATORS_BY_NAME.get(c.op)
        if spec is not None and ((index.column() == 0 and not spec.needs_field)
                                 or (index.column() == 2 and spec.value == "none")):
            return base  # "is on the denylist" has no field to choose, "is empty" no value to type
        return base | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: Index, value: Any, role: int = EDIT) -> bool:  # noqa: N802 - Qt API
        if not index.isValid() or role != EDIT:
            return False
        c = self.node(index)
        text = "" if value is None else str(value)
        col = index.column()
        if is_group(c):
            if col != 1 or text not in GROUPS:
                return False
            c.op = text
        elif col == 0:
            c.field = text
        elif col == 1:
            if text not in OPERATORS_BY_NAME:
                return False
            c.op = text
            c.value = _value_for(c.op, c.value)
            if not OPERATORS_BY_NAME[text].needs_field and c.field not in DENYLIST_FIELDS:
                c.field = ""  # "is on the denylist" is about the recipient, not about the field shown before
        else:
            c.value = [p.strip() for p in text.split(",") if p.strip()] if c.op == "in" else text
        self.dataChanged.emit(self.index(index.row(), 0, index.parent()), self.index(index.row(), 2, index.parent()))
        self.changed.emit()
        return True

    # --- editing the structure ---------------------------------------------------------------

    def append(self, node: Condition, group: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        """Add ``node`` at the end of ``group`` (the root by default); returns its index."""
        target = self.node(group)
        if not is_group(target):
            raise ValueError("conditions are added to a group")
        parent = self.index_of(target)
        n = len(target.children)
        self.beginInsertRows(parent, n, n)
        target.children.append(node)
        self._reindex()
        self.endInsertRows()
        self.changed.emit()
        return self.index_of(node)

    def new_group(self, group: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        """An empty sub-group in ``group``, joined the other way (an AND group gets an OR group)."""
        op = "or" if self.node(group).op == "and" else "and"
        return self.append(Condition(op, []), group)

    def remove(self, index: Index) -> None:
        """Remove a condition, or a group with everything in it."""
        if not index.isValid():
            return
        node = self.node(index)
        parent_node = self._parents[id(node)]
        row = _row_of(parent_node.children, node)
        self.beginRemoveRows(self.index_of(parent_node), row, row)
        del parent_node.children[row]
        self._reindex()
        self.endRemoveRows()
        self.changed.emit()

    def _move(self, node: Condition, target: Condition, target_row: int) -> QModelIndex:
        """Move ``node`` to row ``target_row`` of group ``target`` (the row counted before the move)."""
        source = self._parents[id(node)]
        row = _row_of(source.children, node)
        if not self.beginMoveRows(self.index_of(source), row, row, self.index_of(target), target_row):
            return self.index_of(node)
        del source.children[row]
        if source is target and target_row > row:
            target_row -= 1
        target.children.insert(target_row, node)
        self._reindex()
        self.endMoveRows()
        self.changed.emit()
        return self.index_of(node)

    def move(self, index: Index, delta: int) -> QModelIndex:
        """Up (-1) or down (+1) among its siblings; returns its new index."""
        if not index.isValid():
            return QModelIndex()
        node = self.node(index)
        parent_node = self._parents[id(node)]
        row = _row_of(parent_node.children, node)
        target = row + delta
        if not 0 <= target < len(parent_node.children):
            return self.index_of(node)
        return self._move(node, parent_node, target + (1 if delta > 0 else 0))

    def indent(self, index: Index) -> QModelIndex:
        """One level deeper: into the group just above it, or into a new sub-group of its own."""
        if not index.isValid():
            return QModelIndex()
        node = self.node(index)
        parent_node = self._parents[id(node)]
        row = _row_of(parent_node.children, node)
        above = parent_node.children[row - 1] if row > 0 else None
        if above is not None and is_group(above):
            return self._move(node, above, len(above.children))
        group = Condition("or" if parent_node.op == "and" else "and", [])
        parent = self.index_of(parent_node)
        self.beginInsertRows(parent, row, row)
        parent_node.children.insert(row, group)
        self._reindex()
        self.endInsertRows()
        return self._move(node, group, 0)

    def outdent(self, index: Index) -> QModelIndex:
        """One level up: out of its group, just after it (a top-level row stays where it is)."""
        if not index.isValid():
            return QModelIndex()
        node = self.node(index)
        parent_node = self._parents[id(node)]
        if parent_node is self.root:
            return self.index_of(node)
        grand = self._parents[id(parent_node)]
        return self._move(node, grand, _row_of(grand.children, parent_node) + 1)
