"""Python's cyclic garbage collector, run on the GUI thread only.

Python collects reference cycles in whichever thread happens to allocate when a threshold is
crossed. When that thread is a worker (a job, a page of recipients being read) and the cycle holds
a Qt object — a closed wizard, its timers — Qt destroys the object in the wrong thread:
"QBasicTimer::stop: Failed. Possibly trying to stop from a different thread", then a crash.
So the app turns automatic collection off and collects from a timer of the GUI thread, with the
same generation thresholds Python would use. A cycle then waits at most one tick to be freed.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

TICK_MS = 500


class GarbageCollector(QObject):
    """Collect cycles from the GUI thread, when the counts pass Python's own thresholds."""

    def __init__(self, parent: QObject | None = None, tick_ms: int = TICK_MS) -> None:
        super().__init__(parent)
        self.setObjectName("garbage_collector")
        self._thresholds = gc.get_threshold()
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        self._timer.start(tick_ms)

    def check(self) -> int:
        """Collect the oldest generation whose count passed its threshold; return how many objects went."""
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self._thresholds[generation]:
                return gc.collect(generation)
        return 0

    def stop(self) -> None:
        """Give collection back to Python (tests, shutdown)."""
        self._timer.stop()
        if self._was_enabled:
            gc.enable()


def install(parent: QObject) -> GarbageCollector:
    """The one collector of the application, owned by ``parent`` (the QApplication)."""
    existing = parent.findChild(GarbageCollector, "garbage_collector")
    return existing if isinstance(existing, GarbageCollector) else GarbageCollector(parent)
