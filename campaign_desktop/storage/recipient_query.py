"""Keyset-paged, filtered and sorted reads of recipients: what keeps the Recipients view instant.

A table of a million recipients is never read whole, nor paged with ``OFFSET`` (which reads
and throws away every row before the page: page 5,000 would scan a million rows). Each page
continues *after the last row shown*: ``WHERE (sort key, id) > (last key, last id) ORDER BY
sort key, id LIMIT 200``, which an index on the sort key answers by reading 200 entries.

Text columns sort and search on a *byte-order lower-cased key* (``lower(col)``, with the "C"
collation on PostgreSQL). Both backends compare such keys the same way, so a prefix is a
plain index range (``key >= 'dup' AND key < 'dup' || U+10FFFF``) that the expression indexes
of migration 0002 serve on SQLite and PostgreSQL alike, whatever the server's locale.

Empty values (NULL) come last in both directions, read as a second run ordered by id, so the
two backends agree (SQLite puts NULLs first, PostgreSQL last) and each run stays indexable.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, String, and_, case, func, literal, or_, select, true
from sqlalchemy.sql.elements import ColumnElement

from campaign_desktop.domain.explorer import RecipientItem
from campaign_desktop.storage.schema import list_members, recipients, subscriptions
from campaign_desktop.storage.search_key import search_key

PAGE_SIZE = 200
_TOP = "\U0010ffff"  # above every character in UTF-8 byte order: the end of a prefix range


def _text_key(column: Any) -> ColumnElement[Any]:
    return search_key(column)


DENYLISTED = case((or_(recipients.c.blacklist, recipients.c.blacklist_email), 1), else_=0)
"""1 for a recipient who may not be emailed (denylisted on every channel or for email)."""

SORT_KEYS: dict[str, ColumnElement[Any]] = {
    "id": recipients.c.id,
    "email": _text_key(recipients.c.email),
    "first_name": _text_key(recipients.c.first_name),
    "last_name": _text_key(recipients.c.last_name),
    "account": _text_key(recipients.c.account),
    "city": _text_key(recipients.c.city),
    "denylisted": DENYLISTED,
    "created": recipients.c.created,
    "last_modified": recipients.c.last_modified,
}
"""The orders the Recipients view offers; the indexed ones (id, email, last name, account) stay fast."""

NULLABLE_KEYS = frozenset({"email", "first_name", "last_name", "account", "city"})


class SearchField(StrEnum):
    """Where the quick search box looks (a prefix, case-insensitive)."""

    ANY = "any"  # email, last name or account
    EMAIL = "email"
    NAME = "last_name"
    ACCOUNT = "account"


@dataclass(frozen=True)
class RecipientFilter:
    """Which recipients a view shows.

    Attributes:
        text: the quick-search prefix ("" for everyone).
        field: where to look for it.
        folder_ids: only recipients in these folders (a folder and its sub-folders); empty: all.
        list_id: only the members of this list.
        service_id: only the subscribers of this service.
    """

    text: str = ""
    field: SearchField = SearchField.ANY
    folder_ids: tuple[int, ...] = ()
    list_id: int | None = None
    service_id: int | None = None

    @property
    def shows_everyone(self) -> bool:
        return not (self.text.strip() or self.folder_ids or self.list_id is not None or self.service_id is not None)

    def with_text(self, text: str, search_field: SearchField | None = None) -> RecipientFilter:
        return replace(self, text=text, field=search_field or self.field)


@dataclass(frozen=True)
class Cursor:
    """Where the next page starts: after (``key``, ``id``) in the values run, or in the empty-values run."""

    key: Any = None
    id: int = 0
    in_nulls: bool = False
    started: bool = False


@dataclass
class RecipientPage:
    """A page and where the page after it starts (``next`` None: this was the last one)."""

    rows: list[RecipientItem]
    next: Cursor | None = field(default=None)


def _prefix(column: Any, text: str) -> ColumnElement[bool]:
    key = _text_key(column)
    low = func.lower(literal(text, String), type_=String)
    return and_(key >= low, key < low.concat(_TOP))


def filter_clause(flt: RecipientFilter) -> ColumnElement[bool]:
    """The WHERE clause of ``flt`` (``true()`` when it shows everyone)."""
    parts: list[ColumnElement[bool]] = []
    text = flt.text.strip()
    if text:
        columns = {
            SearchField.EMAIL: [recipients.c.email],
            SearchField.NAME: [recipients.c.last_name],
            SearchField.ACCOUNT: [recipients.c.account],
            SearchField.ANY: [recipients.c.email, recipients.c.last_name, recipients.c.account],
        }[flt.field]
        parts.append(or_(*(_prefix(c, text) for c in columns)))
    if flt.folder_ids:
        parts.append(recipients.c.folder_id.in_(flt.folder_ids))
    if flt.list_id is not None:
        parts.append(recipients.c.id.in_(
            select(list_members.c.recipient_id).where(list_members.c.list_id == flt.list_id)))
    if flt.service_id is not None:
        parts.append(recipients.c.id.in_(
            select(subscriptions.c.recipient_id).where(subscriptions.c.service_id == flt.service_id)))
    return and_(*parts) if parts else true()


def count_query(flt: RecipientFilter) -> Select[Any]:
    q = select(func.count()).select_from(recipients)
    if flt.shows_everyone:
        return q  # no WHERE at all: SQLite's fast count path; a "WHERE 1" would scan an index
    return q.where(filter_clause(flt))


def page_query(flt: RecipientFilter, order_by: str, descending: bool, cursor: Cursor,
               limit: int) -> Select[Any]:
    """The SELECT of the page that starts at ``cursor`` (see the module docstring)."""
    key = SORT_KEYS[order_by]
    rid = recipients.c.id
    where = [filter_clause(flt)]
    if order_by == "id":
        order = [rid.desc() if descending else rid.asc()]
        if cursor.started:
            where.append(rid < cursor.id if descending else rid > cursor.id)
    elif cursor.in_nulls:
        where.append(key.is_(None))
        order = [rid.desc() if descending else rid.asc()]
        if cursor.started:
            where.append(rid < cursor.id if descending else rid > cursor.id)
    else:
        if order_by in NULLABLE_KEYS:
            where.append(key.is_not(None))
        order = [key.desc(), rid.desc()] if descending else [key.asc(), rid.asc()]
        if cursor.started:
            # key >= v is the index range; the OR only trims the ties already shown.
            if descending:
                where.append(and_(key <= cursor.key, or_(key < cursor.key, rid < cursor.id)))
            else:
                where.append(and_(key >= cursor.key, or_(key > cursor.key, rid > cursor.id)))
    return (
        select(rid, recipients.c.email, recipients.c.first_name, recipients.c.last_name,
               recipients.c.account, recipients.c.city, DENYLISTED.label("denylisted"),
               recipients.c.created, recipients.c.last_modified, key.label("sort_key"))
        .where(*where).order_by(*order).limit(limit)
    )


def read_page(conn: Any, flt: RecipientFilter, order_by: str = "id", descending: bool = False,
              cursor: Cursor | None = None, limit: int = PAGE_SIZE) -> RecipientPage:
    """The page at ``cursor`` (the first when None); moves on to the empty-values run as needed.

    Raises:
        KeyError: ``order_by`` is not one of :data:`SORT_KEYS`.
    """
    cursor = cursor or Cursor()
    SORT_KEYS[order_by]  # noqa: B018 - fail early with KeyError on an unknown order
    rows: list[RecipientItem] = []
    while True:
        result = conn.execute(page_query(flt, order_by, descending, cursor, limit - len(rows))).all()
        rows.extend(
            RecipientItem(id=r.id, email=r.email, first_name=r.first_name, last_name=r.last_name,
                          account=r.account, city=r.city, denylisted=bool(r.denylisted), created=r.created,
                          last_modified=r.last_modified)
            for r in result
        )
        if result:
            last = result[-1]
            cursor = Cursor(key=last.sort_key, id=int(last.id), in_nulls=cursor.in_nulls, started=True)
        if len(rows) >= limit:
            return RecipientPage(rows, cursor)
        if cursor.in_nulls or order_by not in NULLABLE_KEYS:
            return RecipientPage(rows, None)
        cursor = Cursor(in_nulls=True)  # values exhausted: the recipients without one follow


def folder_subtree(conn: Any, folder_id: int) -> tuple[int, ...]:
    """``folder_id`` and every folder below it (folders are few: read them all)."""
    from campaign_desktop.storage.schema import folders

    children: dict[int, list[int]] = {}
    for fid, parent in conn.execute(select(folders.c.id, folders.c.parent_id)):
        children.setdefault(parent, []).append(fid)
    found, todo = [], [folder_id]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return tuple(sorted(found))


__all__ = ["Cursor", "PAGE_SIZE", "RecipientFilter", "RecipientPage", "SearchField", "count_query",
           "filter_clause", "folder_subtree", "page_query", "read_page", "search_key"]
