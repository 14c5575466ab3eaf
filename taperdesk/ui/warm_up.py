"""The plotting library loaded while the clinician reads the first screen.

numpy and pyqtgraph take about a second to import (up to three from a cold
disk), and the Symptoms tab is the first to need them: opened first, it took
1.2-3 s. Once the main window is up, a background thread imports them, so the
first open of the tab is as quick as the next. Importing creates no Qt object
(pyqtgraph only copies names from the PySide6 modules), so no widget or timer
is made off the GUI thread; TaperDesk's own modules are left to the GUI thread.
If the import fails, the tab's own import fails the same way and says so."""

from __future__ import annotations

import importlib
import sys
import threading

MODULES = ("numpy", "pyqtgraph")
_thread: threading.Thread | None = None


def warm_up() -> threading.Thread | None:
    """Start the imports once per process; the thread, or None if nothing is left to load."""
    global _thread
    if _thread is not None or all(name in sys.modules for name in MODULES):
        return _thread
    _thread = threading.Thread(target=_load, name="taperdesk-warm-up", daemon=True)
    _thread.start()
    return _thread


def _load() -> None:
    import PySide6.QtCore  # noqa: F401  (pyqtgraph binds to PySide6 only if it comes first)

    for name in MODULES:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001: the GUI thread's import raises it where it can be shown
            return
