"""The planner's decisions for a batch the reading process staged (see ``jobs/staged_batches.py``).

The same whole-batch shortcuts as ``Planner._plan_new_only`` and ``Planner._plan_unchanged_only``,
taken from what the reader found out about the batch's keys and from SQLite's comparison of the staged
rows with the recipients, without the rows themselves. A batch neither shortcut can decide goes back
to the planner as rows, so every rule keeps one implementation.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from campaign_desktop.domain.template import DoublesPolicy, Operation
from campaign_desktop.storage.staged_rows import StagedInsert, StagedMatch, StagedRows

if TYPE_CHECKING:
    from campaign_desktop.reconcile.planner import BatchPlan


class StagedPlans:
    """``Planner``'s staged-batch plans (a mixin: the settings it reads are the planner's)."""

    rec: Any
    keys: Any
    trace: bool
    rules: dict[str, Any]
    set_flags: list[str]
    update_enumerations: bool
    insert_columns: list[str]
    _dests: tuple[str, ...]
    _fix_at: list[tuple[int, bool]]
    _enum_at: list[tuple[str, int]]

    def constants(self, stamp: datetime) -> dict[str, Any]:  # pragma: no cover - Planner's
        raise NotImplementedError

    def plan_staged(self, staged: StagedRows, existing: dict[tuple[str, ...], Any],
                    doubled: set[str] | frozenset[str], stamp: datetime) -> BatchPlan | None:
        """``_plan_new_only`` for a batch the reader staged in a file: every line an insert, decided
        from what the reader found out about its keys; None when the batch needs its rows back."""
        from campaign_desktop.reconcile.planner import BatchPlan, _as_found  # (planner.py imports this module)

        op = self.rec.operation
        if self.trace or doubled or not staged.count or op not in (Operation.UPSERT, Operation.INSERT):
            return None
        if any(_as_found(v)[1] for v in existing.values()):
            return None
        if staged.none_key and (self.keys.required or op is Operation.UPSERT):
            return None
        if op is Operation.UPSERT and not staged.keys_unique:
            return None
        out = BatchPlan(insert_columns=self.insert_columns, insert_constants=self.constants(stamp))
        out.inserts = StagedInsert.of(staged, len(self._dests), dict(self._fix_at))  # type: ignore[assignment]
        if self.update_enumerations:
            for name, i in self._enum_at:
                out.enum_values.update((name, v) for v in staged.enums.get(i, ()) if v)
        c = out.counters
        c.processed = c.inserted = c.success = staged.count
        return out

    def staged_compare(self, staged: StagedRows, doubled: set[str] | frozenset[str]) -> list[str] | None:
        """The fields a staged batch is compared on in SQL, when ``_plan_unchanged_only``'s shortcut may
        apply to it (see ``plan_staged_unchanged``); None when it cannot."""
        op = self.rec.operation
        if (self.trace or doubled or op not in (Operation.UPSERT, Operation.UPDATE) or not staged.count
                or self.rec.duplicates is not DoublesPolicy.UPDATE or self.rules or self.set_flags
                or not self._dests or len(self.keys.key_sets) != 1 or not staged.keys_unique or staged.none_key):
            return None
        return list(self._dests)

    def plan_staged_unchanged(self, staged: StagedRows, match: StagedMatch, stamp: datetime) -> BatchPlan | None:
        """``_plan_unchanged_only`` for a staged batch that SQLite compared (``staged_compare``)."""
        from campaign_desktop.reconcile.planner import BatchPlan

        if not match.all_unchanged(staged.count):
            return None
        out = BatchPlan(insert_columns=self.insert_columns, insert_constants=self.constants(stamp))
        if self.update_enumerations:
            for name, i in self._enum_at:
                out.enum_values.update((name, v) for v in staged.enums.get(i, ()) if v)
        out.member_ids = set(match.ids)
        c = out.counters
        c.processed = c.duplicates = c.ignored = c.unchanged = staged.count
        c.denylist_kept = match.denylisted
        return out
