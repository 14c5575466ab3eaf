"""The real entry point (taperdesk.app.main) on each kind of clinic file it must
refuse (issue 12, item 4): a modal dialog says what happened and what to do,
then the app exits cleanly with status 2, and the file is left as it was.
Before, each of these ended with status 1 and nothing on screen."""

from __future__ import annotations

import os
import sqlite3

import pytest

from taperdesk import storage
from taperdesk.app import main
from taperdesk.storage import clinicians
from taperdesk.storage.lock import acquire
from taperdesk.storage.migrations import LATEST_VERSION

from .modal import ModalAnswerer


@pytest.fixture
def clinic(tmp_path, monkeypatch):
    """A real clinic file with one clinician, closed."""
    monkeypatch.setattr(clinicians, "ARGON2", clinicians.CHEAP_ARGON2)
    path = tmp_path / "clinic.sqlite"
    storage.open_database(path, create=True, auto_backup=False)
    storage.add_clinician(name="Dr Ada Test", role="clinician", password="correct horse")
    storage.close_database()
    yield path
    storage.close_database()


def _start(path, answers, *extra):
    answerer = ModalAnswerer(list(answers)).start()
    try:
        code = main(["--db", str(path), *extra])
    finally:
        answerer.stop()
        storage.close_database()
    return code, answerer.seen


def _refused(path, needle, advice, *extra):
    before = path.read_bytes() if path.is_file() else None
    code, seen = _start(path, ["Quit"], *extra)
    assert code == 2
    assert len(seen) == 1, [s.text for s in seen]
    box = seen[0]
    assert box.title == "TaperDesk cannot open the clinic file"
    assert needle in box.text and advice in box.detail, (box.text, box.detail)
    assert (path.read_bytes() if path.is_file() else None) == before
    assert not path.with_name(path.name + "-wal").exists()
    return box


def test_damaged_file(clinic):
    """Damage that opening meets (the schema's text) is refused before the window;
    damage only the whole-file check finds is reported by the first open of the
    day's worker (tests/ui/test_daily_upkeep.py), so the window still opens at once."""
    conn = sqlite3.connect(clinic)
    conn.execute("PRAGMA journal_mode=DELETE")  # one file: nothing beside it to compare
    conn.close()
    data = bytearray(clinic.read_bytes())
    data[data.find(b"CREATE TABLE") + 3] = 0xC3
    clinic.write_bytes(bytes(data))
    box = _refused(clinic, "is damaged", "taperdesk restore")
    assert "was not changed" in box.detail and box.buttons == ["Quit"]


def test_not_sqlite_at_all(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("name,born\nAna,1970-01-01\n")
    _refused(path, "not a TaperDesk file", "Choose another file")


def test_someone_elses_sqlite_database(tmp_path):
    path = tmp_path / "songs.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE songs (title TEXT)")
    conn.commit()
    conn.close()
    _refused(path, "not a TaperDesk clinic file", "Choose another file")


def test_file_from_a_newer_taperdesk(clinic):
    conn = sqlite3.connect(clinic)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.close()
    _refused(clinic, "written by a newer TaperDesk", "Upgrade TaperDesk")


def test_zero_byte_file_is_not_made_into_an_empty_clinic(tmp_path):
    path = tmp_path / "clinic.sqlite"
    path.write_bytes(b"")
    code, seen = _start(path, ["Quit"])
    assert code == 2 and path.read_bytes() == b""
    assert "is empty (0 bytes)" in seen[0].text and "do not start a new clinic" in seen[0].detail
    assert seen[0].buttons == ["Start a new clinic", "Quit"]


def test_missing_file_asks_before_making_a_new_clinic(tmp_path):
    path = tmp_path / "clinic.sqlite"
    code, seen = _start(path, ["Quit"])
    assert code == 2 and not path.exists() and "There is no clinic file at" in seen[0].text
    code, seen = _start(path, ["Start a new clinic", "cancel"])  # then first-run setup (clinic, stock, first account)
    assert [s.title for s in seen] == ["TaperDesk cannot open the clinic file", "TaperDesk: set up your clinic"]
    assert code == 0 and path.stat().st_size > 0 and path.stat().st_mode & 0o077 == 0


def test_new_flag_skips_the_question(tmp_path):
    path = tmp_path / "clinic.sqlite"
    code, seen = _start(path, ["cancel"], "--new")
    assert code == 0 and [s.title for s in seen] == ["TaperDesk: set up your clinic"]


def test_second_launch_offers_read_only(clinic):
    lock = acquire(clinic)  # another TaperDesk has it open
    try:
        code, seen = _start(clinic, ["Quit"])
        assert code == 2 and "already open in TaperDesk" in seen[0].text
        assert f"process {os.getpid()}" in seen[0].detail
        assert seen[0].buttons == ["Open read-only", "Quit"]
        code, seen = _start(clinic, ["Open read-only", "cancel"])
        assert code == 0 and seen[1].title == "TaperDesk: sign in"
    finally:
        lock.release()


def test_read_only_location_offers_read_only(clinic, monkeypatch):
    real_access = os.access  # running as root, file modes do not bind: say the folder is read-only
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if mode == os.W_OK else real_access(p, mode, **kw))
    code, seen = _start(clinic, ["Quit"])
    assert code == 2 and "cannot be changed here" in seen[0].text and "read-only" in seen[0].detail
    code, seen = _start(clinic, ["Open read-only", "cancel"])
    assert code == 0 and seen[1].title == "TaperDesk: sign in"


def test_folder_instead_of_a_file(tmp_path):
    folder = tmp_path / "a-folder"
    folder.mkdir()
    code, seen = _start(folder, ["Quit"])
    assert code == 2 and "is a folder" in seen[0].text


def test_bad_arguments_are_one_line(capsys):
    assert main(["--colour", "blue"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("taperdesk: ") and err.count("\n") == 1 and "--colour" in err
    assert main(["--new", "--read-only"]) == 2
    assert "do not go together" in capsys.readouterr().err
