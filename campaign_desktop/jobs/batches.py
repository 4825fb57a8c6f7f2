"""Reading an import's source in batches: records -> converted rows, rejects and warnings.

This is the per-line half of an import, kept apart from the database half so that it can run
in a second process (``reader_process``) while the first one writes: on a million lines the
reading and converting costs about as much as the writing, and two cores do both at once.
It runs in-process too (small files, tests): the same code, so both ways give the same
counters, the same rejects and the same resume points.

A ``ReadBatch`` carries plain data only (tuples, lists, a few dataclasses) because it is
pickled between the processes.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from campaign_desktop.domain.job import JournalEntry, Level, Reject
from campaign_desktop.domain.template import AdvancedParameters
from campaign_desktop.files.blocks import PlainBlock
from campaign_desktop.jobs.block_lines import take_block_lines
from campaign_desktop.mapping import RowConverter
from campaign_desktop.mapping.columns import ColumnConverter
from campaign_desktop.reconcile.fresh_keys import SeenKeys
from campaign_desktop.reconcile.keys import KeyPlan
from campaign_desktop.reconcile.planner import text_reject
from campaign_desktop.storage.staged_rows import StagedRows

MAX_WARNINGS_JOURNALED = 100


@dataclass(slots=True)
class Tally:
    """The counters of the batch being read that the per-record path moves."""

    empty: int = 0
    warnings: int = 0


@dataclass(slots=True)
class Mark:
    """The reading state right after one record, where a batch can be cut (the reject threshold).

    A mark is kept after the first record of each batch and after each rejected record.
    """

    line_no: int
    index: int
    end_offset: int
    lines: int  # len(ReadBatch.rows) at that point
    rejects: int
    empty: int
    warnings: int


@dataclass(slots=True)
class ReadBatch:
    """What the reader hands the writer for one batch.

    The converted lines travel as columns (``rows``, ``keys``, ``line_nos``, ``raws``): a million
    of them cross the pipe, and a column costs no tuple per line to build, pickle and unpickle;
    ``lines`` gives them as ``planner.Line`` tuples for the planner's line-by-line path.

    Attributes:
        rows: converted values in destination order, one list per line.
        keys: each line's reconciliation key (None: no key value).
        line_nos, raws: each line's number and text.
        key_sets: the key fields of key #1 and key #2; a line uses key #1 unless ``key2_at`` has it.
        key2_at: positions (in ``rows``) of the lines found by key #2.
        missing: position -> fields left out of that line (a value ignored with a warning).
        rejects: lines refused before reconciliation (unreadable, or a value that does not convert).
        warnings: (line_no, journal entry) of values ignored with a warning, at most 100 per job.
        empty: blank lines (counted as processed and ignored).
        warning_count: all warnings, journaled or not.
        marks: see ``Mark``.
        last: (end_offset, line_no) of the last record read, None if none was.
        index: records read so far in the job (the resume point's record count).
        exhausted: the source (or the line limit) is at its end.
        met_before: when the job asked the reader to track keys (``SeenKeys``), the positions (in
            ``rows``) whose key may have been read before in this run; the others certainly were not.
        staged: the batch's rows, line numbers, raws and left-out fields are in a file instead (a first
            import's big batch from the reader process, see ``staged_batches``); ``unstage`` before ``cut``.
    """

    rows: list[list[Any]] = field(default_factory=list)
    keys: list[Any] = field(default_factory=list)
    line_nos: list[int] = field(default_factory=list)
    raws: list[str] = field(default_factory=list)
    key_sets: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    key2_at: set[int] = field(default_factory=set)
    missing: dict[int, frozenset[str]] = field(default_factory=dict)
    rejects: list[Reject] = field(default_factory=list)
    warnings: list[tuple[int, JournalEntry]] = field(default_factory=list)
    empty: int = 0
    warning_count: int = 0
    marks: list[Mark] = field(default_factory=list)
    last: tuple[int, int] | None = None
    index: int = 0
    exhausted: bool = False
    met_before: list[int] | None = None
    staged: StagedRows | None = None

    @property
    def lines(self) -> list[tuple[Any, ...]]:
        """The converted lines as ``planner.Line`` tuples (line_no, raw, row, key_fields, key, missing)."""
        key1, key2 = self.key_sets
        at2, missing = self.key2_at, self.missing
        return [(n, raw, row, key2 if i in at2 else key1, key, missing.get(i))
                for i, (n, raw, row, key) in enumerate(zip(self.line_nos, self.raws, self.rows, self.keys,
                                                           strict=True))]

    def keys_of(self, fields: tuple[str, ...], met_before_only: bool = False) -> list[Any]:
        """The key values of the lines that use the key ``fields`` (#1 or #2); with ``met_before_only``,
        only those of the lines in ``met_before``."""
        key1, key2 = self.key_sets
        second = fields != key1
        if met_before_only and self.met_before is not None:
            keys = self.keys
            return [keys[i] for i in self.met_before if keys[i] is not None and (i in self.key2_at) == second]
        if not self.key2_at:
            return [k for k in self.keys if k is not None] if not second else []
        return [k for i, k in enumerate(self.keys) if k is not None and (i in self.key2_at) == second]

    def cut(self, mark: Mark) -> ReadBatch:
        """This batch up to and including the record of ``mark`` (the rest is left unread)."""
        n = mark.lines
        return ReadBatch(
            rows=self.rows[:n], keys=self.keys[:n], line_nos=self.line_nos[:n], raws=self.raws[:n],
            key_sets=self.key_sets, key2_at={i for i in self.key2_at if i < n},
            missing={i: m for i, m in self.missing.items() if i < n}, rejects=self.rejects[:mark.rejects],
            warnings=[(ln, w) for ln, w in self.warnings if ln <= mark.line_no], empty=mark.empty,
            warning_count=mark.warnings, marks=[], last=(mark.end_offset, mark.line_no), index=mark.index,
            exhausted=False, met_before=None if self.met_before is None else [i for i in self.met_before if i < n],
        )

    def stop_point(self, rejected_before: int, max_rejects: int) -> Mark | None:
        """Where the reject threshold stops the job inside this batch, if it does.

        As the engine always did: the threshold is checked after each record, so a job that is
        already at the threshold (resumed after a stop) reads one record and stops again.
        """
        if not self.marks:
            return None
        need = max_rejects - rejected_before
        if need <= 0:
            return self.marks[0]
        return next((m for m in self.marks if m.rejects >= need), None)


class LineReader:
    """Converts records to batches for one job: the reading loop of the import engine.

    A delimited source's records come as pieces (``RecordStream.blocks``): runs of plain lines as
    ``PlainBlock``s, converted a column at a time (``ColumnConverter``), and the other records one
    by one. Only the lines a column marks as not plain, and every record of other sources, take the
    per-record path (``take_record``), so both ways give the same batches, field for field.
    """

    def __init__(self, converter: RowConverter, keys: KeyPlan, advanced: AdvancedParameters,
                 batch_size: int, track_keys: bool = False, use_blocks: bool = True,
                 first_batch: int = 0) -> None:
        """``first_batch``: a smaller first batch, in lines (0: as the others), so that a job reading in a
        second process starts writing sooner."""
        self.converter = converter
        self.seen = SeenKeys() if track_keys else None  # see ReadBatch.met_before
        self.keys = keys
        self.dests = list(converter.destinations)
        self.start = max(advanced.start_line, 1)
        self.end = self.start + advanced.line_limit if advanced.line_limit else None
        self.batch_size = batch_size
        self.first_batch = first_batch
        self.warnings_journaled = 0
        self.use_blocks = use_blocks
        # One key field and no key #2 (an email, say): the keys are taken from the rows at the end of the
        # batch, all at once, rather than line by line.
        self.single_key = keys.single_key_position()
        self._keys_at_end = self.single_key is not None
        self._keys_now = not self._keys_at_end  # keys taken as rows come (blocks: from the key column)
        self.column_converter: ColumnConverter | None = None

    def convert(self, values: list[str]) -> tuple[list[Any] | None, frozenset[str] | None, Any]:
        """(row in destination order, fields left out, ConvertedRow when not a plain line)."""
        row = self.converter.convert_row(values)
        if row is not None:
            return row, None, None
        full = self.converter.convert(values)
        if full.rejected:
            return None, None, full
        got = full.values
        missing = frozenset(d for d in self.dests if d not in got) or None
        return [got.get(d) for d in self.dests], missing, full

    def batches(self, records: Iterator[Any], index: int) -> Iterator[ReadBatch]:
        """Batches from ``records``; ``index`` is the count of records read before (resuming)."""
        start, end, full = self.start, self.end, max(self.batch_size, 1)
        size = min(full, self.first_batch) if self.first_batch > 0 else full
        key_sets = (self.keys.key1, self.keys.key2)
        blocks = getattr(records, "blocks", None) if self.use_blocks else None
        pieces: Iterator[Any] = iter(blocks() if blocks is not None else records)
        if blocks is not None and self.column_converter is None:
            self.column_converter = ColumnConverter(self.converter)
        self._keys_now = not self._keys_at_end or blocks is not None
        record = self.take_record
        held: tuple[PlainBlock, int] | None = None  # a block the previous batch stopped in, and where
        while True:
            b = ReadBatch(key_sets=key_sets)
            tally = Tally()
            last: Any = None  # the last record read, or (block, line in it)
            taken = 0
            while True:
                if held is not None:
                    blk, p = held
                    held = None
                else:
                    piece = next(pieces, None)
                    if piece is None:
                        b.exhausted = True
                        break
                    if piece.__class__ is not PlainBlock:
                        index += 1
                        last = piece
                        if index < start:
                            continue
                        if end is not None and index >= end:
                            b.exhausted = True
                            break
                        taken += 1  # each record from here is one row, one reject or one empty line
                        record(b, tally, piece, index)
                        if taken >= size:
                            break
                        continue
                    blk, p = piece, 0
                n = len(blk)
                if index + 1 < start:  # lines before the start line are read, not taken
                    k = min(n - p, start - 1 - index)
                    index += k
                    p += k
                    last = (blk, p - 1)
                    if p == n:
                        continue
                if end is not None and index + 1 >= end:
                    index += 1
                    last = (blk, p)
                    b.exhausted = True
                    break
                m = min(n - p, size - taken, n if end is None else end - 1 - index)
                take_block_lines(self, b, tally, blk, p, p + m, index + 1)
                index += m
                taken += m
                p += m
                last = (blk, p - 1)
                if p < n:
                    held = (blk, p)
                if taken >= size:
                    break
            if not self._keys_now:
                b.keys = self.keys.keys_of_rows(b.rows)
            b.empty, b.warning_count, b.index = tally.empty, tally.warnings, index
            if self.seen is not None:
                b.met_before = self.seen.maybe_met(b.keys, b.key2_at)
            if last.__class__ is tuple:
                blk, i = last
                b.last = (blk.end_offset(i), blk.first_line + i)
            else:
                b.last = (last.end_offset, last.line_no) if last is not None else None
            yield b
            if b.exhausted:
                return
            size = full

    def take_record(self, b: ReadBatch, tally: Tally, rec: Any, index: int) -> None:
        """One record taken into ``b`` (``index``: its count in the job): a row, a reject or an empty line."""
        rows, rejects, marks = b.rows, b.rejects, b.marks
        values = rec.values
        if rec.error:
            rejects.append(text_reject(rec.line_no, rec.raw, rec.error_code or "unreadable", rec.error))
            marks.append(Mark(rec.line_no, index, rec.end_offset, len(rows), len(rejects), tally.empty,
                              tally.warnings))
        elif not values or (not values[0].strip() and all(v.strip() == "" for v in values)):
            tally.empty += 1
        else:
            row = self.converter.convert_row(values)
            missing = None
            if row is None:  # not a plain line: say why, or convert it with its warnings
                row, missing, full = self.convert(values)
                if full.warnings:
                    tally.warnings += len(full.warnings)
                    self._collect_warnings(b.warnings, rec.line_no, full.warnings)
                if row is None:
                    rejects.append(text_reject(rec.line_no, rec.raw, full.reason_code, full.message,
                                               full.field_errors))
                    marks.append(Mark(rec.line_no, index, rec.end_offset, len(rows), len(rejects), tally.empty,
                                      tally.warnings))
            if row is not None:
                if self._keys_now:
                    kf, key = self.keys.key_of_row(row)
                    if kf is not self.keys.key1:
                        b.key2_at.add(len(rows))
                    b.keys.append(key)
                if missing:
                    b.missing[len(rows)] = missing
                rows.append(row)
                b.line_nos.append(rec.line_no)
                b.raws.append(rec.raw)
        if not marks:
            marks.append(Mark(rec.line_no, index, rec.end_offset, len(rows), len(rejects), tally.empty,
                              tally.warnings))

    def append_keys(self, b: ReadBatch, rows: list[list[Any]]) -> None:
        """The keys of ``rows`` about to be appended to ``b`` (when they are not taken at the batch's end)."""
        key_of, key1, at = self.keys.key_of_row, self.keys.key1, len(b.rows)
        for j, row in enumerate(rows):
            kf, key = key_of(row)
            if kf is not key1:
                b.key2_at.add(at + j)
            b.keys.append(key)

    def _collect_warnings(self, out: list[tuple[int, JournalEntry]], line_no: int, warnings: list[Any]) -> None:
        for w in warnings:
            if self.warnings_journaled >= MAX_WARNINGS_JOURNALED:
                return
            self.warnings_journaled += 1
            out.append((line_no, JournalEntry(Level.WARNING, f"Line {line_no}: {w.message}", "VALUE_IGNORED")))
            if self.warnings_journaled == MAX_WARNINGS_JOURNALED:
                out.append((line_no, JournalEntry(Level.WARNING, "Further value warnings are counted but not listed.",
                                                  "VALUE_IGNORED")))


@dataclass
class _GcPause:
    """How many batch loops run in this process, and whether collection was on before the first."""

    depth: int = 0
    was_enabled: bool = True
    lock: threading.Lock = field(default_factory=threading.Lock)


_GC_PAUSE = _GcPause()


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while batches flow: they make millions of short-lived tuples.

    The rows hold no reference cycles, so the collector would only walk them again and again
    (about a tenth of the import's time). It runs as before once the last running import ends:
    jobs run side by side in the GUI, so the pauses nest. No collection is started here off the
    main thread: in the GUI a collection in a worker could destroy Qt objects there (see
    ``gui/gc_guard.py``).
    """
    with _GC_PAUSE.lock:
        if _GC_PAUSE.depth == 0:
            _GC_PAUSE.was_enabled = gc.isenabled()
            if threading.current_thread() is threading.main_thread():
                gc.collect()
            gc.freeze()  # what exists now (modules, the engine) is not scanned either
            gc.disable()
        _GC_PAUSE.depth += 1
    try:
        yield
    finally:
        with _GC_PAUSE.lock:
            _GC_PAUSE.depth -= 1
            if _GC_PAUSE.depth == 0:
                gc.unfreeze()
                if _GC_PAUSE.was_enabled:
                    gc.enable()


__all__ = ["LineReader", "Mark", "ReadBatch", "Tally", "gc_paused"]
