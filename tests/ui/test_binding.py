"""The Qt binding itself must be sound on this Python.

PySide6 6.12.0 (an abi3 wheel built against 3.12+ headers) takes one reference
from `None` on every Qt call that returns nothing when run on Python 3.11,
where `None` is not immortal: a few thousand calls (a few dozen painted
calendar months) abort the process with "deallocating None". We pin 6.11.3;
this test fails if an upgrade brings the bug back."""

import sys

from PySide6.QtCore import QObject


def test_void_qt_calls_do_not_drain_none():
    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(200):
        probe.setObjectName("probe")
    assert before - sys.getrefcount(None) < 50
