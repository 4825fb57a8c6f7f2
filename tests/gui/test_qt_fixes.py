"""A long session emits many signals: the binding must not eat the references of True and False."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

import campaign_desktop.gui  # noqa: F401 - installs the work-arounds


class _Emitter(QObject):
    ticked = Signal()
    progressed = Signal(object)


def test_emitting_signals_keeps_the_references_of_true_and_false(qapp):
    emitter = _Emitter()
    received: list[object] = []
    emitter.progressed.connect(received.append)
    before = sys.getrefcount(True), sys.getrefcount(False)
    for i in range(2000):
        emitter.ticked.emit()
        emitter.progressed.emit(i)
    received.clear()
    assert (sys.getrefcount(True), sys.getrefcount(False)) == before
