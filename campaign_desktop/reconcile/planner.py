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
from operator import itemgetter
from typing import Any, NamedTuple

from campaign_desktop.domain.job import Connector, Counters, FieldError, JournalEntry, Level, Reject
from campaign_desktop.domain.recipient_fields import DENYLIST_FIELDS, FIELDS_BY_NAME, FieldType
from campaign_desktop.domain.template import DoublesPolicy, Operation, Reconciliation
from campaign_desktop.reconcile.doubles import key_text
from campaign_desktop.reconcile.keys import Key, KeyPlan
from campaign_desktop.reconcile.staged_plans import StagedPlans

BOOLEAN_FIELDS = frozenset(f.name for f in FIELDS_BY_NAME.values() if f.type is FieldType.BOOLEAN)
OPEN_ENUMS = ("city", "company", "origin", "salutation", "language")


class Line(NamedTuple):
    """A line that converted cleanly and now needs reconciling.

    A plain tuple on purpose: a million of them cross from the reader process to the writer
    (pickled) and through the planner, and a tuple costs nothing to build, send or unpack.
    ``row`` holds the destination values in the planner's ``destinations`` order (a dict of
    destination -> value is accepted too, for callers outside the hot path); ``missing`` names
    the fields left out of the line (a value ignored with a warning), which count as empty but
    are not reported as "".
    """

    line_no: int
    raw: str
    row: Sequence[Any] | dict[str, Any]
    key_fields: tuple[str, ...] = ()
    key: Key | None = None
    missing: frozenset[str] | None = None


@dataclass
class BatchPlan:
    """Everything one batch will write, and how each line ended.

    ``inserts`` hold only the ``insert_columns`` (the mapped fields); ``insert_constants`` are the
    columns with the same value on every row of the batch (folder, origin, stamps, flags), which the
    writer states once per statement instead of binding them on every row.
    """

    insert_columns: list[str] = field(default_factory=list)
    inserts: list[Sequence[Any]] = field(default_factory=list)
    insert_constants: dict[str, Any] = field(default_factory=dict)
    updates: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    deletes: list[int] = field(default_factory=list)
    member_ids: set[int] = field(default_factory=set)  # matched recipients to add to the list/service
    rejects: list[Reject] = field(default_factory=list)
    journal: list[JournalEntry] = field(default_factory=list)
    counters: Counters = field(default_factory=Counters)
    enum_values: set[tuple[str, str]] = field(default_factory=set)


class Planner(StagedPlans):
    """Applies one template's reconciliation settings to batches of lines."""

    def __init__(self, rec: Reconciliation, keys: KeyPlan, destinations: Sequence[str], *,
                 job_id: int, folder_id: int | None, origin: str, set_flags: Sequence[str],
                 field_rules: dict[str, Any], trace: bool, update_enumerations: bool) -> None:
        self.rec = rec
        self.keys = keys
        self.destinations = list(destinations)
        self._dests = tuple(destinations)
        self._pos = {d: i for i, d in enumerate(self._dests)}
        self.job_id = job_id
        self.folder_id = folder_id
        self.origin = origin
        self.set_flags = list(set_flags)
        self.rules = field_rules
        self._rules_at = [(i, d, field_rules.get(d)) for i, d in enumerate(self._dests)]
        self.trace = trace
        self.update_enumerations = update_enumerations
        self._enum_at = [(name, self._pos[name]) for name in OPEN_ENUMS if name in self._pos]
        self._who_at = [self._pos[n] for n in ("email", "account") if n in self._pos]
        # Flags the guard protects: every opt-out flag the import neither maps nor sets.
        self.guarded_flags = [f for f in DENYLIST_FIELDS if f not in destinations and f not in set_flags]
        self.insert_columns = list(self.destinations)
        constants: dict[str, Any] = {}
        if origin and "origin" not in destinations:
            constants["origin"] = origin
        for f in set_flags:
            if f not in destinations:
                constants[f] = True
        for b in sorted(BOOLEAN_FIELDS):
            if b not in destinations and b not in set_flags:
                constants[b] = False
        self._constants = constants
        # Mapped fields an insert cannot take as converted: booleans (empty -> False) and set flags.
        self._fix_at = [(i, d in set_flags) for i, d in enumerate(self._dests)
                        if d in BOOLEAN_FIELDS or d in set_flags]
        self.lookup_columns = list(dict.fromkeys([*destinations, *DENYLIST_FIELDS]))

    def constants(self, stamp: datetime) -> dict[str, Any]:
        """The columns every row inserted at ``stamp`` shares."""
        return {**self._constants, "folder_id": self.folder_id, "created": stamp, "last_modified": stamp,
                "created_by_job_id": self.job_id, "modified_by_job_id": self.job_id}

    def row_of(self, values: dict[str, Any]) -> tuple[tuple[Any, ...], frozenset[str] | None]:
        """A destination -> value dict as a row in destination order, and the fields it leaves out."""
        row = tuple(values.get(d) for d in self._dests)
        missing = frozenset(d for d in self._dests if d not in values)
        return row, (missing or None)

    # --- the batch -------------------------------------------------------------------------

    def plan(self, lines: Sequence[Line | tuple], existing: dict[tuple[str, ...], Any],
             doubled: set[str] | frozenset[str], stamp: datetime, *, whole: bool = True) -> BatchPlan:
        """Decide every line of the batch.

        ``existing`` maps key fields -> the recipients found, either as the writer's ``Found``
        (names, {key: row tuple}) or as {key: {column: value}}. ``whole=False`` skips the
        whole-batch shortcuts (the caller tried ``plan_rows`` already).
        """
        found_by = {kf: _as_found(v) for kf, v in existing.items()}
        quick = {kf: self._quick_compare(f[0]) for kf, f in found_by.items()}
        if whole and lines and all(ln[2].__class__ is not dict for ln in lines):
            kfs = {ln[3] for ln in lines}
            quick_plan = self._plan_whole([ln[2] for ln in lines], [ln[4] for ln in lines],
                                          kfs.pop() if len(kfs) == 1 else None, found_by, quick, doubled, stamp)
            if quick_plan is not None:
                return quick_plan
        no_found: tuple[list[str], dict[Key, tuple[Any, ...]]] = (["id"], {})
        out = BatchPlan(insert_columns=self.insert_columns, insert_constants=self.constants(stamp))
        c = out.counters
        inserts = out.inserts
        pending_inserts: dict[Key, int] = {}  # key -> index in inserts (for doubles inside the batch)
        pending_updates: dict[int, dict[str, Any]] = {}  # recipient id -> changes so far
        current_rows: dict[int, dict[str, Any]] = {}  # recipient id -> values as they will be
        deleted: set[int] = set()
        op = self.rec.operation
        insert_only = op is Operation.INSERT
        upsert = op is Operation.UPSERT
        required = self.keys.required
        trace = self.trace
        fix = self._fix_at
        enums = self._enum_at if self.update_enumerations else None
        guarded = self.guarded_flags
        for line_no, raw, row, key_fields, key, missing in lines:
            if row.__class__ is dict:
                row, missing = self.row_of(row)  # type: ignore[arg-type]
            c.processed += 1
            if key is None and required:
                self._reject(out, line_no, raw, row, missing, "no_key", self.keys.missing_message(),
                             Connector.DATABASE)
                continue
            if doubled and key is not None and key_text(key) in doubled:
                c.doubles += 1
                if self.rec.doubles is DoublesPolicy.REJECT:
                    self._reject(out, line_no, raw, row, missing, "double",
                                 f"Another line of the file has the same {self.keys.describe(key_fields)}; "
                                 "lines sharing a key are not imported", Connector.DATABASE)
                else:
                    c.ignored += 1
                    if trace:
                        self._trace(out, line_no, row, "ignored (double in the file)")
                continue
            if enums:
                for name, i in enums:
                    v = row[i]
                    if v:
                        out.enum_values.add((name, v))
            if insert_only or key is None:
                inserts.append(self._insert_row(row) if fix else row)
                c.inserted += 1
                if trace:
                    self._trace(out, line_no, row, "inserted")
                continue
            # Doubles kept under "Update": a later line updates what an earlier one of this batch wrote.
            at = pending_inserts.get(key)
            if at is not None:
                merged = list(inserts[at])
                self._merge_into_insert(merged, row)
                inserts[at] = merged
                c.updated += 1
                if trace:
                    self._trace(out, line_no, row, "updated (same key as an earlier line)")
                continue
            names, rows = found_by.get(key_fields, no_found)
            found = rows.get(key)
            if found is None or found[0] in deleted:
                if upsert:
                    pending_inserts[key] = len(inserts)
                    inserts.append(self._insert_row(row) if fix else row)
                    c.inserted += 1
                    if trace:
                        self._trace(out, line_no, row, "inserted")
                elif op is Operation.RECONCILE_ONLY:
                    self._reject(out, line_no, raw, row, missing, "not_found",
                                 f"No recipient has this {self.keys.describe(key_fields)}", Connector.DATABASE)
                else:
                    c.ignored += 1
                    if trace:
                        self._trace(out, line_no, row, "ignored (no recipient matches)")
                continue
            rid = found[0]
            c.duplicates += 1
            if self.rec.duplicates is DoublesPolicy.REJECT:
                self._reject(out, line_no, raw, row, missing, "duplicate",
                             f"A recipient with this {self.keys.describe(key_fields)} already exists",
                             Connector.DATABASE)
                continue
            if self.rec.duplicates is DoublesPolicy.IGNORE:
                c.ignored += 1
                if trace:
                    self._trace(out, line_no, row, "ignored (already in the database)")
                continue
            if op is Operation.DELETE:
                deleted.add(rid)
                out.deletes.append(rid)
                c.deleted += 1
                if trace:
                    self._trace(out, line_no, row, "deleted")
                continue
            out.member_ids.add(rid)
            if op is Operation.RECONCILE_ONLY:
                c.ignored += 1
                if trace:
                    self._trace(out, line_no, row, "reconciled")
                continue
            current = current_rows.get(rid)
            if current is None:
                fast = quick[key_fields]
                # The usual re-import: the recipient already holds exactly these values.
                if fast is not None and found[fast[0]:fast[1]] == tuple(row):
                    if any(map(found.__getitem__, fast[2])):
                        c.denylist_kept += 1
                    c.ignored += 1
                    c.unchanged += 1
                    if trace:
                        self._trace(out, line_no, row, "unchanged")
                    continue
                current = current_rows[rid] = dict(zip(names, found, strict=True))
            changes = self._changes(current, row)
            for f in guarded:
                if current.get(f):
                    c.denylist_kept += 1
                    break
            if changes:
                current_rows[rid] = {**current, **changes}
                pending_updates.setdefault(rid, {}).update(changes)
                c.updated += 1
                if trace:
                    self._trace(out, line_no, row, "updated")
            else:
                c.ignored += 1
                c.unchanged += 1
                if trace:
                    self._trace(out, line_no, row, "unchanged")
        out.updates = [
            (rid, {**ch, "last_modified": stamp, "modified_by_job_id": self.job_id})
            for rid, ch in pending_updates.items()
        ]
        c.success = c.inserted + c.updated + c.deleted
        return out

    # --- helpers -----------------------------------------------------------------------------

    def plan_rows(self, rows: list[Any], keys: list[Key | None], key_fields: tuple[str, ...],
                  existing: dict[tuple[str, ...], Any], doubled: set[str] | frozenset[str],
                  stamp: datetime) -> BatchPlan | None:
        """The whole-batch shortcuts of ``plan`` for a batch given as columns (rows in destination
        order, their keys, all of ``key_fields``): the plan, or None when ``plan`` must decide."""
        found_by = {kf: _as_found(v) for kf, v in existing.items()}
        quick = {kf: self._quick_compare(f[0]) for kf, f in found_by.items()}
        return self._plan_whole(rows, keys, key_fields, found_by, quick, doubled, stamp)

    def _plan_whole(self, rows: list[Any], keys: list[Key | None], key_fields: tuple[str, ...] | None,
                    found_by: dict[tuple[str, ...], Any], quick: dict[tuple[str, ...], Any],
                    doubled: set[str] | frozenset[str], stamp: datetime) -> BatchPlan | None:
        if self.trace or doubled or not rows:
            return None
        return (self._plan_new_only(rows, keys, found_by, stamp)
                or self._plan_unchanged_only(rows, keys, key_fields, found_by, quick, stamp))

    def _plan_unchanged_only(self, mine: list[Any], keys: list[Key | None], key_fields: tuple[str, ...] | None,
                             found_by: dict[tuple[str, ...], Any], quick: dict[tuple[str, ...], Any],
                             stamp: datetime) -> BatchPlan | None:
        """The same file imported again, decided for all lines at once: each line matches a different
        recipient that already holds exactly its values. None when any line needs ``plan``'s loop."""
        op = self.rec.operation
        if (op not in (Operation.UPSERT, Operation.UPDATE) or self.rec.duplicates is not DoublesPolicy.UPDATE
                or len(found_by) != 1 or key_fields is None):
            return None
        (found_fields, (_, rows)), = found_by.items()
        fast = quick[found_fields]
        if fast is None or found_fields != key_fields or len(set(keys)) != len(keys):
            return None
        found = [rows.get(k) for k in keys]
        if None in found:
            return None
        start, end, guarded = fast
        if [f[start:end] for f in found] != [tuple(r) for r in mine]:
            return None
        out = BatchPlan(insert_columns=self.insert_columns, insert_constants=self.constants(stamp))
        self._bulk_enums(out, mine)
        out.member_ids = {f[0] for f in found}
        c = out.counters
        c.processed = c.duplicates = c.ignored = c.unchanged = len(mine)
        if guarded:
            c.denylist_kept = sum(1 for f in found if any(map(f.__getitem__, guarded)))
        return out

    def _bulk_enums(self, out: BatchPlan, rows: list[Any]) -> None:
        if self.update_enumerations:
            for name, i in self._enum_at:
                out.enum_values.update((name, v) for v in set(map(itemgetter(i), rows)) if v)

    def _plan_new_only(self, rows: list[Any], keys: list[Key | None], found_by: dict[tuple[str, ...], Any],
                       stamp: datetime) -> BatchPlan | None:
        """The first import's batch, decided for all lines at once: nothing matches, no key repeats.

        Then every line is an insert, as the loop in ``plan`` would decide one by one; None when any
        line needs that loop (a match, a missing key, a repeated key).
        """
        op = self.rec.operation
        if op not in (Operation.UPSERT, Operation.INSERT) or any(f[1] for f in found_by.values()):
            return None
        if None in keys and (self.keys.required or op is Operation.UPSERT):
            return None
        if op is Operation.UPSERT and len(set(keys)) != len(keys):
            return None
        out = BatchPlan(insert_columns=self.insert_columns, insert_constants=self.constants(stamp))
        out.inserts = [self._insert_row(r) for r in rows] if self._fix_at else rows
        self._bulk_enums(out, rows)
        c = out.counters
        c.processed = c.inserted = c.success = len(rows)
        return out

    def _quick_compare(self, names: list[str]) -> tuple[int, int, list[int]] | None:
        """Where found rows hold the mapped fields in row order (a slice to compare whole), and the
        guarded flags; None when a plain comparison would not decide (field rules, set flags)."""
        n = len(self._dests)
        if self.rules or self.set_flags or n == 0:
            return None
        try:
            start = names.index(self._dests[0])
            guarded = [names.index(f) for f in self.guarded_flags]
        except ValueError:
            return None
        if tuple(names[start:start + n]) != self._dests:
            return None
        return start, start + n, guarded

    def _insert_row(self, row: Sequence[Any]) -> list[Any]:
        out = list(row)
        for i, is_set_flag in self._fix_at:
            if is_set_flag:
                out[i] = True
            elif out[i] is None:
                out[i] = False
        return out

    def _merge_into_insert(self, ins: list[Any], row: Sequence[Any]) -> None:
        for i, d, rule in self._rules_at:
            v = row[i]
            if v is None and not (rule and rule.update_if_source_empty):
                continue
            if rule and rule.update_only_if_destination_empty and ins[i] not in (None, ""):
                continue
            if d in self.set_flags:
                continue
            ins[i] = False if (v is None and d in BOOLEAN_FIELDS) else v

    def _changes(self, current: dict[str, Any], row: Sequence[Any]) -> dict[str, Any]:
        if not self.rules:  # the common case, kept tight: it runs once per matched line
            get = current.get
            changes = {d: v for d, v in zip(self._dests, row, strict=True) if v is not None and get(d) != v}
            for f in self.set_flags:
                if not get(f):
                    changes[f] = True
            return changes
        changes = {}
        for i, d, rule in self._rules_at:
            if rule is not None and rule.only_on_insert:
                continue
            v = row[i]
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

    def _reject(self, out: BatchPlan, line_no: int, raw: str, row: Sequence[Any], missing: frozenset[str] | None,
                code: str, message: str, connector: Connector) -> None:
        out.counters.rejected += 1
        out.counters.errors += 1
        values = {d: _text(v) for d, v in zip(self._dests, row, strict=True) if not (missing and d in missing)}
        out.rejects.append(Reject(line_no, raw, code, message, connector, values=values))
        if self.trace:
            out.journal.append(JournalEntry(Level.TRACE, f"Line {line_no}: rejected: {message}", "LINE"))

    def _trace(self, out: BatchPlan, line_no: int, row: Sequence[Any], what: str) -> None:
        who = next((row[i] for i in self._who_at if row[i]), "")
        label = f" '{who}'" if who else ""
        out.journal.append(JournalEntry(Level.TRACE, f"Line {line_no}: recipient{label} {what}", "LINE"))


def text_reject(line_no: int, raw: str, code: str, message: str,
                field_errors: Sequence[FieldError] = (), connector: Connector = Connector.TEXT) -> Reject:
    first = field_errors[0] if field_errors else None
    return Reject(line_no, raw, code, message, connector, field=first.field if first else "",
                  value=first.value if first else "", field_errors=list(field_errors))


def _as_found(found: Any) -> tuple[list[str], dict[Key, tuple[Any, ...]]]:
    """(names, {key: row tuple}) from the writer's ``Found`` or from {key: {column: value}}."""
    if isinstance(found, tuple):
        return found
    names = ["id", *dict.fromkeys(k for r in found.values() for k in r if k != "id")]
    return names, {k: tuple(r.get(n) for n in names) for k, r in found.items()}


def _text(v: Any) -> str:
    if v is None:
        return ""
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return str(v)
