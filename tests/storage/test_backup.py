"""Backups through the online backup API and restores that check first: a
restored backup is identical to the original, table by table."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from taperdesk import storage
from taperdesk.storage import errors
from taperdesk.storage.backup import list_backups
from taperdesk.storage.paths import default_backup_dir

from .conftest import PLAN_JSON, table_dump


@pytest.fixture
def clinic(db_path, doctor, patient):
    plan = storage.create_plan(patient_id=patient.id, plan=PLAN_JSON, settings={"a": 1}, author=doctor)
    storage.set_plan_status(plan_id=plan.id, status="active", author=doctor, reason="start")
    for day in range(1, 20):
        storage.add_symptom_entry(patient_id=patient.id, date=dt.date(2026, 1, day), scale="daily",
                                  items={"severity": day % 11, "sleep": 5}, author=doctor)
    storage.record_handout(revision_id=1, kind="calendar", pdf=b"%PDF-1.7 bytes", author=doctor)
    return db_path


def test_backup_equals_the_open_database(clinic, tmp_path):
    target = storage.backup_now(to=tmp_path / "elsewhere")
    assert target.parent == tmp_path / "elsewhere" and target.name.startswith("clinic-manual-")
    assert table_dump(target) == table_dump(clinic)
    assert not target.with_name(target.name + "-wal").exists()


def test_restore_brings_back_the_backup_exactly(clinic, doctor, patient):
    backup = storage.backup_now()
    snapshot = table_dump(clinic)
    storage.add_symptom_entry(patient_id=patient.id, date=dt.date(2026, 2, 1), scale="daily",
                              items={"severity": 9}, author=doctor)
    storage.close_database()
    changed = table_dump(clinic)
    report = storage.restore_backup(backup, clinic)
    assert table_dump(clinic) == snapshot
    assert report.replaced_kept_as is not None and table_dump(report.replaced_kept_as) == changed
    assert any("Kept the replaced file" in line for line in report.lines())
    storage.open_database(clinic)
    assert len(storage.symptom_entries(patient_id=patient.id)) == 19


def test_restore_refuses_a_damaged_backup_and_changes_nothing(clinic, tmp_path):
    storage.close_database()
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 84 + b"garbage" * 100)
    before = clinic.read_bytes()
    with pytest.raises(errors.StorageError):
        storage.restore_backup(bad, clinic)
    text = tmp_path / "notes.txt"
    text.write_text("not a backup")
    with pytest.raises(errors.NotADatabaseError):
        storage.restore_backup(text, clinic)
    assert clinic.read_bytes() == before
    assert not list(clinic.parent.glob("*.replaced-*"))


def test_restore_refuses_while_the_file_is_open(clinic):
    backup = storage.backup_now()
    with pytest.raises(errors.AlreadyOpenError):
        storage.restore_backup(backup, clinic)


def test_daily_backup_on_first_open_and_pruning(clinic):
    storage.close_database()
    folder = default_backup_dir(clinic)
    folder.mkdir(exist_ok=True)
    for day in range(1, 6):  # five older daily backups, and a file that is not ours
        shutil.copy(clinic, folder / f"clinic-daily-202501{day:02d}-090000.sqlite")
    (folder / "keep-me.txt").write_text("mine")
    first = storage.open_database(clinic, keep_backups=3)
    assert first.backup is not None and first.backup.parent == folder
    assert first.backup.name.startswith("clinic-daily-")
    assert [p.name for p in list_backups(folder)][:2] == ["clinic-daily-20250104-090000.sqlite",
                                                          "clinic-daily-20250105-090000.sqlite"]
    assert len(list_backups(folder)) == 3 and (folder / "keep-me.txt").exists()
    storage.close_database()
    assert storage.open_database(clinic).backup is None  # already one today


def test_backup_of_a_missing_file_is_clear(tmp_path):
    with pytest.raises(errors.NotADatabaseError, match="no clinic in .*nope.sqlite to back up .the file does not exist"):
        storage.backup_now(db_path=tmp_path / "nope.sqlite")


def test_failed_daily_backup_is_a_warning_not_a_refusal(clinic, monkeypatch):
    storage.close_database()
    from taperdesk.storage import backup as backups

    def broken(*args, **kwargs):
        raise errors.DiskFullError("The disk holding backups is full.")

    monkeypatch.setattr(backups, "copy_database", broken)
    session = storage.open_database(clinic)
    assert session.backup is None and "daily backup failed" in session.warnings[0]
    assert storage.has_clinicians()
