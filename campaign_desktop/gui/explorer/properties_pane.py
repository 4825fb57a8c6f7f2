"""The detail pane of a recipient, a list, a service or a job: its properties, read-only."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from campaign_desktop.domain.explorer import ExplorerItem, JobItem, ListItem, RecipientItem, ServiceItem
from campaign_desktop.domain.job import format_duration
from campaign_desktop.gui.i18n import tr
from campaign_desktop.gui.models.browse_models import kind_label
from campaign_desktop.gui.models.item_table import format_count, format_datetime


def _yes_no(value: bool) -> str:
    return tr("Yes") if value else tr("No")


def item_properties(item: ExplorerItem) -> tuple[str, list[tuple[str, str]]]:
    """The title and the (label, value) rows of an item's detail pane."""
    if isinstance(item, JobItem):
        rows = [
            (tr("Status"), tr(item.status.label)),
            (tr("Job type"), kind_label(item.kind)),
            (tr("File"), item.source_path or tr("(none yet)")),
            (tr("Created by"), item.created_by),
            (tr("Creation date"), format_datetime(item.created_at)),
            (tr("Start date"), format_datetime(item.started_at)),
            (tr("End date"), format_datetime(item.ended_at)),
            (tr("Duration"), format_duration(item.duration_s(datetime.now()))),
            (tr("Processed"), format_count(item.processed)),
            (tr("Rejects"), format_count(item.rejected)),
        ]
        if item.message:
            rows.append((tr("Message"), item.message))
        return tr("Batch job “{label}”").format(label=item.label), rows
    if isinstance(item, RecipientItem):
        return tr("Recipient “{label}”").format(label=item.label), [
            (tr("Email"), item.email or ""),
            (tr("First name"), item.first_name or ""),
            (tr("Last name"), item.last_name or ""),
            (tr("Account #"), item.account or ""),
            (tr("City"), item.city or ""),
            (tr("Denylisted"), _yes_no(item.denylisted)),
            (tr("Creation date"), format_datetime(item.created)),
            (tr("Modification date"), format_datetime(item.last_modified)),
        ]
    if isinstance(item, ListItem):
        return tr("List “{label}”").format(label=item.label), [
            (tr("Label"), item.list_label),
            (tr("Internal name"), item.name),
            (tr("Members"), format_count(item.members)),
            (tr("Creation date"), format_datetime(item.created)),
        ]
    if isinstance(item, ServiceItem):
        return tr("Service “{label}”").format(label=item.label), [
            (tr("Label"), item.service_label),
            (tr("Internal name"), item.name),
            (tr("Subscribers"), format_count(item.subscribers)),
            (tr("Creation date"), format_datetime(item.created)),
        ]
    return item.label, []


class PropertiesPane(QWidget):
    """A title and a form of read-only values, rebuilt for each item."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("properties_pane")
        self.title = QLabel(self)
        self.title.setObjectName("detail_title")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.title.setFont(font)
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.form.setVerticalSpacing(6)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.title)
        layout.addLayout(self.form)
        layout.addStretch(1)

    def show_item(self, item: ExplorerItem) -> None:
        title, rows = item_properties(item)
        self.title.setText(title)
        while self.form.rowCount():
            self.form.removeRow(0)
        for label, value in rows:
            field = QLabel(value)
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            field.setWordWrap(True)
            self.form.addRow(label + ":", field)
