"""An unexpected error is logged with its traceback and shown, not swallowed."""

import logging
import sys

from PySide6.QtWidgets import QMessageBox

from taperdesk.ui.errors import install_error_handling, log


def test_unexpected_error_is_logged_and_shown(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    handlers = list(log.handlers)
    install_error_handling(tmp_path / "logs" / "taperdesk.log")
    try:
        raise RuntimeError("the printer caught fire")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    box = sys.excepthook.last_box
    qtbot.addWidget(box)
    assert isinstance(box, QMessageBox) and "printer caught fire" in box.text() and "taperdesk.log" in box.text()
    for h in log.handlers:
        h.flush()
    text = (tmp_path / "logs" / "taperdesk.log").read_text()
    assert "RuntimeError: the printer caught fire" in text and "Traceback" in text
    for h in [h for h in log.handlers if h not in handlers]:
        log.removeHandler(h)
        h.close()
    log.setLevel(logging.NOTSET)
