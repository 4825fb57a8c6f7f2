"""The wizard's Data preview and the CLI's checks: the first lines, the SQL, the matching count.

Everything here reads the same plan as the export job (:func:`plan_export`), so what the
preview shows is what the file will hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, Select, select

from campaign_desktop.domain.errors import UserError
from campaign_desktop.domain.template import ExportSettings, OutputFormat
from campaign_desktop.export.cells import RowFormatter
from campaign_desktop.export.conditions import condition_problems
from campaign_desktop.export.query import build_query, count_query, find_list_id, list_name_of, sql_text
from campaign_desktop.export.sql_lines import line_expression
from campaign_desktop.export.writers import output_problems
from campaign_desktop.storage.schema import jobs, recipients

PREVIEW_LINES = 200


@dataclass
class ExportPlan:
    formatter: RowFormatter
    statement: Select[Any]
    since: datetime | None = None
    line_statement: Select[Any] | None = None  # the same rows as finished text lines (delimited fast path)


@dataclass
class ExportPreview:
    headers: list[str]
    rows: list[list[Any]]
    sql: str
    count: int
    notes: list[str] = field(default_factory=list)


def export_problems(settings: ExportSettings) -> list[str]:
    """What stops these settings from running, in sentences (empty: it can run)."""
    out = output_problems(settings.output)
    out += condition_problems(settings.filter)
    try:
        fmt = RowFormatter(settings)
        build_query(settings, fmt, list_id=None)
        list_name_of(settings)
    except UserError as exc:
        out.append(str(exc))
    if settings.line_limit < 0:
        out.append("The number of lines to export cannot be negative.")
    return out


def plan_export(conn: Connection, settings: ExportSettings, *, since: datetime | None = None,
                fast_lines: bool = False) -> ExportPlan:
    problems = export_problems(settings)
    if problems:
        raise UserError("The export cannot run: " + "; ".join(problems))
    formatter = RowFormatter(settings, native=settings.output.format is OutputFormat.XLSX)
    name = list_name_of(settings)
    list_id = find_list_id(conn, name) if name else None
    plan = ExportPlan(formatter, build_query(settings, formatter, list_id=list_id, since=since), since)
    if fast_lines:
        line = line_expression(settings, formatter, conn.dialect.name)
        if line is not None:
            plan.line_statement = build_query(settings, formatter, list_id=list_id, since=since,
                                              columns=[recipients.c.id, line])
    return plan


def last_successful_start(conn: Connection, template_id: int | None, before_job: int | None = None) -> datetime | None:
    """When the last finished export of this template started: a differential export's lower bound.

    The start (kept to the microsecond in the job's resume state), not the end, so recipients
    changed while that export ran are exported again next time rather than missed.
    """
    if template_id is None:
        return None
    import json

    q = (select(jobs.c.resume_state, jobs.c.started_at)
         .where(jobs.c.template_id == template_id, jobs.c.kind == "export", jobs.c.status == "finished",
                jobs.c.dry_run.is_(False))
         .order_by(jobs.c.id.desc()))
    if before_job is not None:
        q = q.where(jobs.c.id != before_job)
    row = conn.execute(q.limit(1)).first()
    if row is None:
        return None
    state = json.loads(row.resume_state) if row.resume_state else {}
    started = state.get("started")
    return datetime.fromisoformat(started) if started else row.started_at


def preview_export(engine: Engine, settings: ExportSettings, lines: int = PREVIEW_LINES) -> ExportPreview:
    """The first ``lines`` rows as the file will show them, the SQL and the total matching count."""
    with engine.connect() as conn:
        plan = plan_export(conn, settings)
        count = int(conn.execute(count_query(plan.statement)).scalar_one())
        limit = lines if not settings.line_limit else min(lines, settings.line_limit)
        rows = conn.execute(plan.statement.limit(limit)).fetchall()
        cells = [list(r) for r in plan.formatter.format_rows(rows)]
        notes = []
        if plan.formatter.calc_errors:
            notes.append(f"{plan.formatter.calc_errors} value(s) could not be computed and are left empty")
        return ExportPreview(plan.formatter.headers, cells, sql_text(plan.statement, conn), count, notes)


def count_matching(engine: Engine, settings: ExportSettings) -> int:
    """How many recipients the filter (and document type, and limit) selects: the filter builder's count."""
    with engine.connect() as conn:
        return int(conn.execute(count_query(plan_export(conn, settings).statement)).scalar_one())
