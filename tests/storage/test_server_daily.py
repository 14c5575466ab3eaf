"""A clinic server's daily backup, on the throw-away cluster: the first
workstation of the day dumps it (pg_dump, read back) into its backups folder
and keeps the clinic's number of them; the next workstation that day makes none
and is told where and when it was made; one dumping holds the others off; a
failed dump leaves no file and no mark, so the next open tries again."""

from __future__ import annotations

import datetime as dt

import psycopg2
import pytest

from taperdesk import storage
from taperdesk.storage import server_backup
from taperdesk.storage.daily import SERVER_EVENT, SERVER_LOCK, daily_upkeep


@pytest.fixture
def server_clinic(server_db, tmp_path, monkeypatch):
    """A clinic on the server, opened as the app opens it; each 'workstation' has its own backups folder."""
    storage.open_database(server_db, create=True)
    doctor = storage.add_clinician(name="Dr Ada Test", role="clinician", password="correct horse")
    storage.add_patient(name="Ana López", born=dt.date(1960, 1, 1), identifier="TD-1", author=doctor)
    storage.close_database()
    folders = {"ROOM-1": tmp_path / "room1" / "backups", "ROOM-2": tmp_path / "room2" / "backups"}

    def at(room: str):
        monkeypatch.setenv("TAPERDESK_WORKSTATION", room)
        monkeypatch.setattr(server_backup, "default_folder", lambda address: folders[room])
        return folders[room]

    opened = storage.open_database(server_db, defer_daily=True)
    return opened, at


def _events(url) -> list[str]:
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT summary FROM audit_event WHERE action = %s ORDER BY id", (SERVER_EVENT,))
            return [r[0] for r in cur.fetchall()]
    finally:
        conn.close()


def test_the_first_workstation_of_the_day_makes_it_the_next_is_told(server_clinic):
    opened, at = server_clinic
    assert opened.server and opened.daily_due  # the app runs daily_upkeep on a worker
    room1 = at("ROOM-1")
    result = daily_upkeep(check_records=True)
    assert result.backup.parent == room1
    assert result.backup.name.endswith(".dump") and "-daily-" in result.backup.name
    assert result.backup.stat().st_mode & 0o777 == 0o600 and room1.stat().st_mode & 0o777 == 0o700
    assert server_backup.check_dump(result.backup, opened.path) >= 10  # every table's data is in it
    assert result.report.ok
    (event,) = _events(opened.path.url)
    assert f"{result.backup.name}" in event and "on ROOM-1" in event
    room2 = at("ROOM-2")
    later = daily_upkeep(check_records=True)
    assert later.backup is None and later.report is None
    assert later.made_elsewhere.startswith("made on ROOM-1 at ")
    assert not room2.exists() and len(_events(opened.path.url)) == 1


def test_one_workstation_dumping_holds_the_others_off(server_clinic):
    opened, at = server_clinic
    room1 = at("ROOM-1")
    other = psycopg2.connect(opened.path.url)  # another workstation, in the middle of its dump
    try:
        with other.cursor() as cur:
            cur.execute("SELECT pg_advisory_lock(%s)", (SERVER_LOCK,))
        result = daily_upkeep(check_records=False)
        assert result.backup is None and result.made_elsewhere == "being made on another workstation"
        assert not room1.exists() and _events(opened.path.url) == []
        with other.cursor() as cur:
            cur.execute("SELECT pg_advisory_unlock(%s)", (SERVER_LOCK,))  # its dump is done (but not recorded)
    finally:
        other.close()
    assert daily_upkeep(check_records=False).backup.parent == room1


def test_it_keeps_the_clinics_number_of_daily_dumps_and_no_manual_one_is_pruned(server_clinic):
    opened, at = server_clinic
    room1 = at("ROOM-1")
    manual = server_backup.dump(opened.path, room1, now=dt.datetime(2020, 1, 1, 9))
    start = dt.datetime.now()
    made = [daily_upkeep(check_records=False, keep_backups=2, now=start + dt.timedelta(days=d)).backup
            for d in (1, 2, 3)]
    assert server_backup.list_dumps(room1, opened.path, "daily") == made[1:]
    assert manual.exists() and len(_events(opened.path.url)) == 3


def test_a_failed_dump_leaves_nothing_and_the_next_open_tries_again(server_clinic, monkeypatch):
    opened, at = server_clinic
    room1 = at("ROOM-1")
    real = server_backup._tool
    monkeypatch.setattr(server_backup, "_tool", lambda name: "/bin/false" if name == "pg_dump" else real(name))
    with pytest.raises(storage.StorageError, match="pg_dump failed on the database"):
        daily_upkeep(check_records=False)
    assert list(room1.iterdir()) == [] and _events(opened.path.url) == []
    monkeypatch.setattr(server_backup, "_tool", real)
    assert daily_upkeep(check_records=False).backup.parent == room1  # the lock was let go too


def test_a_dump_that_cannot_be_read_back_is_no_backup(server_clinic, monkeypatch):
    opened, at = server_clinic
    room1 = at("ROOM-1")
    real = server_backup._tool
    monkeypatch.setattr(server_backup, "_tool", lambda name: "/bin/false" if name == "pg_restore" else real(name))
    with pytest.raises(storage.StorageError, match=r"of the database .* cannot be read back"):
        daily_upkeep(check_records=False)
    assert list(room1.iterdir()) == [] and _events(opened.path.url) == []
