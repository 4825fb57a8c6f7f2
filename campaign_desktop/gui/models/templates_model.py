"""The Job templates list (spec §2.3): Label, Description, Created by, Creation date, Internal name."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from campaign_desktop.domain.explorer import TemplateItem
from campaign_desktop.domain.template import JobKind
from campaign_desktop.gui.i18n import tr
from campaign_desktop.gui.icons import icon
from campaign_desktop.gui.models.item_table import Column, Index, ItemTableModel

LABEL_COLUMN = 0


def _template_icon(item: TemplateItem) -> Any:
    if item.builtin:
        return icon("lock")
    return icon("import-template" if item.template.kind is JobKind.IMPORT else "export-template")


def _label_tooltip(item: TemplateItem) -> str:
    kind = tr("Import template") if item.template.kind is JobKind.IMPORT else tr("Export template")
    if item.builtin:
        return kind + "\n" + tr("Built-in template: duplicate it to make changes")
    return kind


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


TEMPLATE_COLUMNS: list[Column[TemplateItem]] = [
    Column("Label", lambda it: it.template.label, icon=_template_icon, tooltip=_label_tooltip),
    Column("Description", lambda it: it.template.description,
           text=lambda it: _first_line(it.template.description), tooltip=lambda it: it.template.description,
           elastic=True),
    Column("Created by", lambda it: it.template.created_by),
    Column("Creation date", lambda it: it.template.created_at),
    Column("Internal name", lambda it: it.template.internal_name),
]


class TemplatesModel(ItemTableModel[TemplateItem]):
    """Job templates; the label of a user template is edited in place (Rename, F2).

    Signals:
        rename_requested: ``(TemplateItem, str)`` the user typed a new label; the window
            saves it (the model does not write to the database).
    """

    rename_requested = Signal(object, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(TEMPLATE_COLUMNS, parent)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        item = self.item(index.row()) if index.isValid() else None
        if item is not None and index.column() == LABEL_COLUMN and item.can_rename:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        item = self.item(index.row()) if index.isValid() else None
        if item is None or index.column() != LABEL_COLUMN or role != Qt.ItemDataRole.EditRole:
            return False
        label = str(value).strip()
        if not label or label == item.template.label:
            return False
        item.template.label = label  # shown at once; the window reloads the list if saving fails
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])
        self.rename_requested.emit(item, label)
        return True
