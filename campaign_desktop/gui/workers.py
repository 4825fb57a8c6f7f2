"""Running core calls off the GUI thread and getting their results back on it.

The window must never freeze on a slow query (a page of recipients on a busy PostgreSQL
server, a count over millions of rows). Every such call goes through :class:`TaskRunner`:
the callable runs in a ``QThreadPool``; its result or exception comes back to the GUI thread
through a queued signal and only there reaches the callback. Worker code therefore never
touches a widget or a model.

Writes go through a pool of one thread, so two of them never race for SQLite's single
writer lock and a user's actions apply in the order they were made. Reads use a separate
pool and never wait behind a write.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QObject, Qt, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

ResultCallback = Callable[[Any], None]
ErrorCallback = Callable[[Exception], None]


class Task(QObject):
    """One call in flight.

    The task lives in the GUI thread; :meth:`run` executes in a worker thread and only
    emits the private signals, which are connected *queued*, so the callbacks run in the
    GUI thread's event loop.

    Signals:
        finished: the callbacks have run (or were skipped because their owner is gone).
    """

    _succeeded = Signal(object)
    _failed = Signal(object)
    finished = Signal()

    def __init__(self, fn: Callable[[], Any], on_done: ResultCallback | None,
                 on_error: ErrorCallback | None, owner: QObject | None) -> None:
        super().__init__()
        self._fn = fn
        self._on_done = on_done
        self._on_error = on_error
        self._owner = owner
        self.error_unhandled: Exception | None = None
        self._succeeded.connect(self._deliver_result, Qt.ConnectionType.QueuedConnection)
        self._failed.connect(self._deliver_error, Qt.ConnectionType.QueuedConnection)

    def run(self) -> None:
        """Worker thread: call the function, hand the outcome to the GUI thread."""
        try:
            result = self._fn()
        except Exception as exc:  # noqa: BLE001 - every failure goes back to the GUI thread
            self._failed.emit(exc)
        else:
            self._succeeded.emit(result)

    def _owner_gone(self) -> bool:
        return self._owner is not None and not shiboken6.isValid(self._owner)

    @Slot(object)
    def _deliver_result(self, result: object) -> None:
        try:
            if self._on_done is not None and not self._owner_gone():
                self._on_done(result)
        finally:
            self.finished.emit()

    @Slot(object)
    def _deliver_error(self, exc: Exception) -> None:
        try:
            if self._owner_gone():
                log.info("result of a task dropped, its window is gone: %r", exc)
            elif self._on_error is not None:
                self._on_error(exc)
            else:
                self.error_unhandled = exc
        finally:
            self.finished.emit()


class TaskRunner(QObject):
    """Runs core callables in the background; see the module docstring.

    Signals:
        failed: ``(exception)`` a task without an ``on_error`` callback failed; the
            application shows it (a message for a user error, the crash dialog for a bug).
        busy_changed: ``(bool)`` whether any task is in flight (for a busy indicator).
    """

    failed = Signal(object)
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, read_threads: int = 4) -> None:
        super().__init__(parent)
        self._reads = QThreadPool(self)
        self._reads.setMaxThreadCount(read_threads)
        self._writes = QThreadPool(self)
        self._writes.setMaxThreadCount(1)
        self._tasks: set[Task] = set()

    @property
    def pending(self) -> int:
        """Tasks started whose callbacks have not run yet."""
        return len(self._tasks)

    def run(self, fn: Callable[[], Any], *, on_done: ResultCallback | None = None,
            on_error: ErrorCallback | None = None, owner: QObject | None = None,
            writes: bool = False) -> Task:
        """Call ``fn()`` on a worker thread; then ``on_done(result)`` or ``on_error(exc)`` on this one.

        Args:
            fn: the core call; it must not touch a widget, a model or any QObject.
            on_done: receives the result in the GUI thread.
            on_error: receives the exception in the GUI thread; without it the runner's
                ``failed`` signal does.
            owner: a widget the callbacks belong to; if it has been deleted by the time the
                result arrives, the callbacks are skipped.
            writes: the call writes to the database: run it on the single writer thread.
        """
        task = Task(fn, on_done, on_error, owner)
        self._tasks.add(task)
        task.finished.connect(lambda: self._on_task_finished(task))
        if len(self._tasks) == 1:
            self.busy_changed.emit(True)
        (self._writes if writes else self._reads).start(task.run)
        return task

    def _on_task_finished(self, task: Task) -> None:
        if not shiboken6.isValid(self):  # the runner went with its window while the task still ran
            return
        self._tasks.discard(task)
        if task.error_unhandled is not None:
            self.failed.emit(task.error_unhandled)
        task.deleteLater()
        if not self._tasks:
            self.busy_changed.emit(False)

    def wait_for_idle(self, timeout_ms: int = 30_000) -> bool:
        """Block until every task has run and delivered (closing the window, tests).

        Returns:
            False if some task was still running when the timeout expired.
        """
        deadline = QDeadlineTimer(timeout_ms)
        while self._tasks:
            if deadline.hasExpired():
                return False
            self._writes.waitForDone(50)
            self._reads.waitForDone(50)
            QCoreApplication.processEvents()
        return True
