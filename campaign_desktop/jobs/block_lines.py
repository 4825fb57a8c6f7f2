"""The block path of ``LineReader``: lines of a ``PlainBlock`` taken into a batch a column at a time.

Kept apart from ``batches.py`` (the per-record loop and the batch itself) because it is the one
place that turns converted columns back into the batch's per-line lists: rows (one list per line,
as the planner and the writer take them), line numbers, raw texts and keys. Lines the columns call
odd go through ``LineReader.take_record`` in their place, so rejects and marks keep the file's order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from campaign_desktop.files.blocks import PlainBlock
from campaign_desktop.mapping.columns import may_be_padded

if TYPE_CHECKING:
    from campaign_desktop.jobs.batches import LineReader, ReadBatch, Tally


def single_keys(values: list[Any]) -> list[Any]:
    """``KeyPlan.key_of_row(row)[1]`` for a key of one field and no key #2, from that field's values."""
    keys: list[Any] = list(zip(values))  # 1-tuples, built in C
    if None in values or "" in values:
        for i, v in enumerate(values):
            if v is None or v == "":
                keys[i] = None
    return keys


def take_block_lines(reader: LineReader, b: ReadBatch, tally: Tally, blk: PlainBlock, p: int, q: int,
                     index: int) -> None:
    """Lines ``p`` .. ``q - 1`` of a block taken into ``b``; ``index``: the count of line ``p`` in the job.

    The lines are converted a column at a time; the positions the columns call odd (and blank
    lines) take the per-record path, in their place, so that rows, rejects and marks keep their order.
    """
    if not b.marks:  # the batch's first line sets its first mark: the per-record path does that
        reader.take_record(b, tally, blk.record(p), index)
        p += 1
        index += 1
        if p == q:
            return
    cols = blk.columns if p == 0 and q == len(blk) else [c[p:q] for c in blk.columns]
    m = q - p
    converted = reader.column_converter.convert(cols, blk.spaced) if reader.column_converter is not None else None
    if converted is None:
        out: list[list[Any]] = []
        odd: list[int] = list(range(m))
    else:
        out_cols, odd = converted
        out = list(map(list, zip(*out_cols))) if out_cols else [[] for _ in range(m)]  # noqa: B905
    first = cols[0]
    if "" in first or (may_be_padded(first, blk.spaced) and "" in map(str.strip, first)):
        # blank lines (every value blank) are counted as empty
        blank = [j for j, v in enumerate(first) if not v.strip() and not "".join(c[j] for c in cols).strip()]
        if blank:
            odd = sorted(set(odd).union(blank))
    rows, line_nos, raws = b.rows, b.line_nos, b.raws
    line0 = blk.first_line + p
    a = 0
    for j in [*odd, m]:
        if j > a:
            if converted is not None and reader.single_key is not None:
                b.keys.extend(single_keys(out_cols[reader.single_key][a:j]))
            else:
                reader.append_keys(b, out[a:j])
            rows.extend(out[a:j])
            line_nos.extend(range(line0 + a, line0 + j))
            raws.extend(blk.raws[p + a:p + j])
        if j < m:
            reader.take_record(b, tally, blk.record(p + j), index + j)
        a = j + 1


__all__ = ["single_keys", "take_block_lines"]
