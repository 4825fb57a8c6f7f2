"""The import's reading and converting in a second process, overlapping the database writes.

The child opens the file with the job's resolved format, builds the same converter and key plan
as the job, and sends ``ReadBatch`` objects down its stdout, pickled. A thread of the job takes them
off the pipe as they come, keeping at most ``PREFETCHED_MESSAGES``, so the child is never more than
a few batches ahead (bounded memory), and a job that stops (pause,
cancel, the reject threshold, an error) simply stops reading and ends the child.

Failures cross the pipe as data: an error of the child becomes the same exception in the job
(a file that cannot be read is a ``SourceFileError`` with its message), and a child that dies
without a word (killed, out of memory) is a ``ReaderDied`` error, never a hang.

The child is a fresh interpreter (not a fork): it does not copy the caller's threads and locks
(the GUI runs jobs from a worker thread), and it behaves the same on Windows and macOS.
"""

from __future__ import annotations

import io
import os

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
import pickle
import queue
import struct
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from campaign_desktop.domain.errors import SourceFileError, UserError
from campaign_desktop.domain.template import ColumnFormat, FileFormat, FileType, ImportSettings
from campaign_desktop.jobs import reader_spawn
from campaign_desktop.jobs.batches import LineReader, ReadBatch, gc_paused
from campaign_desktop.jobs.reader_spawn import multi_core, spawn_reader
from campaign_desktop.jobs.staged_batches import BatchStager, joined_lines
from campaign_desktop.reconcile.keys import KeyPlan

_HEADER = struct.Struct("<Q")  # each message: its size, then the pickle
PREFETCHED_MESSAGES = 2
"""Batches read off the pipe ahead of the job (a few MB each): the child may run that far ahead."""

MIN_ROWS = 20_000
"""The same for a workbook, whose size is counted in rows."""


def use_reader_process(size: int, file_format: FileFormat) -> bool:
    """Whether a source of ``size`` (bytes; rows for a workbook) is worth a second process."""
    if not multi_core():
        return False
    return size >= (MIN_ROWS if file_format.file_type is FileType.XLSX else reader_spawn.MIN_BYTES)


PIPE_BYTES = 1 << 20
"""The pipe's buffer (Linux: 64 KB by default). A batch of a few MB then crosses in a few reads, each of
which the job's pump thread must take the interpreter lock back for while the job works."""


def _widen_pipe(pipe: Any) -> None:
    setsize = getattr(fcntl, "F_SETPIPE_SZ", 1031) if fcntl is not None else None
    if setsize is None or not sys.platform.startswith("linux"):
        return
    try:
        fcntl.fcntl(pipe.fileno(), setsize, PIPE_BYTES)
    except OSError:
        pass  # above the system's limit (/proc/sys/fs/pipe-max-size): the default buffer works too


class ReaderDied(RuntimeError):
    """The reading process ended without saying why (killed, out of memory)."""


@dataclass
class ReaderJob:
    """Everything the child needs to read a job's file exactly as the job would (all picklable)."""

    path: str
    file_format: FileFormat
    settings: ImportSettings
    formats: list[ColumnFormat]
    dialect: str
    batch_size: int
    index: int
    offset: int
    line: int
    track_keys: bool = False  # see ReadBatch.met_before
    stage_from: int = 0  # stage batches of at least so many rows (0: none, see staged_batches)
    stage_when_behind: bool = False  # only while the job is behind (see BatchStager)


class _Sender:
    """Framed pickled messages onto the child's stdout, all through one buffer.

    A fresh buffer per batch (a few MB, grown by doubling, freed after the write) cost its copies and its
    memory's page faults again every time: about 10 ms a batch, against 1.5 ms for the pickling itself.
    """

    def __init__(self, out: Any) -> None:
        self._out = out
        self._buffer = io.BytesIO()

    def send(self, message: tuple[Any, ...]) -> None:
        buffer = self._buffer
        buffer.seek(0)  # no truncate: the buffer keeps its size, the frame says how much of it counts
        # "fast" pickling keeps no memo of the objects written: three times cheaper on a batch of
        # rows, and safe because a batch holds no object twice that matters nor any reference cycle.
        pickler = pickle.Pickler(buffer, protocol=5)
        pickler.fast = True
        pickler.dump(message)
        size = buffer.tell()
        self._out.write(_HEADER.pack(size))
        with buffer.getbuffer() as whole, whole[:size] as data:
            self._out.write(data)
        self._out.flush()


BACKLOG = 2
"""Batches sent and not yet written by the job from which the job counts as behind (see BatchStager)."""
FIRST_BATCH_LINES = 2_000
"""The first batch the reading process sends is at most this long: the job, ready by then, starts writing
instead of waiting for a whole batch to be read (the others keep the job's batch size)."""


class _DoneCounter:
    """The child's count of the batches the job has written: one byte each on its stdin."""

    def __init__(self, fd: int) -> None:
        self.count = 0
        threading.Thread(target=self._count, args=(fd,), name="import-reader-acks", daemon=True).start()

    def _count(self, fd: int) -> None:
        # os.read, not the buffered stdin: a daemon thread blocked in a buffered read when the process
        # ends makes the interpreter abort on the buffer's lock.
        try:
            while data := os.read(fd, 64):
                self.count += len(data)
        except OSError:
            pass


def child_main() -> None:  # pragma: no cover - runs in the child process (coverage does not follow it)
    """The child: read the ``ReaderJob`` on stdin, write framed pickled messages on stdout."""
    # What reading takes, loaded while the job is not there yet (numpy: SeenKeys, a tenth of a second).
    import numpy  # noqa: F401

    import campaign_desktop.files
    import campaign_desktop.mapping
    import campaign_desktop.storage.date_form  # noqa: F401

    out = _Sender(sys.stdout.buffer)
    sys.stdout = sys.stderr  # nothing else may write into the message stream
    try:
        # The collector is paused before the job comes: the collection pausing starts with runs meanwhile.
        with gc_paused():
            _send_batches(out, pickle.load(sys.stdin.buffer))
    except (BrokenPipeError, EOFError):
        return  # the job stopped reading: nothing to say
    except BaseException as exc:  # noqa: BLE001 - every failure must reach the job as a message
        kind = ("source" if isinstance(exc, SourceFileError) else "user" if isinstance(exc, UserError)
                else "os" if isinstance(exc, OSError) else "bug")
        text = (exc.strerror or str(exc)) if isinstance(exc, OSError) else str(exc)
        try:
            out.send(("error", kind, text or repr(exc)))
        except OSError:
            pass


def _send_batches(out: _Sender, job: ReaderJob) -> None:  # pragma: no cover - runs in the child process
    from campaign_desktop.files import open_source
    from campaign_desktop.mapping import RowConverter
    from campaign_desktop.storage.date_form import date_storage

    with open_source(job.path, job.file_format) as source:
        converter = RowConverter(source.columns, job.settings, job.formats, date_form=date_storage(job.dialect))
        keys = KeyPlan(job.settings.reconciliation, converter.destinations)
        out.send(("ready", list(converter.destinations)))
        reader = LineReader(converter, keys, job.settings.advanced, job.batch_size, job.track_keys,
                            first_batch=FIRST_BATCH_LINES)
        records = source.records(resume_offset=job.offset, resume_line=job.line)
        stager = (BatchStager(converter.destinations, job.stage_from, job.stage_when_behind)
                  if job.stage_from else None)
        done, sent = _DoneCounter(sys.stdin.fileno()), 0
        for batch in reader.batches(records, job.index):
            if stager is not None:
                stager.offer(batch)
            # The keys are the rows' own values: the job recomputes them for less than it costs to
            # unpickle a million more tuples and strings.
            batch.keys = None  # type: ignore[assignment]
            # The raw lines as one text when they can be: one string to pickle instead of 20,000.
            raws = joined_lines(batch.raws) if batch.raws else None
            if raws is not None:
                batch.raws = []
            out.send(("batch", batch, raws))
            sent += 1
            if stager is not None and stager.when_behind:
                stager.job_behind = sent - done.count >= BACKLOG


class ReaderProcess:
    """The parent's handle on the child: iterate ``batches()``, always ``close()``.

    The child is a plain ``python -m campaign_desktop.jobs.reader_main``, not a multiprocessing
    one: it never re-imports the caller's main module (a script, the GUI), so it works whatever
    started the job.
    """

    def __init__(self, job: ReaderJob, destinations: list[str],
                 started: subprocess.Popen[bytes] | None = None) -> None:
        """``started``: a reading process started early (``reader_spawn.early_reader``), still waiting."""
        self._keys = KeyPlan(job.settings.reconciliation, destinations)  # (before the child: it may refuse)
        self._proc = started if started is not None and started.poll() is None else spawn_reader()
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._out = self._proc.stdout
        _widen_pipe(self._out)
        try:
            pickle.dump(job, self._proc.stdin, protocol=5)
            self._proc.stdin.flush()  # then it stays open: one byte per batch written (see _DoneCounter)
        except OSError:
            pass  # the child died at once: reading says so
        self._expected = destinations
        # A thread keeps the pipe drained while the job writes a batch: the child converts the next
        # batches meanwhile instead of waiting, blocked on a full pipe, for the job to come and read.
        self._messages: queue.Queue[bytes | None] = queue.Queue(maxsize=PREFETCHED_MESSAGES)
        self._closing = threading.Event()
        self._pump = threading.Thread(target=self._drain, name=f"import-reader-{self._proc.pid}", daemon=True)
        self._pump.start()

    @property
    def pid(self) -> int:
        return self._proc.pid

    def _drain(self) -> None:
        """Read whole messages off the pipe into the queue; None once the pipe ends (or fails)."""
        try:
            while not self._closing.is_set():
                header = self._out.read(_HEADER.size)
                if len(header) != _HEADER.size:
                    break
                (size,) = _HEADER.unpack(header)
                data = self._out.read(size)
                if len(data) != size or not self._offer(data):
                    break
        except (OSError, ValueError):  # the pipe closed under us: close() is running
            pass
        self._offer(None)

    def _offer(self, item: bytes | None) -> bool:
        while not self._closing.is_set():
            try:
                self._messages.put(item, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def _read_message(self) -> bytes:
        data = self._messages.get()
        if data is None:
            self._messages.put(None)  # every later read sees the end too
            code = self._proc.wait(5)
            raise ReaderDied(f"The file reader stopped unexpectedly (exit code {code}).")
        return data

    def _next(self) -> tuple[Any, ...]:
        message = pickle.loads(self._read_message())
        if message[0] == "error":
            _, kind, text = message
            if kind == "source":
                raise SourceFileError(text)
            if kind == "user":
                raise UserError(text)
            if kind == "os":
                raise OSError(text)
            raise RuntimeError(f"The file reader failed: {text}")
        return message

    def batches(self) -> Iterator[ReadBatch]:
        ready = self._next()
        if ready[0] != "ready" or ready[1] != self._expected:
            raise RuntimeError("The file reader mapped the file differently from the job")
        while True:
            message = self._next()
            batch: ReadBatch = message[1]
            if message[2] is not None:
                batch.raws = message[2].split("\n")
            batch.keys = self._keys.keys_of_rows(batch.rows) if batch.staged is None else []
            yield batch
            self._done()
            if batch.exhausted:
                return

    def _done(self) -> None:
        try:
            self._proc.stdin.write(b".")  # type: ignore[union-attr]
            self._proc.stdin.flush()  # type: ignore[union-attr]
        except (OSError, ValueError):
            pass  # the child has ended: reading says why

    def close(self) -> None:
        """End the child (it may be blocked writing a batch nobody will read) and release the pipe."""
        self._closing.set()
        if self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(5)
            except subprocess.TimeoutExpired:  # pragma: no cover - terminate is enough everywhere we know
                self._proc.kill()
                self._proc.wait(5)
        self._pump.join(5)  # the child's end closed the pipe: the thread has seen the end of it
        self._out.close()
        try:
            self._proc.stdin.close()  # type: ignore[union-attr]
        except OSError:
            pass


__all__ = ["ReaderDied", "ReaderJob", "ReaderProcess", "use_reader_process"]
