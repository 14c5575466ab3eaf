"""Back up now (Ctrl+B) runs on a worker thread, with an indicator in the status
bar while it runs, so the window never freezes on a large clinic file; the
status bar says where the backup went, and a failure opens a dialog. Waits on
signals, never sleeps."""

from __future__ import annotations

import sqlite3
import threading
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from taperdesk import storage
from taperdesk.storage import connection, maintenance
from taperdesk.storage.backup import list_backups
from taperdesk.storage.errors import StorageError
from taperdesk.storage.paths import default_backup_dir
from taperdesk.ui.workspace_clinic import BACKING_UP


@pytest.fixture
def window(qtbot, clinician):
    from taperdesk.ui.workspace import Workspace

    storage.add_patient(name="Zoë Łukasiewicz", born=date(1970, 5, 1), identifier="TD-0001", author=clinician)
    w = Workspace(clinician=clinician, today=date(2026, 12, 1))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def _spy_thread(monkeypatch) -> list[int]:
    """The thread each backup ran on."""
    threads: list[int] = []
    real = maintenance.backups.backup_connection

    def on_a_thread(*args, **kwargs):
        threads.append(threading.get_ident())
        return real(*args, **kwargs)

    monkeypatch.setattr(maintenance.backups, "backup_connection", on_a_thread)
    return threads


def test_ctrl_b_backs_up_on_a_worker_with_an_indicator(qtbot, window, monkeypatch):
    threads = _spy_thread(monkeypatch)
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    job = window.backup_job
    told: list[int] = []
    job.finished.connect(lambda _path: told.append(threading.get_ident()))
    assert job.running and job.indicator.label.text() == BACKING_UP and job.indicator.isVisible()
    window.backup_now()  # one at a time: the first reports back on the UI thread, so it is still running
    assert window.last_message == "A backup is already running."
    with qtbot.waitSignal(job.finished, timeout=20000) as got:
        pass
    path = got.args[0]
    assert told == [threading.get_ident()]  # and told on the UI thread
    assert threads and threads[0] != threading.get_ident()  # not the UI thread
    assert not job.running and job.indicator is None and len(threads) == 1
    assert window.statusBar().currentMessage() == f"Backed up to {path}."
    assert list_backups(default_backup_dir(connection.current().path), kind="manual") == [path]
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT name FROM patient").fetchall() == [("Zoë Łukasiewicz",)]
    finally:
        conn.close()
    window.backup_now()  # and again: the worker closed its connection, the next one opens afresh
    with qtbot.waitSignal(job.finished, timeout=20000):
        pass
    assert len(threads) == 2


def test_a_failed_backup_opens_a_dialog(qtbot, window, monkeypatch):
    def full_disk(*_args, **_kwargs):
        raise StorageError("No space left on the disk for the backup; nothing was written.")

    monkeypatch.setattr(maintenance.backups, "backup_connection", full_disk)
    window.backup_now()
    with qtbot.waitSignal(window.backup_job.failed, timeout=20000):
        pass
    assert not window.backup_job.running and window.backup_job.indicator is None
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert len(boxes) == 1
    assert boxes[0].text() == "The backup failed: No space left on the disk for the backup; nothing was written."
    boxes[0].accept()
