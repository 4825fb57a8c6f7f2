"""Background calls: they run off the GUI thread and their outcome comes back on it."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QThread
from PySide6.QtWidgets import QApplication

from campaign_desktop.domain.errors import UserError
from campaign_desktop.gui.workers import TaskRunner


def test_the_call_runs_in_a_worker_and_the_result_arrives_in_the_gui_thread(qtbot):
    runner = TaskRunner()
    seen: dict[str, object] = {}

    def work() -> int:
        seen["worker"] = threading.get_ident()
        return 42

    def done(result: int) -> None:
        seen["result"] = result
        seen["gui_thread"] = QThread.currentThread() is QApplication.instance().thread()

    with qtbot.waitSignal(runner.busy_changed, check_params_cb=lambda busy: not busy):
        runner.run(work, on_done=done)
    assert seen["result"] == 42
    assert seen["worker"] != threading.get_ident()
    assert seen["gui_thread"] is True
    assert runner.pending == 0


def test_an_error_reaches_on_error_or_else_the_failed_signal(qtbot):
    runner = TaskRunner()
    errors: list[Exception] = []

    def boom() -> None:
        raise UserError("That list does not exist.")

    runner.run(boom, on_error=errors.append)
    assert runner.wait_for_idle()
    assert [str(e) for e in errors] == ["That list does not exist."]

    with qtbot.waitSignal(runner.failed) as failed:
        runner.run(boom)
    assert isinstance(failed.args[0], UserError)


def test_a_result_for_a_deleted_owner_is_dropped(qtbot):
    runner = TaskRunner()
    owner = QObject()
    gate = threading.Event()
    delivered: list[object] = []
    runner.run(lambda: gate.wait(5) and "late", on_done=delivered.append, owner=owner)
    owner.deleteLater()
    qtbot.wait(10)  # the owner goes away while the call is still running
    gate.set()
    assert runner.wait_for_idle()
    assert delivered == []


def test_a_task_that_ends_after_its_runner_went_with_its_window_is_dropped_quietly(qtbot):
    """A wizard closed while its preview still counts: the count's end finds no runner, and says nothing."""
    window = QObject()
    runner = TaskRunner(window)
    gate = threading.Event()
    delivered: list[object] = []
    runner.run(lambda: gate.wait(5) and "late", on_done=delivered.append)
    threading.Timer(0.2, gate.set).start()  # the runner's thread pools wait for the call when deleted
    window.deleteLater()
    qtbot.wait(400)  # the window, then the task's end: no "Signal source has been deleted" in the event loop
    assert delivered == ["late"]  # no owner was named: the callback still runs


def test_writes_run_one_at_a_time_in_the_order_given(qtbot):
    runner = TaskRunner()
    active = 0
    overlaps = 0
    order: list[int] = []
    lock = threading.Lock()

    def write(n: int) -> int:
        nonlocal active, overlaps
        with lock:
            active += 1
            overlaps += active > 1
        QThread.msleep(5)
        with lock:
            active -= 1
            order.append(n)
        return n

    for n in range(8):
        runner.run(lambda n=n: write(n), writes=True)
    assert runner.wait_for_idle()
    assert overlaps == 0
    assert order == list(range(8))


def test_cycles_are_collected_by_the_gui_thread_not_by_a_worker(qtbot, qapp):
    """A dropped widget caught in a reference cycle is freed by the GUI thread's collector (gc_guard),
    however much a worker thread allocates meanwhile."""
    import gc
    import weakref

    from PySide6.QtCore import QThread
    from PySide6.QtWidgets import QWidget

    from campaign_desktop.gui.gc_guard import install
    from campaign_desktop.gui.workers import TaskRunner

    assert install(qapp) is not None and not gc.isenabled()  # no collection starts in a worker
    destroyed_on_gui_thread: list[bool] = []

    class Cyclic(QWidget):
        def __init__(self) -> None:
            super().__init__()
            self.me = self  # a cycle: only the cyclic collector can free it

        def __del__(self) -> None:
            destroyed_on_gui_thread.append(QThread.currentThread() is qapp.thread())

    gc.collect()
    ref = weakref.ref(Cyclic())
    runner = TaskRunner()
    done: list[int] = []
    runner.run(lambda: len([[i] for i in range(300_000)]), on_done=done.append)  # far past gc's thresholds
    qtbot.waitUntil(lambda: done == [300_000])
    assert False not in destroyed_on_gui_thread  # the worker collected nothing (the GUI's tick may have)
    keep = [[] for _ in range(1_000)]  # the GUI thread allocates too: gc's first threshold is passed
    qtbot.waitUntil(lambda: ref() is None, timeout=5_000)  # the collector's tick freed it
    del keep
    assert destroyed_on_gui_thread == [True]
    runner.wait_for_idle()
