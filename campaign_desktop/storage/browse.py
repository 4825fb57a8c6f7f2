"""Read-only queries behind the explorer lists: paged recipients, lists, services and jobs.

The GUI runs these on a worker thread and shows what comes back, so each returns plain
item values (:mod:`campaign_desktop.domain.explorer`) and reads only the columns its list
shows: the jobs list, for one, never parses the template snapshot every job carries.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, func, or_, select

from campaign_desktop.domain.explorer import JobItem, ListItem, RecipientItem, ServiceItem
from campaign_desktop.domain.job import JobStatus
from campaign_desktop.domain.template import JobKind
from campaign_desktop.storage.recipient_query import (
    Cursor,
    RecipientFilter,
    RecipientPage,
    count_query,
    folder_subtree,
    read_page,
)
from campaign_desktop.storage.schema import jobs, list_members, lists, recipients, services, subscriptions

RECIPIENT_PAGE = 200
"""Rows per page of the recipients list (one ``fetchMore``)."""

_DENYLISTED = or_(recipients.c.blacklist, recipients.c.blacklist_email)

RECIPIENT_SORT_KEYS: dict[str, Any] = {
    "id": recipients.c.id,
    "email": recipients.c.email,
    "first_name": recipients.c.first_name,
    "last_name": recipients.c.last_name,
    "account": recipients.c.account,
    "city": recipients.c.city,
    "denylisted": _DENYLISTED,
    "created": recipients.c.created,
    "last_modified": recipients.c.last_modified,
}
"""The orders the recipients list can ask for (the database sorts, so every row takes part)."""


class Browser:
    """Read-only paged access to what the explorer lists show."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def count_recipients(self, flt: RecipientFilter | None = None) -> int:
        """All recipients, or those ``flt`` shows (the right-hand number of "200 / 1,000,000")."""
        with self._engine.connect() as conn:
            if flt is None:
                return int(conn.execute(select(func.count()).select_from(recipients)).scalar_one())
            return int(conn.execute(count_query(flt)).scalar_one())

    def recipients_after(self, flt: RecipientFilter, order_by: str = "id", descending: bool = False,
                         cursor: Cursor | None = None, limit: int = RECIPIENT_PAGE) -> RecipientPage:
        """The page of ``flt``'s recipients after ``cursor`` (keyset paging, see storage.recipient_query)."""
        with self._engine.connect() as conn:
            return read_page(conn, flt, order_by, descending, cursor, limit)

    def folder_subtree(self, folder_id: int) -> tuple[int, ...]:
        with self._engine.connect() as conn:
            return folder_subtree(conn, folder_id)

    def recipients_page(self, offset: int = 0, limit: int = RECIPIENT_PAGE, order_by: str = "id",
                        descending: bool = False) -> list[RecipientItem]:
        """One page of recipients in a stable order (ties broken by id).

        Raises:
            KeyError: ``order_by`` is not one of :data:`RECIPIENT_SORT_KEYS`.
        """
        key = RECIPIENT_SORT_KEYS[order_by]
        order = [key.desc() if descending else key.asc()]
        if order_by != "id":
            order.append(recipients.c.id.desc() if descending else recipients.c.id.asc())
        q = (
            select(recipients.c.id, recipients.c.email, recipients.c.first_name, recipients.c.last_name,
                   recipients.c.account, recipients.c.city, _DENYLISTED.label("denylisted"),
                   recipients.c.created, recipients.c.last_modified)
            .order_by(*order).offset(offset).limit(limit)
        )
        with self._engine.connect() as conn:
            return [
                RecipientItem(id=r.id, email=r.email, first_name=r.first_name, last_name=r.last_name,
                              account=r.account, city=r.city, denylisted=bool(r.denylisted),
                              created=r.created, last_modified=r.last_modified)
                for r in conn.execute(q)
            ]

    def lists(self) -> list[ListItem]:
        members = (
            select(list_members.c.list_id, func.count().label("n"))
            .group_by(list_members.c.list_id).subquery()
        )
        q = (
            select(lists.c.id, lists.c.name, lists.c.label, lists.c.created,
                   func.coalesce(members.c.n, 0).label("members"))
            .outerjoin(members, members.c.list_id == lists.c.id)
            .order_by(lists.c.label, lists.c.id)
        )
        with self._engine.connect() as conn:
            return [ListItem(id=r.id, name=r.name, list_label=r.label, members=int(r.members),
                             created=r.created)
                    for r in conn.execute(q)]

    def services(self) -> list[ServiceItem]:
        subs = (
            select(subscriptions.c.service_id, func.count().label("n"))
            .group_by(subscriptions.c.service_id).subquery()
        )
        q = (
            select(services.c.id, services.c.name, services.c.label, services.c.created,
                   func.coalesce(subs.c.n, 0).label("subscribers"))
            .outerjoin(subs, subs.c.service_id == services.c.id)
            .order_by(services.c.label, services.c.id)
        )
        with self._engine.connect() as conn:
            return [ServiceItem(id=r.id, name=r.name, service_label=r.label, subscribers=int(r.subscribers),
                                created=r.created)
                    for r in conn.execute(q)]

    def jobs(self, limit: int = 1000) -> list[JobItem]:
        """The most recent jobs first, as the Generic imports and exports list shows them."""
        q = (
            select(jobs.c.id, jobs.c.label, jobs.c.kind, jobs.c.status, jobs.c.created_by, jobs.c.created_at,
                   jobs.c.started_at, jobs.c.ended_at, jobs.c.source_path, jobs.c.processed,
                   jobs.c.rejected, jobs.c.message)
            .order_by(jobs.c.id.desc()).limit(limit)
        )
        with self._engine.connect() as conn:
            return [
                JobItem(id=r.id, job_label=r.label, kind=JobKind(r.kind), status=JobStatus(r.status),
                        created_by=r.created_by, created_at=r.created_at, started_at=r.started_at,
                        ended_at=r.ended_at, source_path=r.source_path, processed=int(r.processed),
                        rejected=int(r.rejected), message=r.message)
                for r in conn.execute(q)
            ]
