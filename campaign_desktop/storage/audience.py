"""Folders, lists and services an import puts recipients into (spec §4.9).

Named by label as users type them; created on first use so that a template can say
"add to the list 'Newsletter'" and a scheduled run works the first time too.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import Connection, Table, delete, func, select

from campaign_desktop.storage.schema import folders, list_members, lists, services


def _internal_name(label: str) -> str:
    return (re.sub(r"[^A-Za-z0-9]+", "_", label).strip("_") or "item")[:48]


def _get_or_create(conn: Connection, table: Table, label: str, stamp: datetime, **extra: object) -> tuple[int, bool]:
    label = label.strip()
    found = conn.execute(
        select(table.c.id).where((func.lower(table.c.label) == label.lower()) | (table.c.name == label))
        .order_by(table.c.id)
    ).first()
    if found:
        return int(found[0]), False
    name = _internal_name(label)
    n = 1
    while conn.execute(select(table.c.id).where(table.c.name == name)).first():
        n += 1
        name = f"{_internal_name(label)}_{n}"
    values = {"name": name, "label": label, **extra}
    new_id = conn.execute(table.insert().values(**values).returning(table.c.id)).scalar_one()
    return int(new_id), True


def folder_id(conn: Connection, label: str, stamp: datetime) -> tuple[int, bool]:
    """A recipients folder by label or internal name, created under Recipients if missing."""
    root = conn.execute(select(folders.c.id).where(folders.c.name == "recipients")).scalar_one()
    if label.strip().lower() in ("", "recipients"):
        return int(root), False
    return _get_or_create(conn, folders, label, stamp, kind="recipients", parent_id=root, created=stamp)


def default_folder_id(conn: Connection) -> int:
    return int(conn.execute(select(folders.c.id).where(folders.c.name == "recipients")).scalar_one())


def list_id(conn: Connection, label: str, stamp: datetime) -> tuple[int, bool]:
    return _get_or_create(conn, lists, label, stamp, created=stamp, last_modified=stamp)


def clear_list(conn: Connection, list_pk: int) -> int:
    return conn.execute(delete(list_members).where(list_members.c.list_id == list_pk)).rowcount


def service_id(conn: Connection, label: str, stamp: datetime) -> tuple[int, bool]:
    return _get_or_create(conn, services, label, stamp, created=stamp)
