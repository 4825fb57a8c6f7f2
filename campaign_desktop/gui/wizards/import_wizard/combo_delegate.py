"""A delegate that edits a cell with a combo box of (value, label) choices, for the wizard's grids."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from campaign_desktop.gui.i18n import tr

Choices = Sequence[tuple[Any, str]]


class ComboDelegate(QStyledItemDelegate):
    """Edits the cell's EditRole value with a combo of ``choices``: (value, English label), shown translated."""

    def __init__(self, choices: Choices | Callable[[QModelIndex], Choices], parent: Any = None) -> None:
        super().__init__(parent)
        self._choices = choices

    def choices(self, index: QModelIndex | QPersistentModelIndex) -> Choices:
        return self._choices(index) if callable(self._choices) else self._choices  # type: ignore[arg-type]

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,  # noqa: N802 - Qt API
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        combo = QComboBox(parent)
        for value, label in self.choices(index):
            combo.addItem(tr(label), value)
        combo.activated.connect(lambda _i: self.commitData.emit(combo))
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        i = editor.findData(index.data(Qt.ItemDataRole.EditRole))
        editor.setCurrentIndex(max(i, 0))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,  # noqa: N802 - Qt API
                     index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
