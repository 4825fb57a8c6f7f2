"""The import's reading and converting in a second process, overlapping the database writes.

The child opens the file with the job's resolved format, builds the same converter and key plan
as the job, and sends ``ReadBatch`` objects down a pipe, pickled. The pipe holds little, so the
child is never more than a batch or two ahead (bounded memory), and a job that stops (pause,
cancel, the reject threshold, an error) simply stops reading and ends the child.

Failures cross the pipe as data: an error of the child becomes the same exception in the job
(a file that cannot be read is a ``SourceFileError`` with its message), and a child that dies
without a word (killed, out of memory) is an ``ReaderDied`` error, never a hang.

The "spawn" start method is used everywhere: it does not copy the caller's threads and locks
(the GUI runs jobs from a worker thread), and it is what Windows and macOS do anyway.
"""

from __future__ import annotations

import multiprocessing
import pickle
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from campaign_desktop.domain.errors import SourceFileError, UserError
from campaign_desktop.domain.template import ColumnFormat, FileFormat, FileType, ImportSettings
from campaign_desktop.jobs.batches import LineReader, ReadBatch, gc_paused

POLL_S = 0.5  # how often a waiting job checks that the child is still alive
MIN_BYTES = 2_000_000
"""Text files from this size (about 20,000 lines) are read by a second process; below, starting
one (~0.3 s) costs more than it saves."""
MIN_ROWS = 20_000
"""The same for a workbook, whose size is counted in rows."""


def use_reader_process(size: int, file_format: FileFormat) -> bool:
    """Whether a source of ``size`` (bytes; rows for a workbook) is worth a second process."""
    if (multiprocessing.cpu_count() or 1) < 2:
        return False
    return size >= (MIN_ROWS if file_format.file_type is FileType.XLSX else MIN_BYTES)


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


def _child(job: ReaderJob, out: Connection) -> None:  # pragma: no cover - runs in the child process
    from campaign_desktop.files import open_source
    from campaign_desktop.mapping import RowConverter
    from campaign_desktop.reconcile.keys import KeyPlan
    from campaign_desktop.storage.recipients_writer import storage_form

    try:
        with gc_paused(), open_source(job.path, job.file_format) as source:
            converter = RowConverter(source.columns, job.settings, job.formats)
            keys = KeyPlan(job.settings.reconciliation, converter.destinations)
            out.send_bytes(pickle.dumps(("ready", list(converter.destinations)), protocol=5))
            reader = LineReader(converter, keys, job.settings.advanced, job.batch_size,
                                storage_form(job.dialect, converter.destinations))
            records = source.records(resume_offset=job.offset, resume_line=job.line)
            for batch in reader.batches(records, job.index):
                out.send_bytes(pickle.dumps(("batch", batch), protocol=5))
    except (BrokenPipeError, EOFError):
        return  # the job stopped reading: nothing to say
    except BaseException as exc:  # noqa: BLE001 - every failure must reach the job as a message
        kind = ("source" if isinstance(exc, SourceFileError) else "user" if isinstance(exc, UserError)
                else "os" if isinstance(exc, OSError) else "bug")
        text = (exc.strerror or str(exc)) if isinstance(exc, OSError) else str(exc)
        try:
            out.send_bytes(pickle.dumps(("error", kind, text or repr(exc)), protocol=5))
        except OSError:
            pass
    finally:
        out.close()


class ReaderProcess:
    """The parent's handle on the child: iterate ``batches()``, always ``close()``."""

    def __init__(self, job: ReaderJob, destinations: list[str]) -> None:
        ctx = multiprocessing.get_context("spawn")
        self._recv, send = ctx.Pipe(duplex=False)
        self._proc = ctx.Process(target=_child, args=(job, send), name="campaign-desktop-reader", daemon=True)
        self._proc.start()
        send.close()  # only the child writes: its end closing is how a dead child shows
        self._expected = destinations

    @property
    def pid(self) -> int | None:
        return self._proc.pid

    def _next(self) -> tuple[Any, ...]:
        while not self._recv.poll(POLL_S):
            if not self._proc.is_alive() and not self._recv.poll(0):
                raise ReaderDied(f"The file reader stopped unexpectedly (exit code {self._proc.exitcode}).")
        try:
            message = pickle.loads(self._recv.recv_bytes())
        except EOFError:
            self._proc.join(5)
            raise ReaderDied(f"The file reader stopped unexpectedly (exit code {self._proc.exitcode}).") from None
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
            batch: ReadBatch = self._next()[1]
            yield batch
            if batch.exhausted:
                return

    def close(self) -> None:
        """End the child (it may be blocked writing a batch nobody will read) and release the pipe."""
        self._recv.close()
        if self._proc.is_alive():
            self._proc.terminate()
            self._proc.join(5)
            if self._proc.is_alive():  # pragma: no cover - terminate is enough on every platform we know
                self._proc.kill()
                self._proc.join(5)
        else:
            self._proc.join(5)
        self._proc.close()


__all__ = ["ReaderDied", "ReaderJob", "ReaderProcess", "use_reader_process"]
