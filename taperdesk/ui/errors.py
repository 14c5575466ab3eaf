"""Unexpected errors: logged to a file in the data folder with the traceback,
and shown in a dialog that says where the log is. Every write is already a
single transaction, so an error never leaves half a change behind."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

log = logging.getLogger("taperdesk")


def install_error_handling(log_path: Path) -> None:
    log_path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(log_path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)

    def hook(kind, value, tb):
        log.error("Unexpected error:\n%s", "".join(traceback.format_exception(kind, value, tb)))
        if QApplication.instance() is not None:
            box = QMessageBox(QMessageBox.Icon.Critical, "TaperDesk: unexpected error",
                              f"Something went wrong: {value}\n\nNothing you saved was lost. "
                              f"The details are in {log_path}; please send that file to your IT contact.")
            box.open()
            hook.last_box = box  # keep a reference while it is shown

    sys.excepthook = hook
