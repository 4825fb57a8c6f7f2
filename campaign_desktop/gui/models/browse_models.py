"""The small explorer lists: Lists, Services and Subscriptions, Generic imports and exports."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QObject

from campaign_desktop.domain.explorer import JobItem, ListItem, ServiceItem
from campaign_desktop.domain.job import format_duration
from campaign_desktop.domain.template import JobKind
from campaign_desktop.gui.i18n import tr
from campaign_desktop.gui.icons import icon, status_icon
from campaign_desktop.gui.models.item_table import Column, ItemTableModel

LIST_COLUMNS: list[Column[ListItem]] = [
    Column("Label", lambda it: it.list_label, icon=lambda it: icon("list")),
    Column("Members", lambda it: it.members, align_right=True),
    Column("Creation date", lambda it: it.created),
]

SERVICE_COLUMNS: list[Column[ServiceItem]] = [
    Column("Label", lambda it: it.service_label, icon=lambda it: icon("service")),
    Column("Subscribers", lambda it: it.subscribers, align_right=True),
    Column("Creation date", lambda it: it.created),
]


def kind_label(kind: JobKind) -> str:
    return tr("Import") if kind is JobKind.IMPORT else tr("Export")


def _duration(item: JobItem) -> float:
    seconds = item.duration_s(datetime.now())
    return -1.0 if seconds is None else seconds


JOB_COLUMNS: list[Column[JobItem]] = [
    Column("Status", lambda it: tr(it.status.label), icon=lambda it: status_icon(it.status),
           tooltip=lambda it: it.message or tr(it.status.label)),
    Column("Label", lambda it: it.job_label, elastic=True),
    Column("Start date", lambda it: it.started_at),
    Column("End date", lambda it: it.ended_at),
    Column("Job type", lambda it: kind_label(it.kind)),
    Column("Duration", _duration, text=lambda it: format_duration(it.duration_s(datetime.now()))),
]


def lists_model(parent: QObject | None = None) -> ItemTableModel[ListItem]:
    return ItemTableModel(LIST_COLUMNS, parent)


def services_model(parent: QObject | None = None) -> ItemTableModel[ServiceItem]:
    return ItemTableModel(SERVICE_COLUMNS, parent)


def jobs_model(parent: QObject | None = None) -> ItemTableModel[JobItem]:
    return ItemTableModel(JOB_COLUMNS, parent)
