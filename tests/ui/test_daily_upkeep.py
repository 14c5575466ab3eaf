"""The first open of the day opens the window at once: the daily backup (checked
once) and the record check run on a worker with an indicator in the status
bar; the backup made there verifies, and a failure in the worker raises a
dialog. Waits on signals, never sleeps."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from taperdesk import storage
from taperdesk.storage import clinicians
from taperdesk.storage.backup import list_backups
from taperdesk.storage.errors import CorruptFileError
from taperdesk.storage.paths import default_backup_dir
from taperdesk.ui.daily_upkeep import RUNNING
from taperdesk.ui.main import after_shown
from taperdesk.ui.workspace import Workspace


@pytest.fixture
def first_open(tmp_path, monkeypatch):
    """A clinic with a patient and an entry, opened as the app opens it on a new day."""
    monkeypatch.setattr(clinicians, "SCRYPT", {"n": 16, "r": 1, "p": 1})
    monkeypatch.setattr(clinicians, "ARGON2", clinicians.CHEAP_ARGON2)
    path = tmp_path / "clinic.sqlite"
    storage.open_database(path, create=True, auto_backup=False)
    doctor = storage.add_clinician(name="Dr Ada Test", role="clinician", password="correct horse")
    patient = storage.add_patient(name="Ana López", born=dt.date(1960, 1, 1), identifier="TD-1", author=doctor)
    storage.add_symptom_entry(patient_id=patient.id, date=dt.date.today(), scale="daily",
                              items={"severity": 3, "sleep": 5}, author=doctor)
    storage.close_database()
    opened = storage.open_database(path, defer_daily=True)
    yield opened
    storage.close_database()


def _window(qtbot, opened) -> Workspace:
    w = Workspace(clinician=storage.list_clinicians()[0], today=dt.date.today())
    qtbot.addWidget(w)
    w.show()
    return w


def test_the_first_open_defers_the_backup_and_its_check(first_open):
    assert first_open.daily_due and first_open.backup is None and not first_open.checked
    assert list_backups(default_backup_dir(first_open.path)) == []


def test_the_worker_makes_a_backup_that_verifies(qtbot, first_open):
    w = _window(qtbot, first_open)
    after_shown(w, first_open)
    upkeep = w.daily_upkeep
    assert upkeep.running and upkeep.indicator.label.text() == RUNNING  # the status bar says it is running
    with qtbot.waitSignal(upkeep.finished, timeout=20000) as got:
        pass
    result = got.args[0]
    assert not upkeep.running
    assert w.statusBar().currentMessage() == (f"Today's backup is saved and checked ({result.backup.name}). Record "
                                              f"check passed: {result.report.summary()}.")
    assert result.report.ok and list_backups(default_backup_dir(first_open.path), kind="daily") == [result.backup]
    # the backup is a whole clinic on its own: it passes SQLite's check and the record check
    conn = sqlite3.connect(result.backup)
    assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*), max(series_value) FROM symptom_entry").fetchone() == (1, 3)
    conn.close()
    path = first_open.path
    storage.close_database()
    storage.open_database(result.backup, read_only=True)
    try:
        from taperdesk.storage.verify import verify_clinic

        assert verify_clinic().ok
    finally:
        storage.close_database()
    assert storage.open_database(path, defer_daily=True).daily_due is False  # done for today


def _damage_the_back_pages(path):
    """Pages no screen reads (a filler table) overwritten: only a whole-file check finds it."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("CREATE TABLE filler (x TEXT)")
    conn.executemany("INSERT INTO filler VALUES (?)", ((str(i) * 20,) for i in range(3000)))
    conn.commit()
    conn.close()
    pages = path.stat().st_size // 4096
    with open(path, "r+b") as fh:
        for page in range(pages - 20, pages):
            fh.seek(page * 4096 + 8)
            fh.write(b"\xff" * 64)


def test_a_damaged_file_opens_and_the_workers_check_raises_a_dialog(qtbot, first_open):
    from PySide6.QtWidgets import QMessageBox

    path = first_open.path
    storage.close_database()
    _damage_the_back_pages(path)
    opened = storage.open_database(path, defer_daily=True)  # the window is not held up by the check
    assert opened.daily_due
    w = _window(qtbot, opened)
    after_shown(w, opened)
    with qtbot.waitSignal(w.daily_upkeep.failed, timeout=20000):
        pass
    [box] = [b for b in w.findChildren(QMessageBox) if b.isVisible()]
    assert f"{path} is damaged (its copy fails SQLite's quick_check" in box.text()
    assert "restore an earlier backup" in box.text() and "no backup from today" in box.text()
    assert list_backups(default_backup_dir(path)) == []  # no half or damaged backup left behind
    box.accept()


def test_a_failing_check_in_the_worker_raises_a_dialog(qtbot, first_open, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from taperdesk.storage import daily

    def damaged(*_args, **_kwargs):
        raise CorruptFileError(f"{first_open.path} is damaged (its copy fails SQLite's quick_check: page 7); no "
                               f"backup was made.")

    monkeypatch.setattr(daily.backups, "backup_connection", damaged)
    w = _window(qtbot, first_open)
    after_shown(w, first_open)
    with qtbot.waitSignal(w.daily_upkeep.failed, timeout=20000):
        pass
    boxes = [b for b in w.findChildren(QMessageBox) if b.isVisible()]
    assert len(boxes) == 1 and boxes[0].windowTitle() == "TaperDesk daily backup"
    assert boxes[0].text().startswith("The daily backup and check did not finish: ")
    assert "is damaged" in boxes[0].text() and "no backup from today" in boxes[0].text()
    assert not w.daily_upkeep.running
    boxes[0].accept()


def test_the_splash_says_when_the_open_is_an_upgrade(tmp_path):
    from peewee import SqliteDatabase

    from taperdesk.storage.migrations import apply_migrations
    from taperdesk.ui.main import _opening_words

    old = SqliteDatabase(str(tmp_path / "old.sqlite"))
    old.connect()
    apply_migrations(old, upto=9)
    old.close()
    assert _opening_words(tmp_path / "old.sqlite").startswith("Upgrading old.sqlite for this version of TaperDesk")
    assert _opening_words(tmp_path / "missing.sqlite") == "Opening missing.sqlite…"
