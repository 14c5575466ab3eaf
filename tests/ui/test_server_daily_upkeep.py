"""The app on a clinic server, first open of the day: the worker makes the
server's backup (a pg_dump) and the record check; the next workstation's
status bar says where and when it was made; a dump that fails raises the same
dialog as a clinic file's. On the throw-away cluster; waits on signals."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QMessageBox

from taperdesk import storage
from taperdesk.storage import clinicians, server_backup
from taperdesk.ui.main import after_shown
from taperdesk.ui.workspace import Workspace


@pytest.fixture
def server_open(server_db, tmp_path, monkeypatch):
    monkeypatch.setattr(clinicians, "SCRYPT", {"n": 16, "r": 1, "p": 1})
    monkeypatch.setattr(clinicians, "ARGON2", clinicians.CHEAP_ARGON2)
    monkeypatch.setattr(server_backup, "default_folder", lambda address: tmp_path / "backups")
    monkeypatch.setenv("TAPERDESK_WORKSTATION", "ROOM-1")
    storage.open_database(server_db, create=True)
    doctor = storage.add_clinician(name="Dr Ada Test", role="clinician", password="correct horse")
    storage.add_patient(name="Ana López", born=dt.date(1960, 1, 1), identifier="TD-1", author=doctor)
    storage.close_database()
    opened = storage.open_database(server_db, defer_daily=True)
    yield opened
    storage.close_database()


def _run_upkeep(qtbot, opened, signal: str = "finished"):
    w = Workspace(clinician=storage.list_clinicians()[0], today=dt.date.today())
    qtbot.addWidget(w)
    w.show()
    after_shown(w, opened)
    with qtbot.waitSignal(getattr(w.daily_upkeep, signal), timeout=20000) as got:
        pass
    return w, got.args[0]


def test_the_first_workstation_backs_up_the_server_the_next_is_told(qtbot, server_open, tmp_path):
    assert server_open.daily_due
    w, result = _run_upkeep(qtbot, server_open)
    assert result.backup.parent == tmp_path / "backups" and result.backup.suffix == ".dump"
    assert w.statusBar().currentMessage() == (f"Today's backup is saved and checked ({result.backup.name}). Record "
                                              f"check passed: {result.report.summary()}.")
    w.close()
    w2, again = _run_upkeep(qtbot, server_open)
    assert again.backup is None
    assert w2.statusBar().currentMessage().startswith("Today's backup of the clinic server was made on ROOM-1 at ")
    assert len(list((tmp_path / "backups").iterdir())) == 1


def test_a_failed_server_backup_raises_the_daily_dialog(qtbot, server_open, monkeypatch):
    monkeypatch.setattr(server_backup, "_tool", lambda name: "/bin/false")
    w, exc = _run_upkeep(qtbot, server_open, "failed")
    boxes = [b for b in w.findChildren(QMessageBox) if b.isVisible()]
    assert len(boxes) == 1 and boxes[0].windowTitle() == "TaperDesk daily backup"
    assert boxes[0].text().startswith("The daily backup and check did not finish: pg_dump failed on the database ")
    assert "no backup from today" in boxes[0].text() and not w.daily_upkeep.running
    boxes[0].accept()
