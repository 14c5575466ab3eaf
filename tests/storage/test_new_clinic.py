"""`taperdesk new-clinic`: the one headless way to start a clinic file; it never
overwrites a file that is there, and every other command still refuses an empty one."""

from __future__ import annotations

from taperdesk import storage
from taperdesk.app import main


def test_new_clinic_then_sign_in(tmp_path, monkeypatch, capsys):
    path = tmp_path / "clinic.sqlite"
    monkeypatch.setenv("TAPERDESK_PASSWORD", "a long enough password")
    assert main(["new-clinic", "--db", str(path), "--clinician", "Dr Ada", "--clinic-name", "Harbour Clinic"]) == 0
    assert "Created a new clinic file" in capsys.readouterr().out
    storage.open_database(path)
    try:
        assert storage.verify_password(name="Dr Ada", password="a long enough password") is not None
        assert storage.get_clinic_settings().name == "Harbour Clinic"
    finally:
        storage.close_database()
    before = path.read_bytes()
    assert main(["new-clinic", "--db", str(path), "--clinician", "Someone"]) == 2
    err = capsys.readouterr().err
    assert "already holds a file" in err and err.count("\n") == 1
    assert path.read_bytes() == before


def test_an_empty_file_is_refused_by_the_other_commands_and_started_only_by_new_clinic(tmp_path, monkeypatch, capsys):
    path = tmp_path / "empty.sqlite"
    path.write_bytes(b"")
    monkeypatch.setenv("TAPERDESK_PASSWORD", "a long enough password")
    assert main(["backup", "--db", str(path)]) == 2
    assert path.read_bytes() == b""
    capsys.readouterr()
    assert main(["new-clinic", "--db", str(path), "--clinician", "Dr Ada"]) == 0
    assert path.stat().st_size > 0


def test_bad_input_is_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("TAPERDESK_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", None)
    for argv in (["new-clinic", "--db", str(tmp_path), "--clinician", "x"],
                 ["new-clinic", "--db", str(tmp_path / "no" / "c.sqlite"), "--clinician", "x"],
                 ["new-clinic", "--db", str(tmp_path / "c.sqlite"), "--clinician", " "],
                 ["new-clinic", "--db", str(tmp_path / "c.sqlite"), "--clinician", "x"]):
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert err.startswith("taperdesk: ") and err.count("\n") == 1, err
    assert not (tmp_path / "c.sqlite").exists()


def test_a_refused_account_leaves_no_file_behind(tmp_path, monkeypatch, capsys):
    """A short password or an over-long name is refused in one line, and the
    clinic file (and its -wal, -shm and lock companions) is not left behind."""
    for name, password in (("Dr Ada", "short"), ("x" * 200, "a long enough password")):
        monkeypatch.setenv("TAPERDESK_PASSWORD", password)
        assert main(["new-clinic", "--db", str(tmp_path / "c.sqlite"), "--clinician", name]) == 2
        err = capsys.readouterr().err
        assert err.startswith("taperdesk: ") and err.count("\n") == 1, err
        assert sorted(p.name for p in tmp_path.iterdir()) == [], name
    # an empty file that was there before stays there, still empty
    empty = tmp_path / "empty.sqlite"
    empty.write_bytes(b"")
    monkeypatch.setenv("TAPERDESK_PASSWORD", "short")
    assert main(["new-clinic", "--db", str(empty), "--clinician", "Dr Ada"]) == 2
    capsys.readouterr()
    assert empty.read_bytes() == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.sqlite"]
