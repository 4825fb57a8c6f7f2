"""The Reconciliation grid (spec §4.7): per destination field, key membership and update options.

It plays the part of Campaign's Element path / Behavior tree for the recipient table: one
row per mapped field (plus key fields no column feeds, so they can be taken out of the key).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from campaign_desktop.domain.recipient_fields import FIELDS_BY_NAME, field_display
from campaign_desktop.domain.template import FieldRule, Reconciliation
from campaign_desktop.gui.i18n import tr

_Index = QModelIndex | QPersistentModelIndex

COL_FIELD, COL_KEY1, COL_KEY2, COL_IF_EMPTY, COL_ONLY_EMPTY_DEST, COL_ON_INSERT, COL_BEHAVIOR = range(7)
HEADERS = ("Field", "Key #1", "Key #2", "Update if source empty", "Only if destination empty", "Only on insert",
           "Behavior")
_RULE_ATTRS = {COL_IF_EMPTY: "update_if_source_empty", COL_ONLY_EMPTY_DEST: "update_only_if_destination_empty",
               COL_ON_INSERT: "only_on_insert"}


def behavior(rule: FieldRule) -> str:
    """The Behavior column: a short summary of the field's options, as Campaign's tree shows it."""
    parts = []
    if rule.only_on_insert:
        parts.append(tr("Insert only"))
    if rule.update_only_if_destination_empty:
        parts.append(tr("Update only if destination is empty"))
    if rule.update_if_source_empty:
        parts.append(tr("Update even if source is empty"))
    return ", ".join(parts) or tr("Update")


class ReconciliationModel(QAbstractTableModel):
    """Edits a :class:`Reconciliation`'s keys and field rules in place; ``changed`` after every edit."""

    changed = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._fields: list[str] = []
        self._mapped: set[str] = set()
        self._rec = Reconciliation()

    def set_reconciliation(self, rec: Reconciliation, mapped: list[str]) -> None:
        self.beginResetModel()
        self._rec = rec
        self._mapped = set(mapped)
        extra = [f for f in [*rec.key1, *rec.key2] if f not in self._mapped]
        self._fields = [f for f in dict.fromkeys([*mapped, *extra]) if f in FIELDS_BY_NAME]
        self.endResetModel()

    def field_name(self, row: int) -> str:
        return self._fields[row]

    def _rule(self, name: str, create: bool = False) -> FieldRule | None:
        rule = next((r for r in self._rec.field_rules if r.field == name), None)
        if rule is None and create:
            rule = FieldRule(name)
            self._rec.field_rules.append(rule)
        return rule

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self._fields)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(HEADERS)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if COL_KEY1 <= index.column() <= COL_ON_INSERT:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def _checked(self, name: str, col: int) -> bool:
        if col == COL_KEY1:
            return name in self._rec.key1
        if col == COL_KEY2:
            return name in self._rec.key2
        rule = self._rule(name)
        return bool(rule is not None and getattr(rule, _RULE_ATTRS[col]))

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        name = self._fields[index.row()]
        col = index.column()
        if col == COL_FIELD:
            if role == Qt.ItemDataRole.DisplayRole:
                return field_display(name) + ("" if name in self._mapped else tr(" (not mapped)"))
            if role == Qt.ItemDataRole.ForegroundRole and name not in self._mapped:
                return QBrush(QColor("#b00020"))
            return None
        if col == COL_BEHAVIOR:
            if role == Qt.ItemDataRole.DisplayRole:
                return behavior(self._rule(name) or FieldRule(name))
            return None
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if self._checked(name, col) else Qt.CheckState.Unchecked
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole:
            return False
        col = index.column()
        if not COL_KEY1 <= col <= COL_ON_INSERT:
            return False
        name = self._fields[index.row()]
        on = Qt.CheckState(value) == Qt.CheckState.Checked
        if col in (COL_KEY1, COL_KEY2):
            key = self._rec.key1 if col == COL_KEY1 else self._rec.key2
            if on and name not in key:
                key.append(name)
            elif not on and name in key:
                key.remove(name)
        else:
            rule = self._rule(name, create=True)
            assert rule is not None
            setattr(rule, _RULE_ATTRS[col], on)
            if not (rule.update_if_source_empty or rule.update_only_if_destination_empty or rule.only_on_insert):
                self._rec.field_rules.remove(rule)
        self.dataChanged.emit(index.siblingAtColumn(0), index.siblingAtColumn(len(HEADERS) - 1))
        self.changed.emit()
        return True

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return tr(HEADERS[section]) if 0 <= section < len(HEADERS) else None
        return None
