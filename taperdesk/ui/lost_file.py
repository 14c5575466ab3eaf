"""The dialog for a clinic file deleted, moved or replaced while the app has it
open. Storage notices it before the next write and refuses that write and every
later one (nothing more would be kept); this module tells the person once, in
a modal dialog, what happened and what to do. The dialog is shown from the
event loop, after the refused action has returned, not from inside it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from taperdesk.storage.connection import add_lost_file_listener

TITLE = "TaperDesk: the clinic file is gone"
ADVICE = ("Nothing you do from now on can be saved. Write down what you were entering, then close "
          "TaperDesk and start it again. If the clinic file was deleted, restore the newest backup "
          "first (taperdesk restore BACKUP).")


def show_lost_file(message: str) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Critical, TITLE, message, parent=QApplication.activeWindow())
    box.setInformativeText(ADVICE)
    box.exec()
    return box


def watch_for_lost_file(show: Callable[[str], object] = show_lost_file) -> Callable[[], None]:
    """Show `show(message)` once when storage finds the open file gone; returns
    the function that stops watching."""
    return add_lost_file_listener(lambda message: QTimer.singleShot(0, lambda: show(message)))
