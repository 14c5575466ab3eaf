"""A guard against a binding bug that would abort the app while painting.

With PySide6 6.12 (an abi3 build made against Python 3.12+ headers) on
Python 3.11, every call of a Qt method that returns nothing (setPen, setText,
setEnabled, ...) takes one reference from `None` without giving it back: on
3.12+ `None` is immortal and nothing happens, on 3.11 its count (about 5,000
after start-up) runs down and the process aborts with "Fatal Python error:
none_dealloc: deallocating None". Painting a month is some 1,500 such calls,
so a few dozen month switches were enough.

`protect_none()` checks for the bug once and, if present, does what Python
3.12 does natively: gives `None` a count it can never run out of. It is a
no-op on 3.12+, on builds with reference tracing, and where the bug is absent.
It belongs at application start-up (it protects every widget, not just the
calendar); the calendar calls it too so that it is safe on its own."""

from __future__ import annotations

import ctypes
import sys

_BUMP = 1 << 40  # more void calls than a process will ever make
_checked = False


def none_is_drained_by_void_calls() -> bool:
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(16):
        probe.setObjectName("probe")
    return before - sys.getrefcount(None) >= 16


def protect_none() -> bool:
    """Make `None` effectively immortal if this binding drains it; True if it did."""
    global _checked
    if _checked:
        return False
    _checked = True
    if sys.version_info >= (3, 12) or hasattr(sys, "getobjects") or sys.implementation.name != "cpython":
        return False
    if not none_is_drained_by_void_calls():
        return False
    before = sys.getrefcount(None)
    # ob_refcnt is the first field of every object in a release CPython 3.11 build
    ctypes.c_ssize_t.from_address(id(None)).value += _BUMP
    if sys.getrefcount(None) != before + _BUMP:  # not the layout we expect: put it back
        ctypes.c_ssize_t.from_address(id(None)).value -= _BUMP
        return False
    return True
