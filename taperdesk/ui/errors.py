"""Unexpected errors: logged to a file in the data folder with the traceback,
and shown in a dialog that says where the log is. Every write is already a
single transaction, so an error never leaves half a change behind."""

from __future__ import annotations

import logging
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

log = logging.getLogger("taperdesk")


def _private_log(log_path: Path) -> logging.Handler:
    """The log may name patients in a traceback: 0600, like every file we make."""
    os.close(os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
    return logging.FileHandler(log_path, encoding="utf-8")


def install_error_handling(log_path: Path) -> Callable[[], None]:
    """Log unexpected errors to `log_path` and show them; returns the function
    that undoes this (closes the log), called when the app ends."""
    try:
        handler: logging.Handler = _private_log(log_path)
    except OSError:  # no folder yet (it is made only for a new clinic), or one we may not write:
        # the error still shows, and the log goes to stderr
        handler = logging.StreamHandler(sys.stderr)
        log_path = Path("(standard error)")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    previous = sys.excepthook

    def hook(kind, value, tb):
        log.error("Unexpected error:\n%s", "".join(traceback.format_exception(kind, value, tb)))
        if QApplication.instance() is not None:
            box = QMessageBox(QMessageBox.Icon.Critical, "TaperDesk: unexpected error",
                              f"Something went wrong: {value}\n\nNothing you saved was lost. "
                              f"The details are in {log_path}; please send that file to your IT contact.")
            hook.last_box = box  # keep a reference while it is shown
            if any(w.isVisible() and w.isWindow() for w in QApplication.topLevelWidgets() if w is not box):
                box.open()
            else:  # at start-up, before any window: a box that is not modal would vanish at once
                box.exec()

    sys.excepthook = hook

    def uninstall() -> None:
        if sys.excepthook is hook:
            sys.excepthook = previous
        log.removeHandler(handler)
        handler.close()

    return uninstall
