"""An unexpected error is logged with its traceback and shown, not swallowed."""

import logging
import sys

from PySide6.QtWidgets import QMessageBox

from taperdesk.ui.errors import install_error_handling, log

from .modal import ModalAnswerer


def test_unexpected_error_is_logged_and_shown(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    handlers = list(log.handlers)
    (tmp_path / "logs").mkdir()
    uninstall = install_error_handling(tmp_path / "logs" / "taperdesk.log")
    answerer = ModalAnswerer(["OK"]).start()
    try:
        raise RuntimeError("the printer caught fire")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())  # no window yet: the box is modal, so it shows at start-up
    answerer.stop()
    box = sys.excepthook.last_box
    qtbot.addWidget(box)
    assert isinstance(box, QMessageBox) and "printer caught fire" in box.text() and "taperdesk.log" in box.text()
    assert [s.text for s in answerer.seen] == [box.text()]
    assert (tmp_path / "logs" / "taperdesk.log").stat().st_mode & 0o077 == 0
    for h in log.handlers:
        h.flush()
    text = (tmp_path / "logs" / "taperdesk.log").read_text()
    assert "RuntimeError: the printer caught fire" in text and "Traceback" in text
    uninstall()
    assert [h for h in log.handlers if h not in handlers] == []
    log.setLevel(logging.NOTSET)
