"""The storage commands from the command line: each works, and bad input gives
exit status 2 and one line on stderr, never a traceback."""

from __future__ import annotations

import json
import shutil

import pytest

from taperdesk.app import main


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory, demo_copy):
    path = tmp_path_factory.mktemp("cli") / "demo.sqlite"
    return path, demo_copy(path).password


@pytest.fixture
def demo_db(demo_template, tmp_path):
    path = tmp_path / "demo.sqlite"
    shutil.copy(demo_template[0], path)
    return path, demo_template[1]


def _fails(capsys, argv, *expected):
    assert main(argv) == 2
    captured = capsys.readouterr()
    err = captured.err.strip()
    assert err.startswith("taperdesk: ") and "\n" not in err and "Traceback" not in err, err
    for text in expected:
        assert text in err, err
    return err


def test_init_demo_prints_login(tmp_path, capsys):
    path = tmp_path / "new.sqlite"
    assert main(["init-demo", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert "12 patients" in out and len(out.split("password: ")[1].strip()) >= 8


def test_backup_and_restore_commands(demo_db, tmp_path, capsys):
    path, _ = demo_db
    assert main(["backup", "--db", str(path), "--to", str(tmp_path / "bk")]) == 0
    target = capsys.readouterr().out.strip().split(" to ")[-1]
    assert main(["restore", target, "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert "quick_check ok" in out and "Kept the replaced file" in out and "Restored" in out


def test_env_var_chooses_the_file(demo_db, tmp_path, capsys, monkeypatch):
    path, _ = demo_db
    monkeypatch.setenv("TAPERDESK_DB", str(path))
    assert main(["backup", "--to", str(tmp_path / "bk")]) == 0
    assert str(path) in capsys.readouterr().out


def test_export_and_import_commands(demo_db, tmp_path, capsys, monkeypatch):
    path, password = demo_db
    out_file = tmp_path / "p.json"
    _fails(capsys, ["export-patient", "--db", str(path), "--id", "demo-003", "--out", str(out_file)],
           "--clinician")
    _fails(capsys, ["export-patient", "--db", str(path), "--id", "demo-003", "--out", str(out_file),
                    "--clinician", "demo"], "no password for 'demo': set TAPERDESK_PASSWORD")
    monkeypatch.setenv("TAPERDESK_PASSWORD", password)
    assert main(["export-patient", "--db", str(path), "--id", "demo-003", "--out", str(out_file),
                 "--clinician", "demo"]) == 0
    assert json.loads(out_file.read_text())["patient"]["identifier"] == "DEMO-003"
    assert out_file.stat().st_mode & 0o077 == 0 and not list(tmp_path.glob("*.partial"))
    capsys.readouterr()
    _fails(capsys, ["import-patient", str(out_file), "--clinician", "demo", "--db", str(path)], "already belongs")


def test_bad_input_is_one_line_exit_2(demo_db, tmp_path, capsys, monkeypatch):
    path, password = demo_db
    monkeypatch.setenv("TAPERDESK_PASSWORD", password)
    db = ["--db", str(path)]
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    _fails(capsys, ["init-demo", *db], "already exists")
    _fails(capsys, ["backup", "--db", str(text)], "not a TaperDesk file")
    _fails(capsys, ["backup", "--db", str(tmp_path / "missing.sqlite")], "no clinic in")
    _fails(capsys, ["backup", *db, "--to", "~0"], "there is no user '0' on this computer")  # was a RuntimeError
    _fails(capsys, ["backup", "--db", "~nobody-here/clinic.sqlite"], "--db '~nobody-here/clinic.sqlite': there is no user")
    _fails(capsys, ["restore", str(text), *db], "not a TaperDesk file")
    _fails(capsys, ["restore", *db], "required")
    _fails(capsys, ["export-patient", *db, "--clinician", "demo", "--id", "NOPE", "--out", str(tmp_path / "x.json")], "No patient")
    _fails(capsys, ["export-patient", *db, "--clinician", "demo", "--id", "DEMO-001"], "--out")
    _fails(capsys, ["export-patient", *db, "--clinician", "demo", "--id", "DEMO-001", "--out", str(tmp_path / "no" / "x.json")], "folder that exists")
    _fails(capsys, ["import-patient", str(tmp_path / "none.json"), "--clinician", "demo", *db], "does not exist")
    _fails(capsys, ["import-patient", str(text), "--clinician", "demo", *db], "not JSON")
    monkeypatch.setenv("TAPERDESK_PASSWORD", "wrong password")
    good = tmp_path / "p.json"
    good.write_text(json.dumps({"format": "taperdesk-patient", "format_version": 1}))
    _fails(capsys, ["import-patient", str(good), "--clinician", "demo", *db], "Wrong name or password")
