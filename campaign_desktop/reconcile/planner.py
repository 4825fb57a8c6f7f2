"""Deciding, line by line, what each converted line does to the recipients (spec §4.7).

Pure logic over plain values: given a batch of converted lines and the recipients they
match, produce the inserts, updates, deletes, memberships and per-line outcomes. The
database is reached only through the lookup result handed in, so every rule here (keys,
doubles, duplicates, per-field options, the consent guard) is tested without a database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from campaign_desktop.domain.job import Connector, Counters, FieldError, JournalEntry, Level, Reject
from campaign_desktop.domain.recipient_fields import DENYLIST_FIELDS, FIELDS_BY_NAME, FieldType
from campaign_desktop.domain.template import DoublesPolicy, Operation, Reconciliation
from campaign_desktop.reconcile.doubles import key_text
from campaign_desktop.reconcile.keys import Key, KeyPlan

BOOLEAN_FIELDS = frozenset(f.name for f in FIELDS_BY_NAME.values() if f.type is FieldType.BOOLEAN)
OPEN_ENUMS = ("city", "company", "origin", "salutation", "language")


@dataclass(slots=True)
class Line:
    """A line that converted cleanly and now needs reconciling."""

    line_no: int
    raw: str
    values: dict[str, Any]
    key_fields: tuple[str, ...] = ()
    key: Key | None = None


@dataclass
class BatchPlan:
    """Everything one batch will write, and how each line ended."""

    insert_columns: list[str] = field(default_factory=list)
    inserts: list[list[Any]] = field(default_factory=list)
    updates: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    deletes: list[int] = field(default_factory=list)
    member_ids: set[int] = field(default_factory=set)  # matched recipients to add to the list/service
    rejects: list[Reject] = field(default_factory=list)
    journal: list[JournalEntry] = field(default_factory=list)
    counters: Counters = field(default_factory=Counters)
    enum_values: set[tuple[str, str]] = field(default_factory=set)


class Planner:
    """Applies one template's reconciliation settings to batches of lines."""

    def __init__(self, rec: Reconciliation, keys: KeyPlan, destinations: Sequence[str], *,
                 job_id: int, folder_id: int | None, origin: str, set_flags: Sequence[str],
                 field_rules: dict[str, Any], trace: bool, update_enumerations: bool) -> None:
        self.rec = rec
        self.keys = keys
        self.destinations = list(destinations)
        self.job_id = job_id
        self.folder_id = folder_id
        self.origin = origin
        self.set_flags = list(set_flags)
        self.rules = field_rules
        self.trace = trace
        self.update_enumerations = update_enumerations
        # Flags the guard protects: every opt-out flag the import neither maps nor sets.
        self.guarded_flags = [f for f in DENYLIST_FIELDS if f not in destinations and f not in set_flags]
        extra = [c for c in ("origin",) if c not in destinations and origin]
        self.insert_columns = [
            *self.destinations, *extra, *[f for f in set_flags if f not in destinations],
            *[b for b in BOOLEAN_FIELDS if b not in destinations and b not in set_flags],
            "folder_id", "created", "last_modified", "created_by_job_id", "modified_by_job_id",
        ]
        self._insert_extra_values = ([origin] if extra else []) + [True] * len(
            [f for f in set_flags if f not in destinations])
        self._false_booleans = len([b for b in BOOLEAN_FIELDS if b not in destinations and b not in set_flags])
        self.lookup_columns = list(dict.fromkeys([*destinations, *DENYLIST_FIELDS]))

    # --- the batch -------------------------------------------------------------------------

    def plan(self, lines: Sequence[Line], existing: dict[tuple[str, ...], dict[Key, dict[str, Any]]],
             doubled: set[str] | frozenset[str], stamp: datetime) -> BatchPlan:
        """Decide every line of the batch; ``existing`` maps key fields -> key -> recipient row."""
        out = BatchPlan(insert_columns=self.insert_columns)
        c = out.counters
        pending_inserts: dict[Key, list[Any]] = {}  # key -> insert row (for doubles inside the batch)
        pending_updates: dict[int, dict[str, Any]] = {}  # recipient id -> changes so far
        current_rows: dict[int, dict[str, Any]] = {}  # recipient id -> values as they will be
        deleted: set[int] = set()
        op = self.rec.operation
        for line in lines:
            c.processed += 1
            key_fields, key = line.key_fields, line.key
            if key is None and self.keys.required:
                self._reject(out, line, "no_key", self.keys.missing_message(), Connector.DATABASE)
                continue
            if doubled and key is not None and key_text(key) in doubled:
                c.doubles += 1
                if self.rec.doubles is DoublesPolicy.REJECT:
                    self._reject(out, line, "double",
                                 f"Another line of the file has the same {self.keys.describe(key_fields)}; "
                                 "lines sharing a key are not imported", Connector.DATABASE)
                else:
                    c.ignored += 1
                    self._trace(out, line, "ignored (double in the file)")
                continue
            if self.update_enumerations:
                for name in OPEN_ENUMS:
                    v = line.values.get(name)
                    if v:
                        out.enum_values.add((name, v))
            if op is Operation.INSERT or key is None:
                out.inserts.append(self._insert_row(line.values, stamp))
                c.inserted += 1
                self._trace(out, line, "inserted")
                continue
            # Doubles kept under "Update": a later line updates what an earlier one of this batch wrote.
            if key in pending_inserts:
                self._merge_into_insert(pending_inserts[key], line.values)
                c.updated += 1
                self._trace(out, line, "updated (same key as an earlier line)")
                continue
            row = existing.get(key_fields, {}).get(key)
            if row is None or row["id"] in deleted:
                if op is Operation.UPSERT:
                    ins = self._insert_row(line.values, stamp)
                    pending_inserts[key] = ins
                    out.inserts.append(ins)
                    c.inserted += 1
                    self._trace(out, line, "inserted")
                elif op is Operation.RECONCILE_ONLY:
                    self._reject(out, line, "not_found",
                                 f"No recipient has this {self.keys.describe(key_fields)}", Connector.DATABASE)
                else:
                    c.ignored += 1
                    self._trace(out, line, "ignored (no recipient matches)")
                continue
            rid = row["id"]
            c.duplicates += 1
            if self.rec.duplicates is DoublesPolicy.REJECT:
                self._reject(out, line, "duplicate",
                             f"A recipient with this {self.keys.describe(key_fields)} already exists",
                             Connector.DATABASE)
                continue
            if self.rec.duplicates is DoublesPolicy.IGNORE:
                c.ignored += 1
                self._trace(out, line, "ignored (already in the database)")
                continue
            if op is Operation.DELETE:
                deleted.add(rid)
                out.deletes.append(rid)
                c.deleted += 1
                self._trace(out, line, "deleted")
                continue
            out.member_ids.add(rid)
            if op is Operation.RECONCILE_ONLY:
                c.ignored += 1
                self._trace(out, line, "reconciled")
                continue
            current = current_rows.setdefault(rid, row)
            changes = self._changes(current, line.values)
            if self.guarded_flags and any(current.get(f) for f in self.guarded_flags):
                c.denylist_kept += 1
            if changes:
                current_rows[rid] = {**current, **changes}
                pending_updates.setdefault(rid, {}).update(changes)
                c.updated += 1
                self._trace(out, line, "updated")
            else:
                c.ignored += 1
                c.unchanged += 1
                self._trace(out, line, "unchanged")
        out.updates = [
            (rid, {**ch, "last_modified": stamp, "modified_by_job_id": self.job_id})
            for rid, ch in pending_updates.items()
        ]
        c.success = c.inserted + c.updated + c.deleted
        return out

    # --- helpers -----------------------------------------------------------------------------

    def _insert_row(self, values: dict[str, Any], stamp: datetime) -> list[Any]:
        row = [values.get(d) for d in self.destinations]
        for i, d in enumerate(self.destinations):
            if row[i] is None and d in BOOLEAN_FIELDS:
                row[i] = d in self.set_flags
            elif d in self.set_flags:
                row[i] = True
        return [*row, *self._insert_extra_values, *([False] * self._false_booleans),
                self.folder_id, stamp, stamp, self.job_id, self.job_id]

    def _merge_into_insert(self, row: list[Any], values: dict[str, Any]) -> None:
        for i, d in enumerate(self.destinations):
            v = values.get(d)
            rule = self.rules.get(d)
            if v is None and not (rule and rule.update_if_source_empty):
                continue
            if rule and rule.update_only_if_destination_empty and row[i] not in (None, ""):
                continue
            if d in self.set_flags:
                continue
            row[i] = False if (v is None and d in BOOLEAN_FIELDS) else v

    def _changes(self, current: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
        if not self.rules:  # the common case, kept tight: it runs once per matched line
            changes = {d: v for d, v in values.items() if v is not None and current.get(d) != v}
            for f in self.set_flags:
                if not current.get(f):
                    changes[f] = True
            return changes
        changes = {}
        for d in self.destinations:
            rule = self.rules.get(d)
            if rule is not None and rule.only_on_insert:
                continue
            v = values.get(d)
            if v is None:
                if not (rule and rule.update_if_source_empty):
                    continue
                if d in BOOLEAN_FIELDS:
                    v = False
            if rule is not None and rule.update_only_if_destination_empty and current.get(d) not in (None, ""):
                continue
            if current.get(d) != v:
                changes[d] = v
        for f in self.set_flags:
            if not current.get(f):
                changes[f] = True
        return changes

    def _reject(self, out: BatchPlan, line: Line, code: str, message: str, connector: Connector) -> None:
        out.counters.rejected += 1
        out.counters.errors += 1
        out.rejects.append(Reject(line.line_no, line.raw, code, message, connector,
                                  values={k: _text(v) for k, v in line.values.items()}))
        if self.trace:
            out.journal.append(JournalEntry(Level.TRACE, f"Line {line.line_no}: rejected: {message}", "LINE"))

    def _trace(self, out: BatchPlan, line: Line, what: str) -> None:
        if self.trace:
            who = line.values.get("email") or line.values.get("account") or ""
            label = f" '{who}'" if who else ""
            out.journal.append(JournalEntry(Level.TRACE, f"Line {line.line_no}: recipient{label} {what}", "LINE"))


def text_reject(line_no: int, raw: str, code: str, message: str,
                field_errors: Sequence[FieldError] = (), connector: Connector = Connector.TEXT) -> Reject:
    first = field_errors[0] if field_errors else None
    return Reject(line_no, raw, code, message, connector, field=first.field if first else "",
                  value=first.value if first else "", field_errors=list(field_errors))


def _text(v: Any) -> str:
    if v is None:
        return ""
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return str(v)
