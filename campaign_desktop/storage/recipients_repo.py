"""What a user does to recipients from the views: edit one, delete, denylist, lists, folders.

The GUI calls these through :class:`campaign_desktop.services.CampaignService` on its writer
thread; the CLI could call them the same way. Each operation is one transaction and works
on ids in chunks, so "delete the 3,000 selected recipients" is a few statements, not 3,000.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, and_, delete, exists, func, insert, select, update

from campaign_desktop.domain.errors import NotFoundError, UserError
from campaign_desktop.domain.recipient_edit import check_changes
from campaign_desktop.domain.recipient_fields import RECIPIENT_FIELDS
from campaign_desktop.storage.schema import folders, jobs, list_members, lists, recipients, services, subscriptions

_CHUNK = 500  # ids per statement: under SQLite's and psycopg's parameter limits


class RecipientValidationError(UserError):
    """The form holds values that cannot be saved; ``problems`` says which and why, per field."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("\n".join(problems.values()))
        self.problems = problems


@dataclass
class RecipientRecord:
    """Everything the recipient form shows.

    Attributes:
        values: every field of the catalogue (spec §8) by name, ``id``/``created``/``last_modified`` included.
        folder: (id, label) of the recipient's folder, or None.
        lists: (id, label) of the lists it belongs to.
        subscriptions: (id, label) of the services it subscribes to.
        created_by_job / modified_by_job: (id, label) of the import jobs that created / last changed it.
    """

    id: int
    values: dict[str, Any]
    folder: tuple[int, str] | None = None
    lists: list[tuple[int, str]] = field(default_factory=list)
    subscriptions: list[tuple[int, str]] = field(default_factory=list)
    created_by_job: tuple[int, str] | None = None
    modified_by_job: tuple[int, str] | None = None


@dataclass(frozen=True)
class FolderInfo:
    id: int
    label: str
    parent_id: int | None


def _chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    ids = sorted(set(int(i) for i in ids))
    for n in range(0, len(ids), _CHUNK):
        yield ids[n:n + _CHUNK]


def _internal_name(label: str) -> str:
    return (re.sub(r"[^A-Za-z0-9]+", "_", label).strip("_") or "item")[:48]


def _free_name(conn: Connection, table: Any, label: str) -> str:
    base = name = _internal_name(label)
    n = 1
    while conn.execute(select(table.c.id).where(table.c.name == name)).first():
        n += 1
        name = f"{base}_{n}"
    return name


def _label(label: str, what: str) -> str:
    label = label.strip()
    if not label:
        raise UserError(f"Give the {what} a label.")
    if len(label) > 128:
        raise UserError(f"A {what} label has at most 128 characters.")
    return label


class RecipientRepository:
    """Edits of recipients, lists and folders (one transaction per call)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    # --- one recipient -----------------------------------------------------------------------

    def get(self, recipient_id: int) -> RecipientRecord:
        with self._engine.connect() as conn:
            return self._get(conn, recipient_id)

    def _get(self, conn: Connection, recipient_id: int) -> RecipientRecord:
        row = conn.execute(select(recipients).where(recipients.c.id == recipient_id)).mappings().first()
        if row is None:
            raise NotFoundError(f"Recipient #{recipient_id} no longer exists (deleted meanwhile?).")
        values = {f.name: row[f.name] for f in RECIPIENT_FIELDS}
        record = RecipientRecord(recipient_id, values)
        if row["folder_id"] is not None:
            label = conn.execute(select(folders.c.label).where(folders.c.id == row["folder_id"])).scalar()
            record.folder = (int(row["folder_id"]), label or "")
        record.lists = [(int(i), lb) for i, lb in conn.execute(
            select(lists.c.id, lists.c.label).join(list_members, list_members.c.list_id == lists.c.id)
            .where(list_members.c.recipient_id == recipient_id).order_by(lists.c.label))]
        record.subscriptions = [(int(i), lb) for i, lb in conn.execute(
            select(services.c.id, services.c.label).join(subscriptions, subscriptions.c.service_id == services.c.id)
            .where(subscriptions.c.recipient_id == recipient_id).order_by(services.c.label))]
        for attr, column in (("created_by_job", "created_by_job_id"), ("modified_by_job", "modified_by_job_id")):
            job_id = row[column]
            if job_id is not None:
                label = conn.execute(select(jobs.c.label).where(jobs.c.id == job_id)).scalar()
                setattr(record, attr, (int(job_id), label if label is not None else f"#{job_id} (deleted)"))
        return record

    def update(self, recipient_id: int, changes: dict[str, Any], now: datetime | None = None) -> RecipientRecord:
        """Check and save the form's ``changes``; the modification date moves, the import job link stays.

        Raises:
            RecipientValidationError: some values cannot be saved (nothing is).
            NotFoundError: the recipient was deleted meanwhile.
        """
        clean, problems = check_changes(changes)
        if problems:
            raise RecipientValidationError(problems)
        with self._engine.begin() as conn:
            if clean:
                done = conn.execute(update(recipients).where(recipients.c.id == recipient_id)
                                    .values(**clean, last_modified=now or datetime.now())).rowcount
                if not done:
                    raise NotFoundError(f"Recipient #{recipient_id} no longer exists (deleted meanwhile?).")
            return self._get(conn, recipient_id)

    # --- many recipients ---------------------------------------------------------------------

    def delete(self, ids: Sequence[int]) -> int:
        """Delete recipients (their list memberships and subscriptions go with them)."""
        n = 0
        with self._engine.begin() as conn:
            for chunk in _chunks(ids):
                conn.execute(delete(list_members).where(list_members.c.recipient_id.in_(chunk)))
                conn.execute(delete(subscriptions).where(subscriptions.c.recipient_id.in_(chunk)))
                n += conn.execute(delete(recipients).where(recipients.c.id.in_(chunk))).rowcount
        return n

    def denylist(self, ids: Sequence[int], now: datetime | None = None) -> int:
        """Set "No longer contact (by any channel)" on recipients; returns how many changed."""
        n = 0
        with self._engine.begin() as conn:
            for chunk in _chunks(ids):
                n += conn.execute(
                    update(recipients).where(recipients.c.id.in_(chunk), recipients.c.blacklist.is_not(True))
                    .values(blacklist=True, last_modified=now or datetime.now())).rowcount
        return n

    def add_to_list(self, ids: Sequence[int], list_id: int, now: datetime | None = None) -> int:
        """Add recipients to a list; those already in it stay. Returns how many were added."""
        stamp = now or datetime.now()
        n = 0
        with self._engine.begin() as conn:
            if conn.execute(select(lists.c.id).where(lists.c.id == list_id)).first() is None:
                raise NotFoundError("This list no longer exists.")
            for chunk in _chunks(ids):
                already = exists().where(list_members.c.list_id == list_id,
                                         list_members.c.recipient_id == recipients.c.id)
                new = conn.execute(select(recipients.c.id).where(recipients.c.id.in_(chunk), ~already)).scalars().all()
                if new:
                    conn.execute(insert(list_members), [{"list_id": list_id, "recipient_id": r, "added": stamp}
                                                        for r in new])
                    n += len(new)
            conn.execute(update(lists).where(lists.c.id == list_id).values(last_modified=stamp))
        return n

    def add_to_list_named(self, ids: Sequence[int], label: str) -> tuple[int, int]:
        """Add recipients to the list labelled ``label``, created if there is none ("Add to list…").

        Returns:
            (the list's id, how many recipients were added).
        """
        label = _label(label, "list")
        with self._engine.connect() as conn:
            found = conn.execute(select(lists.c.id).where(func.lower(lists.c.label) == label.lower())).scalar()
        list_id = int(found) if found is not None else self.create_list(label)
        return list_id, self.add_to_list(ids, list_id)

    def remove_from_list(self, list_id: int, ids: Sequence[int]) -> int:
        n = 0
        with self._engine.begin() as conn:
            for chunk in _chunks(ids):
                n += conn.execute(delete(list_members).where(
                    and_(list_members.c.list_id == list_id, list_members.c.recipient_id.in_(chunk)))).rowcount
        return n

    def unsubscribe(self, service_id: int, ids: Sequence[int]) -> int:
        n = 0
        with self._engine.begin() as conn:
            for chunk in _chunks(ids):
                n += conn.execute(delete(subscriptions).where(
                    and_(subscriptions.c.service_id == service_id, subscriptions.c.recipient_id.in_(chunk)))).rowcount
        return n

    # --- lists -------------------------------------------------------------------------------

    def create_list(self, label: str, now: datetime | None = None) -> int:
        label = _label(label, "list")
        stamp = now or datetime.now()
        with self._engine.begin() as conn:
            if conn.execute(select(lists.c.id).where(func.lower(lists.c.label) == label.lower())).first():
                raise UserError(f"A list named “{label}” already exists.")
            return int(conn.execute(insert(lists).values(
                name=_free_name(conn, lists, label), label=label, created=stamp, last_modified=stamp)
                .returning(lists.c.id)).scalar_one())

    def rename_list(self, list_id: int, label: str) -> None:
        label = _label(label, "list")
        with self._engine.begin() as conn:
            clash = conn.execute(select(lists.c.id).where(func.lower(lists.c.label) == label.lower(),
                                                          lists.c.id != list_id)).first()
            if clash:
                raise UserError(f"A list named “{label}” already exists.")
            if not conn.execute(update(lists).where(lists.c.id == list_id)
                                .values(label=label, last_modified=datetime.now())).rowcount:
                raise NotFoundError("This list no longer exists.")

    def delete_list(self, list_id: int) -> int:
        """Delete a list (its recipients stay); returns how many members it had."""
        with self._engine.begin() as conn:
            members = conn.execute(delete(list_members).where(list_members.c.list_id == list_id)).rowcount
            conn.execute(delete(lists).where(lists.c.id == list_id))
        return members

    # --- folders -----------------------------------------------------------------------------

    def folders(self) -> list[FolderInfo]:
        """The recipient folders below Recipients, parents before children, by label."""
        with self._engine.connect() as conn:
            rows = conn.execute(select(folders.c.id, folders.c.label, folders.c.parent_id, folders.c.name)
                                .where(folders.c.kind == "recipients").order_by(folders.c.label)).all()
        root = next((r.id for r in rows if r.name == "recipients"), None)
        by_parent: dict[int | None, list[Any]] = {}
        for r in rows:
            if r.id != root:
                by_parent.setdefault(r.parent_id, []).append(r)
        out: list[FolderInfo] = []

        def walk(parent: int | None) -> None:
            for r in by_parent.get(parent, []):
                out.append(FolderInfo(int(r.id), r.label, None if r.parent_id == root else r.parent_id))
                walk(r.id)

        walk(root)
        return out

    def create_folder(self, label: str, parent_id: int | None = None, now: datetime | None = None) -> int:
        """A recipients folder under ``parent_id`` (None: directly under Recipients)."""
        label = _label(label, "folder")
        with self._engine.begin() as conn:
            if parent_id is None:
                parent_id = conn.execute(select(folders.c.id).where(folders.c.name == "recipients")).scalar_one()
            clash = conn.execute(select(folders.c.id).where(folders.c.parent_id == parent_id,
                                                            func.lower(folders.c.label) == label.lower())).first()
            if clash:
                raise UserError(f"This folder already has a sub-folder named “{label}”.")
            return int(conn.execute(insert(folders).values(
                name=_free_name(conn, folders, label), label=label, kind="recipients", parent_id=parent_id,
                created=now or datetime.now()).returning(folders.c.id)).scalar_one())
