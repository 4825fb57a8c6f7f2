"""Work-arounds for bugs of the Qt binding that would otherwise crash the application.

PySide6 6.12.0 (with CPython 3.11) returns the result of ``SignalInstance.emit()`` (a bool)
without taking a reference to it: every ``emit()`` made from Python removes one reference
from ``True``. After a few thousand signals (a long session, a job's progress, the tests)
``True``'s count reaches zero and the interpreter aborts with "Fatal Python error:
bool_dealloc". :func:`install` measures whether the running binding has the bug and, only
then, wraps ``emit`` so that it gives the missing reference back. On a fixed binding it does
nothing.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance

_installed = False


class _Probe(QObject):
    fired = Signal()


def emit_leaks_a_reference() -> bool:
    """Whether ``emit()`` drops a reference to its bool result (measured, not guessed from versions)."""
    probe = _Probe()
    before = sys.getrefcount(True) + sys.getrefcount(False)
    for _ in range(10):
        probe.fired.emit()
    after = sys.getrefcount(True) + sys.getrefcount(False)
    if after < before:
        for _ in range(before - after):
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))  # give back what the probe took
        return True
    return False


def install() -> None:
    """Patch ``SignalInstance.emit`` once if (and only if) the binding has the reference bug."""
    global _installed
    if _installed:
        return
    _installed = True
    if not emit_leaks_a_reference():
        return
    original = SignalInstance.emit
    incref = ctypes.pythonapi.Py_IncRef
    incref.argtypes = [ctypes.py_object]

    def emit(self: SignalInstance, *args: Any) -> Any:
        result = original(self, *args)
        if result is True or result is False:
            incref(result)
        return result

    SignalInstance.emit = emit  # type: ignore[method-assign]


install()
