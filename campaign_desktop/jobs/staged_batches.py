"""Batches the reader process stages in databases of their own, and how the job takes them back.

See ``storage/staged_rows.py`` for the why.

Imports into SQLite reconciled on one key field stage their batches, while the job is the slower of
the two processes (``BatchStager``). A first import into an empty table copies a staged batch with one
``INSERT … SELECT`` (nearly every line is an insert nobody needs to look at); the same file imported
again has SQLite compare the batch with the recipients (``match_staged``). A staged batch that turns
out to need the planner after all (a key met in an earlier batch, a repeated or missing key, another
connection writing meanwhile, a changed value, the reject threshold cutting the batch) is read back
into plain rows with ``unstage``: the same rows, line numbers and raw texts the batch would have
carried through the pipe, so every rule applies unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter

from campaign_desktop.domain.recipient_fields import FIELDS_BY_NAME, FieldType
from campaign_desktop.jobs.batches import ReadBatch
from campaign_desktop.reconcile.keys import KeyPlan
from campaign_desktop.reconcile.planner import OPEN_ENUMS
from campaign_desktop.storage.staged_rows import StagedRows, read_staged, stage_rows, staging_available

MIN_STAGED_ROWS = 500
"""Smaller batches (the end of a file) travel as rows: staging them saves nothing."""


def rows_to_stage(dialect: str, keys: KeyPlan, dry_run: bool) -> int:
    """The size from which the reader process stages a job's batches; 0: never.

    Imports into SQLite reconciled on key #1 alone, where this Python can hand databases over: a first
    import into an empty table (``fresh``, see ``FreshTable``) copies its batches, the same file
    imported again has SQLite compare them (``match_staged``); other batches are read back. Not for
    a dry run, which writes nothing to copy."""
    if dialect == "sqlite" and not dry_run and keys.single_key_position() is not None and staging_available():
        return MIN_STAGED_ROWS
    return 0


WHEN_BEHIND = True
"""Stage only while the job is the slower process (see ``BatchStager``); tests set it off to stage every batch."""


class BatchStager:
    """The reader process's side: stages the batches that can be (see ``offer``).

    Staging moves work from the job to this process (building the records costs this process about what
    it saves the job), so it pays only while the job is the slower of the two. With ``when_behind`` the
    reading loop says which one is, in ``job_behind``: the job has batches waiting (it acknowledges each
    one it has written). On an idle machine the two processes end up sharing the work.
    """

    def __init__(self, destinations: Sequence[str], min_rows: int, when_behind: bool = False) -> None:
        self.min_rows = min_rows
        self.when_behind = when_behind
        self.job_behind = not when_behind
        self.enum_at = [destinations.index(n) for n in OPEN_ENUMS if n in destinations]

    def offer(self, batch: ReadBatch) -> None:
        """Stage ``batch`` in place (its rows, line numbers, raws and left-out fields move into the staged
        database) when the job is behind, and the batch is big enough, knows its keys and uses key #1 only."""
        keys = batch.keys
        if (not self.job_behind or len(batch.rows) < self.min_rows or batch.key2_at or keys is None
                or len(keys) != len(batch.rows)):
            return
        rows = batch.rows
        batch.staged = StagedRows(
            data=stage_rows(rows), count=len(rows), met_keys=[keys[i] for i in batch.met_before or ()],
            keys_unique=len(set(keys)) == len(keys), none_key=None in keys,
            enums={i: set(map(itemgetter(i), rows)) for i in self.enum_at},
            extra=(batch.line_nos, _joined(batch.raws), batch.missing),
        )
        batch.rows, batch.line_nos, batch.raws, batch.missing = [], [], [], {}


def joined_lines(raws: list[str]) -> str | None:
    """Non-empty ``raws`` as one text that ``split("\\n")`` gives back (pickling a million strings costs
    twenty times more than one); None when some record spans lines."""
    text = "\n".join(raws)
    return text if raws and text.count("\n") == len(raws) - 1 else None


def _joined(raws: list[str]) -> str | list[str]:
    text = joined_lines(raws)
    return raws if text is None else text


def unstage(batch: ReadBatch, keys: KeyPlan, destinations: Sequence[str]) -> None:
    """Give a staged batch back its rows (booleans as booleans again), line numbers, raws and keys."""
    staged = batch.staged
    if staged is None:
        return
    rows = read_staged(staged.data)
    line_nos, raws, missing = staged.extra
    for i, d in enumerate(destinations):
        f = FIELDS_BY_NAME.get(d)
        if f is not None and f.type is FieldType.BOOLEAN:
            for r in rows:
                if r[i] is not None:
                    r[i] = bool(r[i])
    batch.rows, batch.line_nos, batch.missing = rows, line_nos, missing
    batch.raws = raws.split("\n") if isinstance(raws, str) else raws
    batch.keys = keys.keys_of_rows(rows)
    batch.staged = None


__all__ = ["MIN_STAGED_ROWS", "WHEN_BEHIND", "BatchStager", "joined_lines", "rows_to_stage", "unstage"]
