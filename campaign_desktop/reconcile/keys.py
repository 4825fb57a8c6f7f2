"""Reconciliation keys: which fields identify a recipient, and the key of each line.

Key #1 is used when all its fields have a value; otherwise key #2 (spec §4.7). A key is a
*set* of fields; a match means every field is equal.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from campaign_desktop.domain.errors import UserError
from campaign_desktop.domain.recipient_fields import FIELDS_BY_NAME
from campaign_desktop.domain.template import DoublesPolicy, Operation, Reconciliation

Key = tuple[Any, ...]


class KeyPlan:
    def __init__(self, rec: Reconciliation, destinations: Sequence[str]) -> None:
        self.key1 = tuple(rec.key1)
        self.key2 = tuple(rec.key2)
        no_dedup = rec.doubles is DoublesPolicy.UPDATE
        self.required = not (rec.operation is Operation.INSERT and no_dedup)
        if self.required and not self.key1:
            raise UserError("Choose a reconciliation key (for example the email): it is needed to find "
                            "existing recipients and doubles. Only a plain Insert can do without one.")
        usable = set(destinations) | {"id"}
        for name, key in (("#1", self.key1), ("#2", self.key2)):
            for f in key:
                if f not in FIELDS_BY_NAME:
                    raise UserError(f"Reconciliation key {name}: '{f}' is not a recipient field.")
                if f not in usable:
                    label = FIELDS_BY_NAME[f].label
                    raise UserError(f"Reconciliation key {name} uses {label}, but no column of the file is "
                                    f"mapped to {label}.")
        self.key_sets = [k for k in (self.key1, self.key2) if k]
        dests = list(destinations)
        # Positions of the key fields in a converted row (destination order); None: not mapped ('id').
        self._at1 = [dests.index(f) if f in dests else None for f in self.key1]
        self._at2 = [dests.index(f) if f in dests else None for f in self.key2]
        self._single = self._at1[0] if len(self._at1) == 1 and self._at1[0] is not None else None

    def key_of(self, values: dict[str, Any]) -> tuple[tuple[str, ...], Key | None]:
        """The key fields used for a line and its key value (None when both keys are empty)."""
        if len(self.key1) == 1:  # the usual "email" key: no generator on the hot path
            v = values.get(self.key1[0])
            if v is not None and v != "":
                return self.key1, (v,)
            if not self.key2:
                return self.key1, None
        for fields in self.key_sets:
            key = tuple(values.get(f) for f in fields)
            if all(v is not None and v != "" for v in key):
                return fields, key
        return self.key1, None

    def key_of_row(self, row: Sequence[Any]) -> tuple[tuple[str, ...], Key | None]:
        """``key_of`` for a row in destination order (the import's hot path)."""
        at = self._single
        if at is not None:  # the usual "email" key
            v = row[at]
            if v is not None and v != "":
                return self.key1, (v,)
            if not self.key2:
                return self.key1, None
        for fields, positions in ((self.key1, self._at1), (self.key2, self._at2)):
            if not fields:
                continue
            key = tuple(None if i is None else row[i] for i in positions)
            if all(v is not None and v != "" for v in key):
                return fields, key
        return self.key1, None

    def single_key_position(self) -> int | None:
        """Where the one key field is in a converted row, when the key is one field and there is no key #2."""
        return self._single if not self.key2 else None

    def keys_of_rows(self, rows: Sequence[Sequence[Any]]) -> list[Key | None]:
        """``key_of_row(row)[1]`` of every row: what the job recomputes for a batch from the reader process."""
        at = self._single
        if at is not None and not self.key2:
            values = list(map(itemgetter(at), rows))
            keys: list[Key | None] = list(zip(values))  # 1-tuples, built in C
            for missing in (None, ""):
                if missing in values:
                    for i, v in enumerate(values):
                        if v is None or v == "":
                            keys[i] = None
                    break
            return keys
        key_of = self.key_of_row
        return [key_of(row)[1] for row in rows]

    def describe(self, fields: Sequence[str]) -> str:
        return " + ".join(FIELDS_BY_NAME[f].label.lower() if f != "email" else "email" for f in fields)

    def missing_message(self) -> str:
        msg = f"No value for the reconciliation key ({self.describe(self.key1)}"
        if self.key2:
            msg += f", nor for key #2: {self.describe(self.key2)}"
        return msg + ")"
