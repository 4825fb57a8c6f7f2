"""Jobs in the database: their life cycle, counters, journal and rejects.

A job row is the truth the GUI, the CLI and a restarted app all read. Counters and the
resume point are written in the same transaction as the batch they describe (see
:mod:`campaign_desktop.jobs.import_job`), so after a power cut the stored counts are
exactly what the database holds.
"""

from __future__ import annotations

import json
import os
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, and_, func, select, update

from campaign_desktop.domain.errors import NotFoundError, UserError
from campaign_desktop.domain.job import Counters, JobStatus, JournalEntry, Level, Reject
from campaign_desktop.domain.template import JobKind, JobTemplate
from campaign_desktop.storage.schema import job_journal, job_rejects, jobs

COUNTER_NAMES = tuple(f.name for f in fields(Counters))
STALE_AFTER = timedelta(minutes=10)  # a job on another host with no heartbeat for this long is Interrupted


def now() -> datetime:
    return datetime.now().replace(microsecond=0)


def this_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


_RUNNING_HERE: set[tuple[str, int]] = set()
"""(database, job id) of the jobs this process is running now.

The one piece of process-wide state in the core, because only the process knows it: a job whose
row says "running, owned by this process" but which is not in here ended without being able to
record its end (the database was read-only, or unreachable, at that moment). Such a job is as
interrupted as one whose process died, and may be resumed without restarting the app.
"""
_RUNNING_LOCK = threading.Lock()


@dataclass
class JobRecord:
    """A job as stored: its identity, state, counters and the template it runs with."""

    id: int
    label: str
    kind: JobKind
    status: JobStatus
    template: JobTemplate
    source_path: str = ""
    description: str = ""
    template_id: int | None = None
    parent_job_id: int | None = None
    dry_run: bool = False
    created_by: str = ""
    created_at: datetime | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    owner: str = ""
    counters: Counters = field(default_factory=Counters)
    bytes_total: int = 0
    bytes_read: int = 0
    lines_read: int = 0
    resume_state: dict[str, Any] = field(default_factory=dict)
    message: str = ""

    @property
    def duration_s(self) -> float | None:
        if not self.started_at:
            return None
        return ((self.ended_at or now()) - self.started_at).total_seconds()


def _record(row: Any) -> JobRecord:
    return JobRecord(
        id=row.id, label=row.label, kind=JobKind(row.kind), status=JobStatus(row.status),
        template=JobTemplate.from_json(row.template_snapshot), source_path=row.source_path,
        description=row.description, template_id=row.template_id, parent_job_id=row.parent_job_id,
        dry_run=bool(row.dry_run), created_by=row.created_by, created_at=row.created_at,
        started_at=row.started_at, ended_at=row.ended_at, owner=row.owner,
        counters=Counters(**{n: int(getattr(row, n)) for n in COUNTER_NAMES}),
        bytes_total=int(row.bytes_total), bytes_read=int(row.bytes_read), lines_read=int(row.lines_read),
        resume_state=json.loads(row.resume_state) if row.resume_state else {}, message=row.message,
    )


class JobRepository:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    # --- creating and reading ----------------------------------------------------------------

    def create(self, template: JobTemplate, *, label: str | None = None, source_path: str = "",
               dry_run: bool = False, created_by: str = "", parent_job_id: int | None = None,
               status: JobStatus = JobStatus.BEING_EDITED) -> int:
        """Store a new job carrying a snapshot of ``template`` (later edits of the template don't change it)."""
        with self._engine.begin() as conn:
            return conn.execute(
                jobs.insert().values(
                    template_id=template.id, parent_job_id=parent_job_id,
                    label=label or template.label, description=template.description,
                    kind=template.kind.value, status=status.value, template_snapshot=template.to_json(),
                    source_path=source_path, dry_run=dry_run, created_by=created_by, created_at=now(),
                ).returning(jobs.c.id)
            ).scalar_one()

    def get(self, job_id: int) -> JobRecord:
        with self._engine.connect() as conn:
            row = conn.execute(select(jobs).where(jobs.c.id == job_id)).first()
        if row is None:
            raise NotFoundError(f"There is no job {job_id}. 'campaign-desktop jobs list' shows the jobs.")
        return _record(row)

    def list(self, limit: int = 1000) -> list[JobRecord]:
        with self._engine.connect() as conn:
            rows = conn.execute(select(jobs).order_by(jobs.c.id.desc()).limit(limit)).all()
        return [_record(r) for r in rows]

    def newest(self) -> tuple[int, int]:
        """(how many jobs, the newest id): a cheap way for a window to notice jobs created elsewhere."""
        with self._engine.connect() as conn:
            count, newest = conn.execute(select(func.count(), func.coalesce(func.max(jobs.c.id), 0))
                                         .select_from(jobs)).one()
        return int(count), int(newest)

    def update_definition(self, job_id: int, template: JobTemplate, *, label: str | None = None,
                          source_path: str | None = None) -> None:
        """Save a job still being edited (the wizard's Save).

        Raises:
            UserError: the job started meanwhile (e.g. Start in the Jobs list while its wizard was
                open): what ran must stay what the job's journal describes.
        """
        values: dict[str, Any] = {"template_snapshot": template.to_json(), "description": template.description}
        if label is not None:
            values["label"] = label
        if source_path is not None:
            values["source_path"] = source_path
        with self._engine.begin() as conn:
            done = conn.execute(update(jobs).where(jobs.c.id == job_id, jobs.c.status == JobStatus.BEING_EDITED.value)
                                .values(**values)).rowcount
        if done != 1:
            status = self.get(job_id).status
            raise UserError(f"Job {job_id} is {status.label.lower()}: it can no longer be changed; "
                            "save as a template to reuse its settings.")

    # --- life cycle --------------------------------------------------------------------------

    def claim(self, job_id: int, *, resuming: bool) -> JobRecord:
        """Mark the job as running in this process; refuse if another process runs it."""
        rec = self.get(job_id)
        if rec.status.is_active and rec.owner == this_owner() and not self.running_here(job_id):
            rec.status = JobStatus.INTERRUPTED  # it ended here without recording its end
            self._store_interrupted(job_id, rec.status)
        allowed = {JobStatus.BEING_EDITED}
        if resuming:
            allowed |= {JobStatus.PAUSED, JobStatus.INTERRUPTED}
            if rec.resume_state and not rec.resume_state.get("complete"):
                allowed.add(JobStatus.FINISHED_WITH_ERRORS)  # e.g. the disk was full: resume once freed
        if rec.status not in allowed:
            if rec.status.is_active:
                raise UserError(f"Job {job_id} is already running ({rec.owner}).")
            hint = " Use 'jobs resume' for a paused or interrupted job." if rec.status.is_resumable else ""
            raise UserError(f"Job {job_id} is {rec.status.label.lower()} and cannot be started again.{hint}")
        stamp = now()
        with self._engine.begin() as conn:
            done = conn.execute(
                update(jobs).where(jobs.c.id == job_id, jobs.c.status == rec.status.value).values(
                    status=JobStatus.RUNNING.value, owner=this_owner(), heartbeat_at=stamp,
                    started_at=rec.started_at or stamp, ended_at=None, message="",
                )
            ).rowcount
        if done != 1:
            raise UserError(f"Job {job_id} was started by someone else meanwhile.")
        with _RUNNING_LOCK:
            _RUNNING_HERE.add(self._here(job_id))
        return self.get(job_id)

    def _here(self, job_id: int) -> tuple[str, int]:
        return (self._engine.url.render_as_string(hide_password=True), job_id)

    def running_here(self, job_id: int) -> bool:
        """Whether this process is running the job now (see ``_RUNNING_HERE``)."""
        with _RUNNING_LOCK:
            return self._here(job_id) in _RUNNING_HERE

    def release(self, job_id: int) -> None:
        """The run of this job in this process is over, whether or not its end could be recorded."""
        with _RUNNING_LOCK:
            _RUNNING_HERE.discard(self._here(job_id))

    def _store_interrupted(self, job_id: int, status: JobStatus) -> None:
        with self._engine.begin() as conn:
            conn.execute(update(jobs).where(jobs.c.id == job_id).values(status=status.value, owner=""))

    def set_status(self, job_id: int, status: JobStatus, message: str | None = None,
                   conn: Connection | None = None) -> None:
        values: dict[str, Any] = {"status": status.value, "heartbeat_at": now()}
        if status in (JobStatus.FINISHED, JobStatus.FINISHED_WITH_ERRORS, JobStatus.CANCELLED,
                      JobStatus.PAUSED, JobStatus.INTERRUPTED):
            values["ended_at"] = now()
            values["owner"] = ""
        if message is not None:
            values["message"] = message
        if conn is not None:
            conn.execute(update(jobs).where(jobs.c.id == job_id).values(**values))
            return
        with self._engine.begin() as c:
            c.execute(update(jobs).where(jobs.c.id == job_id).values(**values))

    def request(self, job_id: int, status: JobStatus) -> bool:
        """Ask a running job (maybe in another process) to pause or cancel; it obeys at its next batch."""
        assert status in (JobStatus.PAUSING, JobStatus.CANCELLING)
        with self._engine.begin() as conn:
            return conn.execute(
                update(jobs).where(jobs.c.id == job_id,
                                   jobs.c.status.in_([JobStatus.RUNNING.value, JobStatus.PAUSING.value]))
                .values(status=status.value)
            ).rowcount == 1

    def checkpoint(self, conn: Connection, job_id: int, counters: Counters, *, bytes_read: int,
                   bytes_total: int, lines_read: int, resume_state: dict[str, Any]) -> JobStatus:
        """Write counters and the resume point inside the batch's transaction; return the stored status.

        The returned status lets another process's Pause/Stop request reach this job.
        """
        conn.execute(
            update(jobs).where(jobs.c.id == job_id).values(
                heartbeat_at=now(), bytes_read=bytes_read, bytes_total=bytes_total, lines_read=lines_read,
                resume_state=json.dumps(resume_state), **counters.as_dict(),
            )
        )
        return JobStatus(conn.execute(select(jobs.c.status).where(jobs.c.id == job_id)).scalar_one())

    def save_counters(self, job_id: int, counters: Counters, **extra: Any) -> None:
        with self._engine.begin() as conn:
            conn.execute(update(jobs).where(jobs.c.id == job_id).values(**counters.as_dict(), **extra))

    def mark_interrupted(self) -> list[int]:
        """Jobs whose process died show as Interrupted (called when the app or the CLI starts)."""
        host = socket.gethostname()
        found: list[int] = []
        with self._engine.connect() as conn:
            rows = conn.execute(
                select(jobs.c.id, jobs.c.owner, jobs.c.heartbeat_at)
                .where(jobs.c.status.in_([s.value for s in JobStatus if s.is_active]))
            ).all()
        for row in rows:
            owner_host, _, pid = (row.owner or "").rpartition(":")
            if row.owner == this_owner():
                dead = not self.running_here(row.id)  # it could not record its end (see claim)
            elif owner_host == host and pid.isdigit():
                dead = not _pid_alive(int(pid))
            else:
                dead = row.heartbeat_at is None or now() - row.heartbeat_at > STALE_AFTER
            if dead:
                found.append(row.id)
        for job_id in found:
            with self._engine.begin() as conn:
                conn.execute(update(jobs).where(jobs.c.id == job_id).values(
                    status=JobStatus.INTERRUPTED.value, owner="",
                    message="The process running this job stopped unexpectedly. Resume continues after "
                            "the last saved batch.",
                ))
                self.add_journal(job_id, JournalEntry(
                    Level.ERROR, "Job interrupted: its process stopped unexpectedly.", "INTERRUPTED"), conn=conn)
        return found

    # --- journal and rejects -----------------------------------------------------------------

    def add_journal(self, job_id: int, entry: JournalEntry | list[JournalEntry],
                    conn: Connection | None = None) -> None:
        entries = entry if isinstance(entry, list) else [entry]
        if not entries:
            return
        rows = [{"job_id": job_id, "at": e.at or now(), "level": e.level.value, "code": e.code,
                 "message": e.message} for e in entries]
        if conn is not None:
            conn.execute(job_journal.insert(), rows)
            return
        with self._engine.begin() as c:
            c.execute(job_journal.insert(), rows)

    def journal(self, job_id: int, after_id: int = 0, limit: int = 10_000) -> list[tuple[int, JournalEntry]]:
        with self._engine.connect() as conn:
            rows = conn.execute(
                select(job_journal).where(job_journal.c.job_id == job_id, job_journal.c.id > after_id)
                .order_by(job_journal.c.id).limit(limit)
            ).all()
        return [(r.id, JournalEntry(Level(r.level), r.message, r.code, r.at)) for r in rows]

    @staticmethod
    def reject_rows(job_id: int, rejects: list[Reject]) -> list[dict[str, Any]]:
        stamp = now()
        return [
            {"job_id": job_id, "line_no": r.line_no, "raw_line": r.raw, "reason_code": r.reason_code,
             "message": r.message, "connector": r.connector.value, "field": r.field, "value": r.value,
             "details": json.dumps({"fields": [vars(f) for f in r.field_errors], "values": r.values},
                                   default=str, ensure_ascii=False) if (r.field_errors or r.values) else "",
             "at": stamp}
            for r in rejects
        ]

    def add_rejects(self, job_id: int, rejects: list[Reject], conn: Connection | None = None) -> None:
        if not rejects:
            return
        rows = self.reject_rows(job_id, rejects)
        if conn is not None:
            conn.execute(job_rejects.insert(), rows)
            return
        with self._engine.begin() as c:
            c.execute(job_rejects.insert(), rows)

    def count_rejects(self, job_id: int) -> int:
        with self._engine.connect() as conn:
            return int(conn.execute(
                select(func.count()).select_from(job_rejects).where(job_rejects.c.job_id == job_id)
            ).scalar_one())

    def iter_rejects(self, job_id: int, page: int = 5000) -> Iterator[Reject]:
        """All rejects of a job in line order, paged by line number (keyset), never all in memory."""
        from campaign_desktop.domain.job import Connector, FieldError

        last = -1
        while True:
            with self._engine.connect() as conn:
                rows = conn.execute(
                    select(job_rejects).where(and_(job_rejects.c.job_id == job_id, job_rejects.c.line_no > last))
                    .order_by(job_rejects.c.line_no).limit(page)
                ).all()
            if not rows:
                return
            for r in rows:
                details = json.loads(r.details) if r.details else {}
                yield Reject(
                    line_no=int(r.line_no), raw=r.raw_line, reason_code=r.reason_code, message=r.message,
                    connector=Connector(r.connector), field=r.field, value=r.value,
                    field_errors=[FieldError(**f) for f in details.get("fields", [])],
                    values=details.get("values", {}),
                )
            last = int(rows[-1].line_no)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (killed child not yet reaped) is dead for our purposes.
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().split(") ", 1)[1][:1] != "Z"
    except (OSError, IndexError):
        return True
