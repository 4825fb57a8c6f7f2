"""One page of a job's rejects at a time, for the Rejects tab that pages through 100,000 of them.

The GUI asks for the rows after the last one it holds (a keyset on line number then id), so
every page costs the same, however deep the user has scrolled; an OFFSET would get slower
with each page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import Engine, and_, or_, select

from campaign_desktop.domain.job import Connector, FieldError, Reject
from campaign_desktop.storage.schema import job_rejects


@dataclass(frozen=True)
class RejectRow:
    """A stored reject and its row id (the id breaks ties between equal line numbers)."""

    id: int
    reject: Reject


def rejects_page(engine: Engine, job_id: int, after: tuple[int, int] = (-1, -1), limit: int = 500) -> list[RejectRow]:
    """The rejects of ``job_id`` after ``(line_no, id)`` in line order, at most ``limit`` of them."""
    line, row_id = after
    q = (
        select(job_rejects)
        .where(and_(job_rejects.c.job_id == job_id,
                    or_(job_rejects.c.line_no > line, and_(job_rejects.c.line_no == line, job_rejects.c.id > row_id))))
        .order_by(job_rejects.c.line_no, job_rejects.c.id).limit(limit)
    )
    with engine.connect() as conn:
        rows = conn.execute(q).all()
    out: list[RejectRow] = []
    for r in rows:
        details = json.loads(r.details) if r.details else {}
        out.append(RejectRow(int(r.id), Reject(
            line_no=int(r.line_no), raw=r.raw_line, reason_code=r.reason_code, message=r.message,
            connector=Connector(r.connector), field=r.field, value=r.value,
            field_errors=[FieldError(**f) for f in details.get("fields", [])],
            values={str(k): str(v) for k, v in details.get("values", {}).items()},
        )))
    return out
