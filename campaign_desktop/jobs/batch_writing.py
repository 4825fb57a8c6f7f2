"""Writing one batch of an import: plan it, write it, account for it — in one transaction.

The half of ``ImportRun`` that runs once per batch, apart from the reading and the job's life cycle
(``import_job.py``). Each batch is one transaction holding its recipients' writes, its rejects, its
journal lines and the job's counters and resume point, so whatever stops the job, the database holds
whole batches only. A batch the reading process staged (``staged_batches``) is copied or compared by
SQLite when it can be, and read back into rows for the planner when it cannot.
"""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from campaign_desktop.domain.job import Counters, JobStatus
from campaign_desktop.jobs.batches import ReadBatch
from campaign_desktop.jobs.staged_batches import unstage
from campaign_desktop.reconcile.keys import KeyPlan
from campaign_desktop.reconcile.planner import Planner
from campaign_desktop.storage.recipients_writer import RecipientsWriter
from campaign_desktop.storage.search_key import SEARCH_INDEXES
from campaign_desktop.storage.staged_rows import attach, detach, match_staged

log = logging.getLogger("campaign_desktop.jobs.import_job")

DRY_RUN_REJECTS_KEPT = 100_000


@dataclass
class Audience:
    folder_id: int | None
    list_id: int | None
    service_id: int | None


class BatchWriting:
    """``ImportRun``'s per-batch work (a mixin: the state it uses is the run's)."""

    job_id: int
    dry_run: bool
    counters: Counters
    state: dict[str, Any]
    fresh: Any
    repo: Any
    stored_status: JobStatus
    lines_read: int
    bytes_read: int
    bytes_total: int

    def _report(self, status: JobStatus, message: str = "") -> None:  # pragma: no cover - ImportRun's
        raise NotImplementedError

    def _write_batch_replaying_conflicts(self, *args: Any) -> None:
        """Write a batch; replay it when the database aborted it for a conflict with another import.

        Two workstations importing the same emails at once: PostgreSQL's serializable transactions
        abort one batch (or break a deadlock); nothing of it was kept, so it is planned and written
        again against what the other import committed meanwhile.
        """
        for attempt in range(1, CONFLICT_REPLAYS + 1):
            try:
                self._write_batch(*args)
                return
            except Exception as exc:
                if attempt == CONFLICT_REPLAYS or not _is_conflict(exc):
                    raise
                log.info("job %s: batch replayed after a conflict with another import (%s)", self.job_id, exc)
                time.sleep(min(0.02 * 2 ** attempt, 1.0) * random.uniform(0.5, 1.5))

    def _write_batch(self, conn: Connection, planner: Planner, keys: KeyPlan, match_folder: int | None,
                     aud: Audience, rb: ReadBatch, doubled: set[str]) -> None:
        """Write one batch in its own transaction; a staged batch's database is attached meanwhile."""
        if rb.staged is None:
            self._write_batch_tx(conn, planner, keys, match_folder, aud, rb, doubled)
            return
        raw = conn.connection.driver_connection
        if self.dry_run or not attach(raw, rb.staged.data):
            unstage(rb, keys, planner.destinations)
            self._write_batch_tx(conn, planner, keys, match_folder, aud, rb, doubled)
            return
        try:
            self._write_batch_tx(conn, planner, keys, match_folder, aud, rb, doubled)
        finally:
            try:
                detach(raw)
            except Exception:  # noqa: BLE001 - a broken connection is discarded anyway
                log.debug("job %s: could not detach a staged batch", self.job_id, exc_info=True)

    def _write_batch_tx(self, conn: Connection, planner: Planner, keys: KeyPlan, match_folder: int | None,
                        aud: Audience, rb: ReadBatch, doubled: set[str]) -> None:
        stamp = datetime.now()
        before_batch = replace(self.counters)
        before_state = dict(self.state)  # a failed batch must not move the resume point
        batch = Counters(processed=len(rb.rejects) + rb.empty, rejected=len(rb.rejects), errors=len(rb.rejects),
                         empty=rb.empty, ignored=rb.empty, warnings=rb.warning_count)
        tx = None if self.dry_run else conn.begin()
        try:
            writer = RecipientsWriter(conn)
            if not self.dry_run:
                writer.lock_for_import()
            existing: dict[tuple[str, ...], Any] = {}
            # An empty table at the start and nobody else writing: only keys met before can be there.
            met_only = self.fresh is not None and rb.met_before is not None and self.fresh.still_alone(conn)
            plan = None
            if rb.staged is not None and not met_only:
                plan = self._plan_staged_unchanged(conn, planner, keys, match_folder, aud, rb, doubled, stamp)
                if plan is None:
                    unstage(rb, keys, planner.destinations)  # every key must be looked up: the rows are needed
            for fields in keys.key_sets if plan is None else ():
                wanted = rb.staged.met_keys if rb.staged is not None else rb.keys_of(fields, met_only)
                if wanted:
                    existing[fields] = writer.find(fields, wanted, planner.lookup_columns, match_folder)
            if plan is None and rb.staged is not None:
                plan = planner.plan_staged(rb.staged, existing, doubled, stamp)
                if plan is None:
                    unstage(rb, keys, planner.destinations)
            if plan is None and not rb.key2_at:
                plan = planner.plan_rows(rb.rows, rb.keys, rb.key_sets[0], existing, doubled, stamp)
            if plan is None:
                plan = planner.plan(rb.lines, existing, doubled, stamp, whole=False)
            need_ids = (aud.list_id or aud.service_id) and plan.inserts
            before = writer.max_id() if need_ids else 0
            writer.insert(plan.insert_columns, plan.inserts, plan.insert_constants)
            writer.update(plan.updates)
            writer.delete(plan.deletes)
            members = set(plan.member_ids)
            if need_ids:
                members.update(writer.ids_inserted_by(self.job_id, before))
            if aud.list_id:
                writer.add_memberships("list_members", "list_id", aud.list_id, members, "added", stamp)
            if aud.service_id:
                writer.add_memberships("subscriptions", "service_id", aud.service_id, members, "created", stamp)
            writer.add_enum_values(plan.enum_values)
            batch.add(plan.counters)
            batch.success = batch.inserted + batch.updated + batch.deleted
            self.counters.add(batch)
            rejects = sorted(rb.rejects + plan.rejects, key=lambda r: r.line_no)
            journal = [w for _, w in rb.warnings] + plan.journal
            index = rb.index
            if rb.last is not None:
                self.state.update(offset=rb.last[0], line=rb.last[1], index=index)
            self.lines_read = index
            self.bytes_read = rb.last[0] if rb.last is not None else 0
            if self.dry_run:
                room = DRY_RUN_REJECTS_KEPT - len(self.dry_rejects)
                self.dry_rejects.extend(rejects[:max(room, 0)])
                self.dry_journal.extend(journal)
                self.stored_status = JobStatus.RUNNING
            else:
                self.repo.add_rejects(self.job_id, rejects, conn)
                self.repo.add_journal(self.job_id, journal, conn)
                self.stored_status = self.repo.checkpoint(
                    conn, self.job_id, self.counters, bytes_read=self.bytes_read, bytes_total=self.bytes_total,
                    lines_read=index, resume_state=self.state)
            if tx is not None:
                tx.commit()
        except BaseException:
            if tx is not None:
                try:
                    tx.rollback()
                except DBAPIError:
                    conn.invalidate()  # the server went away: the batch is lost with the connection
            self.counters = before_batch
            self.state = before_state
            raise
        self._refresh_statistics(conn, len(plan.inserts))
        self._report(JobStatus.RUNNING)

    @staticmethod
    def _plan_staged_unchanged(conn: Connection, planner: Planner, keys: KeyPlan, match_folder: int | None,
                               aud: Audience, rb: ReadBatch, doubled: set[str], stamp: datetime) -> Any:
        """The same file imported again, decided by SQLite on the staged batch: None unless every line
        matches one recipient that already holds its values (then nothing is written)."""
        assert rb.staged is not None
        fields = planner.staged_compare(rb.staged, doubled)
        at = keys.single_key_position()
        if fields is None or at is None:
            return None
        key = keys.key1[0]
        match = match_staged(conn.connection.driver_connection, key, at, fields, planner.guarded_flags,
                             match_folder, key in SEARCH_INDEXES.values(), bool(aud.list_id or aud.service_id))
        return planner.plan_staged_unchanged(rb.staged, match, stamp)

    def _refresh_statistics(self, conn: Connection, inserted: int) -> None:
        """Keep PostgreSQL's planner aware that the table grew, so key lookups keep using the index.

        Without fresh statistics a table that started empty looks tiny, and every lookup becomes a
        full scan: the import slows down quadratically. ANALYZE samples, so it stays cheap.
        """
        if self.dry_run or conn.dialect.name != "postgresql":
            return
        self.grown = getattr(self, "grown", 0) + inserted
        if self.grown > max(5_000, getattr(self, "analyzed_rows", 0) // 2):
            conn.exec_driver_sql("ANALYZE recipients")
            conn.commit()
            self.analyzed_rows = getattr(self, "analyzed_rows", 0) + self.grown
            self.grown = 0


CONFLICT_REPLAYS = 50
"""How often a batch aborted by a conflict with a concurrent import is replayed before the job gives up."""


def _is_conflict(exc: BaseException) -> bool:
    """A serialization failure or a deadlock: the database undid the batch and asks to try again."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    return getattr(orig, "sqlstate", None) in ("40001", "40P01")
