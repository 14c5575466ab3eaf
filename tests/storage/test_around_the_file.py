"""Around the clinic file (issue 12, item 5): a file deleted, moved or replaced
while open stops every later write; a missing or empty file is never made into
an empty clinic unless asked; restore leaves the file's name holding the old or
the new file at every step; daily and on-demand backups rotate apart, per file.
And item 6's part here: every file made is 0600, every folder made 0700."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import stat
from pathlib import Path

import pytest

from taperdesk import storage
from taperdesk.storage import backup as backups
from taperdesk.storage import connection, errors
from taperdesk.storage.backup import list_backups
from taperdesk.storage.paths import default_backup_dir

from .conftest import table_dump


def _entry(patient, doctor, day: int):
    return storage.add_symptom_entry(patient_id=patient.id, date=dt.date(2026, 1, 1) + dt.timedelta(days=day),
                                     scale="daily", items={"severity": day % 11, "sleep": 5}, author=doctor)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- deleted, moved or replaced while open --------------------------------------------
@pytest.mark.parametrize("how", ["deleted", "moved", "replaced"])
def test_writes_stop_once_the_open_file_is_gone(how, db_path, doctor, patient, tmp_path):
    """Before: 40 of 40 writes were acknowledged and lost. Now every write after
    the file went is refused, and the app is told once."""
    told: list[str] = []
    remove = connection.add_lost_file_listener(told.append)
    try:
        acknowledged_before = [_entry(patient, doctor, day).id for day in range(10)]
        assert len(acknowledged_before) == 10
        if how == "deleted":
            db_path.unlink()
        elif how == "moved":
            db_path.rename(tmp_path / "moved-away.sqlite")
        else:
            other = tmp_path / "other.sqlite"
            shutil.copy(db_path, other)
            os.replace(other, db_path)
        acknowledged_after = 0
        for day in range(10, 40):
            with pytest.raises(errors.ClinicFileChangedError) as info:
                _entry(patient, doctor, day)
            if info.value is None:
                acknowledged_after += 1
        assert acknowledged_after == 0
        message = str(info.value)
        expected = "was replaced by another file" if how == "replaced" else "was deleted or moved"
        assert str(db_path) in message and expected in message and "cannot be saved" in message
        assert "\n" not in message
        assert told == [message]  # the listener hears it once, not thirty times
        with pytest.raises(errors.ClinicFileChangedError):
            storage.add_patient(name="New Person", born=dt.date(1980, 1, 1), identifier="TD-9", author=doctor)
    finally:
        remove()


# -- a missing or empty file is not a new clinic unless asked ---------------------------
def test_zero_byte_file_is_refused_and_left_as_it_is(db_path):
    db_path.write_bytes(b"")
    with pytest.raises(errors.NoClinicFileError) as info:
        storage.open_database(db_path)
    message = str(info.value)
    assert str(db_path) in message and "the file is empty: 0 bytes)" in message and "nothing was created" in message
    assert "taperdesk restore" in message and "--new" in message
    assert db_path.read_bytes() == b""
    assert not db_path.with_name(db_path.name + "-wal").exists()
    assert not default_backup_dir(db_path).exists()


def test_missing_file_is_refused_and_nothing_is_made(tmp_path):
    path = tmp_path / "gone" / "clinic.sqlite"
    with pytest.raises(errors.NoClinicFileError, match="does not exist"):
        storage.open_database(path)
    assert not path.parent.exists()


def test_new_clinic_only_when_asked(tmp_path):
    path = tmp_path / "new-folder" / "clinic.sqlite"
    session = storage.open_database(path, create=True)
    assert session.created and not storage.has_clinicians()
    assert _mode(path) == 0o600 and _mode(path.parent) == 0o700


def test_empty_sqlite_file_is_not_a_clinic_either(db_path):
    import sqlite3

    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("DROP TABLE t")
    conn.close()
    before = db_path.read_bytes()
    assert before.startswith(b"SQLite format 3")
    with pytest.raises(errors.NoClinicFileError, match="no clinic in"):
        storage.open_database(db_path)
    assert db_path.read_bytes() == before


# -- restore: the name always holds a whole clinic file ---------------------------------
class Killed(BaseException):
    """Stands for SIGKILL at one step: nothing after it runs (except finally blocks,
    which only remove partial files and release the lock)."""


def test_restore_leaves_old_or_new_file_after_a_kill_at_any_step(db_path, doctor, patient, monkeypatch):
    for day in range(5):
        _entry(patient, doctor, day)
    backup = storage.backup_now()
    new = table_dump(backup)
    for day in range(5, 9):
        _entry(patient, doctor, day)
    storage.close_database()
    old = table_dump(db_path)
    assert old != new
    pristine = db_path.with_name("pristine.sqlite")
    shutil.copy(db_path, pristine)

    steps = {"n": 0, "kill_at": 0}
    real = {"replace": os.replace, "link": os.link, "fsync": os.fsync, "unlink": Path.unlink}

    def step(name):
        def wrapped(*args, **kwargs):
            steps["n"] += 1
            if steps["n"] == steps["kill_at"]:
                raise Killed(name)
            return real[name](*args, **kwargs)
        return wrapped

    monkeypatch.setattr(backups.os, "replace", step("replace"))
    monkeypatch.setattr(backups.os, "link", step("link"))
    monkeypatch.setattr(backups.os, "fsync", step("fsync"))
    monkeypatch.setattr(Path, "unlink", step("unlink"))
    outcomes = []
    kill_at = 1
    while True:
        steps.update(n=0, kill_at=kill_at)
        try:
            backups.restore_backup(backup, db_path)
            finished = True
        except Killed:
            finished = False
        monkeypatch.setattr(Path, "unlink", real["unlink"])  # inspect and tidy with the real calls
        assert db_path.exists(), f"no clinic file after a kill at step {kill_at}"
        dump = table_dump(db_path)
        assert dump in (old, new), f"a kill at step {kill_at} left neither the old nor the new file"
        outcomes.append("new" if dump == new else "old")
        for leftover in db_path.parent.glob(db_path.name + ".*"):
            if leftover.name != db_path.name + ".lock":
                leftover.unlink()
        for side in ("-wal", "-shm"):
            db_path.with_name(db_path.name + side).unlink(missing_ok=True)
        shutil.copy(pristine, db_path)
        monkeypatch.setattr(Path, "unlink", step("unlink"))
        if finished:
            break
        kill_at += 1
    assert kill_at > 5 and outcomes[-1] == "new" and "old" in outcomes


def test_restore_keeps_the_replaced_file_and_makes_the_new_one_private(db_path, doctor, patient):
    backup = storage.backup_now()
    _entry(patient, doctor, 1)
    storage.close_database()
    report = storage.restore_backup(backup, db_path)
    assert report.replaced_kept_as is not None and report.replaced_kept_as.exists()
    assert _mode(db_path) == 0o600
    assert not db_path.with_name(db_path.name + ".restoring").exists()


# -- backups: daily and on-demand apart, per clinic file --------------------------------
def test_daily_and_manual_backups_rotate_apart(db_path, doctor):
    storage.close_database()
    start = dt.date(2026, 1, 1)
    for n in range(40):  # forty days of first opens, each with a backup on demand too
        day = start + dt.timedelta(days=n)
        session = storage.open_database(db_path, today=day)
        assert session.backup is not None and session.backup.name.startswith(f"clinic-daily-{day:%Y%m%d}-")
        storage.backup_now(now=dt.datetime.combine(day, dt.time(12, 0)))
        storage.close_database()
    for n in range(30):  # and a busy last day: thirty more on demand
        storage.open_database(db_path, today=start + dt.timedelta(days=39))
        storage.backup_now(now=dt.datetime(2026, 2, 9, 13, n))
        storage.close_database()
    folder = default_backup_dir(db_path)
    daily = list_backups(folder, db_path=db_path, kind="daily")
    manual = list_backups(folder, db_path=db_path, kind="manual")
    assert len(daily) == 30 and len(manual) == 30
    assert daily[0].name.startswith("clinic-daily-20260111-")  # a month of days survives the busy day
    assert all(m.name.startswith("clinic-manual-20260209-") for m in manual)


def test_two_clinic_files_in_one_folder_keep_their_own_daily_backup(tmp_path):
    today = dt.date(2026, 3, 2)
    a, b = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    for path in (a, b):
        storage.open_database(path, create=True)
        storage.add_clinician(name="Dr A", role="clinician", password="long enough")
        storage.close_database()
    first_a = storage.open_database(a, today=today)
    assert first_a.backup is not None and first_a.backup.name.startswith("a-daily-20260302-")
    storage.backup_now()
    storage.close_database()
    first_b = storage.open_database(b, today=today)  # a's backups today do not count for b
    assert first_b.checked and first_b.backup is not None and first_b.backup.name.startswith("b-daily-20260302-")
    storage.close_database()
    assert storage.open_database(a, today=today).backup is None


# -- item 6: private files and folders --------------------------------------------------
def test_every_file_made_is_private(db_path, doctor, patient, tmp_path):
    _entry(patient, doctor, 0)
    manual = storage.backup_now()
    elsewhere = storage.backup_now(to=tmp_path / "usb" / "backups")
    storage.close_database()
    session = storage.open_database(db_path, today=dt.date(2030, 1, 1))
    made = [db_path, db_path.with_name(db_path.name + "-wal"), db_path.with_name(db_path.name + "-shm"),
            db_path.with_name(db_path.name + ".lock"), manual, elsewhere, session.backup]
    storage.close_database()
    report = storage.restore_backup(manual, db_path)
    made += [report.replaced_kept_as]
    world_readable = [p for p in made if p.exists() and _mode(p) & 0o077]
    assert world_readable == []
    assert _mode(default_backup_dir(db_path)) == 0o700 and _mode(elsewhere.parent) == 0o700
    assert _mode(elsewhere.parent.parent) == 0o700  # usb/, made on the way to usb/backups


def test_an_older_0644_file_is_made_private_when_opened(db_path, doctor):
    storage.close_database()
    db_path.chmod(0o644)
    default_backup_dir(db_path).mkdir(mode=0o755, exist_ok=True)
    default_backup_dir(db_path).chmod(0o755)
    storage.open_database(db_path)
    assert _mode(db_path) == 0o600 and _mode(default_backup_dir(db_path)) == 0o700


# -- item 7: messages that say what really happened ------------------------------------
def _damage(path):
    import sqlite3

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


def test_backup_of_a_damaged_file_blames_the_file_not_the_backups_folder(db_path, doctor, capsys):
    from taperdesk.app import main

    storage.close_database()
    _damage(db_path)
    before = db_path.read_bytes()
    assert main(["backup", "--db", str(db_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{db_path} is damaged" in err and "no backup was made" in err, err
    assert "backups is damaged" not in err and "taperdesk restore" in err
    assert db_path.read_bytes() == before
    assert list_backups(default_backup_dir(db_path)) == []
    assert not list(default_backup_dir(db_path).glob("*.partial"))


def test_disk_io_error_on_an_all_but_full_disk_says_the_disk_is_full(db_path, monkeypatch):
    import sqlite3
    from collections import namedtuple

    from taperdesk.storage.failures import translate

    raw = sqlite3.OperationalError("disk I/O error")
    assert isinstance(translate(raw, db_path), errors.CorruptFileError)  # plenty of space: a real I/O fault
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda p: usage(10**9, 10**9 - 30 * 1024, 30 * 1024))
    full = translate(raw, db_path)
    assert isinstance(full, errors.DiskFullError)
    assert f"The disk holding {db_path} is full" in str(full) and "restore" not in str(full)


def test_portable_format_version_one_point_oh_is_not_called_newer(doctor):
    from taperdesk.storage.portable import FORMAT, import_patient

    document = {"format": FORMAT, "format_version": 1.0, "patient": {}, "plans": [], "symptom_entries": []}
    with pytest.raises(errors.InvalidInputError) as info:
        import_patient(document=document, author=doctor)
    message = str(info.value)
    assert "format_version is 1.0, not a whole number" in message and "newer" not in message
    with pytest.raises(errors.InvalidInputError, match="written by a newer TaperDesk .format 7"):
        import_patient(document={**document, "format_version": 7}, author=doctor)


def test_one_flipped_byte_in_the_schema_text_is_a_damaged_file(db_path, doctor, capsys):
    """Before: UnicodeDecodeError (a traceback) in every command."""
    from taperdesk.app import main

    storage.close_database()
    data = bytearray(db_path.read_bytes())
    data[data.find(b"CREATE TABLE") + 3] = 0xC3
    db_path.write_bytes(bytes(data))
    for argv in (["backup", "--db", str(db_path)], ["verify", "--db", str(db_path)]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and f"{db_path} is damaged (some of its text is not readable" in err, err
    with pytest.raises(errors.CorruptFileError):
        storage.open_database(db_path)


def test_a_device_is_never_taken_for_a_clinic_file_or_an_output(tmp_path, capsys):
    """`restore`, `init-demo`, `backup` and every `--out` refuse a device path in one
    line, before anything is written: renaming a file over /dev/zero as root replaced
    the machine's device once."""
    import stat as _stat

    from taperdesk.app import main

    device = tmp_path / "zero"
    device.symlink_to("/dev/zero")
    backup = tmp_path / "b.sqlite"
    assert main(["init-demo", "--db", str(backup)]) == 0
    capsys.readouterr()
    for argv in (["restore", str(backup), "--db", str(device)], ["init-demo", "--db", str(device)],
                 ["backup", "--db", str(device)], ["plan", "--drug", "diazepam", "--dose", "night=5"],
                 ["export-csv", "--patient", "DEMO-001", "--clinician", "demo", "--db", str(backup),
                  "--out", str(device)]):
        code = main(argv)
        err = capsys.readouterr().err
        if argv[0] == "plan":
            assert code == 0
            continue
        assert code == 2, argv
        assert "device or special file" in err and err.count("\n") == 1, err
        assert device.is_symlink() and _stat.S_ISCHR(os.stat(device).st_mode)
    assert _stat.S_ISCHR(os.stat("/dev/zero").st_mode)
