"""Opening a clinic file: a fresh one is created and migrated; each kind of bad
file is refused with one clear line naming it, and is left byte-for-byte as it was."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3

import pytest

from taperdesk import storage
from taperdesk.storage import errors
from taperdesk.storage.migrations import LATEST_VERSION, MIGRATIONS
from taperdesk.storage.models import db


def test_fresh_file_is_created_with_wal_and_foreign_keys(db_path):
    session = storage.open_database(db_path, create=True)
    assert session.created and session.migrated == [n for n, _up in MIGRATIONS if n >= 1]
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute_sql("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert not storage.has_clinicians()


def test_reopen_keeps_data_and_does_not_migrate(db_path):
    storage.open_database(db_path, create=True)
    storage.add_clinician(name="Dr A", role="clinician", password="long enough")
    storage.close_database()
    session = storage.open_database(db_path)
    assert session.migrated == [] and not session.created
    assert storage.has_clinicians()


def _refused(path, exc_type):
    before = path.read_bytes()
    with pytest.raises(exc_type) as info:
        storage.open_database(path)
    message = str(info.value)
    assert str(path) in message and "\n" not in message
    assert path.read_bytes() == before
    assert not path.with_name(path.name + "-wal").exists()
    return message


def test_text_file_is_not_a_database(db_path):
    db_path.write_text("name,born\nAna,1970-01-01\n")
    assert "not a TaperDesk file" in _refused(db_path, errors.NotADatabaseError)


def test_other_sqlite_database_is_refused(db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE songs (title TEXT)")
    conn.commit()
    conn.close()
    assert "not a TaperDesk clinic file" in _refused(db_path, errors.NotADatabaseError)


def test_newer_schema_is_refused_untouched(db_path):
    storage.open_database(db_path, create=True).close()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 5}")
    conn.close()
    message = _refused(db_path, errors.NewerFileError)
    assert f"file format {LATEST_VERSION + 5}" in message and "newer TaperDesk" in message and "upgrade TaperDesk" in message


def _corrupt(path):
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("CREATE TABLE filler (x TEXT)")
    conn.execute("CREATE INDEX filler_x ON filler (x)")
    conn.executemany("INSERT INTO filler VALUES (?)", ((str(i) * 20,) for i in range(3000)))
    conn.commit()
    conn.close()
    pages = path.stat().st_size // 4096
    with open(path, "r+b") as fh:
        for page in range(pages - 20, pages):
            fh.seek(page * 4096 + 8)
            fh.write(b"\xff" * 64)


def test_corrupt_file_is_refused_with_restore_hint(db_path):
    storage.open_database(db_path, create=True).close()
    _corrupt(db_path)
    message = _refused(db_path, errors.CorruptFileError)
    assert "damaged" in message and "taperdesk restore" in message


def test_folder_instead_of_file(tmp_path):
    with pytest.raises(errors.NotADatabaseError, match="is a folder"):
        storage.open_database(tmp_path)


def test_read_only_folder_is_refused(tmp_path, monkeypatch):
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "clinic.sqlite"
    storage.open_database(path, create=True).close()
    before = path.read_bytes()
    folder.chmod(0o555)
    try:
        if os.access(folder, os.W_OK):  # running as root: permissions do not bind
            real_access = os.access
            monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if mode == os.W_OK else real_access(p, mode, **kw))
        with pytest.raises(errors.ReadOnlyLocationError) as info:
            storage.open_database(path)
    finally:
        folder.chmod(0o755)
    assert str(path) in str(info.value) and "read-only" in str(info.value)
    assert path.read_bytes() == before


def test_full_disk_rolls_back_with_clear_message(doctor, db_path):
    pages = db.execute_sql("PRAGMA page_count").fetchone()[0]
    db.execute_sql(f"PRAGMA max_page_count = {pages}")
    events_before = len(storage.audit_events())
    with pytest.raises(errors.DiskFullError) as info:
        storage.add_patient(name="Big Notes", born=dt.date(1970, 1, 1), identifier="X1",
                            notes="x" * 200_000, author=doctor)
    assert str(db_path) in str(info.value) and "full" in str(info.value)
    db.execute_sql("PRAGMA max_page_count = 1073741823")
    assert storage.search_patients(text="big") == []
    assert len(storage.audit_events()) == events_before


def test_sqlite_read_only_error_is_translated(db_path):
    storage.open_database(db_path, create=True).close()
    from taperdesk.storage.failures import translate

    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as raw:
        conn.execute("CREATE TABLE t (x)")
    conn.close()
    assert isinstance(translate(raw.value, db_path), errors.ReadOnlyLocationError)


def test_repository_call_without_open_file_is_clear():
    with pytest.raises(errors.NotOpenError, match="open_database"):
        storage.has_clinicians()


def test_quick_check_runs_once_a_day(db_path):
    storage.open_database(db_path, create=True)
    storage.add_clinician(name="Dr A", role="clinician", password="long enough")
    storage.close_database()
    first = storage.open_database(db_path)
    assert first.checked and first.backup is not None
    storage.close_database()
    again = storage.open_database(db_path)
    assert not again.checked and again.backup is None
    storage.close_database()
    forced = storage.open_database(db_path, quick_check=True)
    assert forced.checked


def test_read_only_open_needs_an_existing_current_file(tmp_path):
    with pytest.raises(errors.NoClinicFileError, match="no clinic in .*missing.sqlite .the file does not exist"):
        storage.open_database(tmp_path / "missing.sqlite", read_only=True)
    old = tmp_path / "old.sqlite"
    from peewee import SqliteDatabase

    from taperdesk.storage.migrations import apply_migrations

    schema_1 = SqliteDatabase(str(old))
    apply_migrations(schema_1, upto=1)
    schema_1.close()
    with pytest.raises(errors.NeedsUpgradeError, match="open it once normally"):
        storage.open_database(old, read_only=True)
