"""`taperdesk clinician`: the IT person's account commands, through the same
operations as the Clinicians dialog; passwords never on the command line."""

from __future__ import annotations

import pytest

from taperdesk import storage
from taperdesk.app import main
from taperdesk.storage import clinicians


@pytest.fixture
def clinic(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(clinicians, "ARGON2", clinicians.CHEAP_ARGON2)
    monkeypatch.setenv("TAPERDESK_PASSWORD", "long enough pw")
    path = tmp_path / "clinic.sqlite"
    assert main(["new-clinic", "--db", str(path), "--clinician", "Dr Ada"]) == 0
    (tmp_path / "pw").write_text("first pass 12\n")
    capsys.readouterr()
    return path


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_add_list_set_role_reset_deactivate(clinic, capsys, tmp_path):
    db = ["--db", str(clinic), "--clinician", "Dr Ada"]
    pw = ["--password-file", str(tmp_path / "pw")]
    code, out, _ = run(capsys, "clinician", "add", "Nia Nurse", "--role", "nurse", *pw, *db)
    assert code == 0 and out.startswith("Added Nia Nurse (nurse)")
    assert run(capsys, "clinician", "set-role", "nia nurse", "nurse,administrator", *db)[1] == \
        "Nia Nurse is now administrator and nurse.\n"
    assert run(capsys, "clinician", "reset-password", "Nia Nurse", *pw, *db)[0] == 0
    code, out, _ = run(capsys, "clinician", "list", *db)
    assert out.splitlines() == ["Dr Ada     administrator and prescriber",
                                "Nia Nurse  administrator and nurse  (must change the password at the next sign-in)"]
    assert run(capsys, "clinician", "deactivate", "Nia Nurse", *db)[0] == 0
    storage.open_database(clinic, read_only=True)
    try:
        [nia] = [c for c in storage.list_clinicians(include_inactive=True) if c.name == "Nia Nurse"]
        assert not nia.active and nia.must_change_password
        assert storage.audit_events(limit=1)[0].summary == "deactivated Nia Nurse (as administrator)"
    finally:
        storage.close_database()


@pytest.mark.parametrize("argv, says", [
    (["set-role", "Dr Ada", "prescriber"], "Dr Ada is the clinic's only active administrator"),
    (["deactivate", "Dr Ada"], "You cannot deactivate your own account"),
    (["set-role", "Dr Ada", "doctor"], "'doctor' is not a role"),
    (["set-role", "Nobody", "nurse"], "There is no account named 'Nobody'"),
    (["add", "X", "--role", "nurse", "--password", "in argv"], "unrecognized arguments"),
    (["add", "X", "--role", "nurse"], "give --password-file FILE"),
])
def test_refusals_are_one_line_and_change_nothing(clinic, capsys, argv, says):
    before = clinic.read_bytes()
    code, out, err = run(capsys, "clinician", *argv, "--db", str(clinic), "--clinician", "Dr Ada")
    assert code == 2 and says in err and err.count("\n") == 1 and out == ""
    storage.open_database(clinic, read_only=True)
    try:
        assert [(c.name, c.roles, c.active) for c in storage.list_clinicians(include_inactive=True)] == [
            ("Dr Ada", ("administrator", "prescriber"), True)]
    finally:
        storage.close_database()
    assert before  # (the file is still there)


def test_a_nurse_may_list_but_not_add(clinic, capsys, tmp_path, monkeypatch):
    pw = ["--password-file", str(tmp_path / "pw")]
    assert run(capsys, "clinician", "add", "Nia Nurse", "--role", "nurse", *pw, "--db", str(clinic),
               "--clinician", "Dr Ada")[0] == 0
    _change_nias_password(clinic)
    monkeypatch.setenv("TAPERDESK_PASSWORD", "nia's own pw")
    db = ["--db", str(clinic), "--clinician", "Nia Nurse"]
    assert run(capsys, "clinician", "list", *db)[0] == 0
    code, _out, err = run(capsys, "clinician", "add", "Other", "--role", "nurse", *pw, *db)
    assert code == 2 and err == ("taperdesk: Only an administrator may add, deactivate or change accounts; "
                                 "Nia Nurse is a nurse. Nothing was done.\n")


# A command's sign-in is audited as what happened: an account whose role may not run
# the command, or whose password was reset, is recorded as refused, never as "signed
# in" (the trail used to say it signed in, then the command was refused).

@pytest.fixture
def nia(clinic, capsys, tmp_path):
    """The clinic with a nurse, Nia, whose first password was set by the administrator."""
    assert main(["clinician", "add", "Nia Nurse", "--role", "nurse", "--password-file", str(tmp_path / "pw"),
                 "--db", str(clinic), "--clinician", "Dr Ada"]) == 0
    capsys.readouterr()
    return clinic


def _nias_events(path) -> list[tuple[str, str]]:
    storage.open_database(path, read_only=True)
    try:
        nia = next(c for c in storage.list_clinicians() if c.name == "Nia Nurse")
        return [(e.action, e.summary) for e in storage.audit_events(entity="clinician", entity_id=nia.id)]
    finally:
        storage.close_database()


def _change_nias_password(path) -> None:
    storage.open_database(path)
    try:
        nia = storage.verify_password(name="Nia Nurse", password="first pass 12")
        storage.change_password(clinician_id=nia.id, new_password="nia's own pw", author=nia)
    finally:
        storage.close_database()


def test_a_command_the_role_refuses_writes_no_signed_in_row(nia, capsys, tmp_path, monkeypatch):
    _change_nias_password(nia)
    before = _nias_events(nia)
    monkeypatch.setenv("TAPERDESK_PASSWORD", "nia's own pw")
    code = main(["clinician", "add", "Other", "--role", "nurse", "--password-file", str(tmp_path / "pw"),
                 "--db", str(nia), "--clinician", "Nia Nurse"])
    assert code == 2 and capsys.readouterr().err.endswith("Nia Nurse is a nurse. Nothing was done.\n")
    new = _nias_events(nia)[:len(_nias_events(nia)) - len(before)]
    assert [action for action, _ in new] == ["sign-in refused"]
    assert new[0][1] == ("sign-in as Nia Nurse refused for the command: Only an administrator may add, "
                         "deactivate or change accounts; Nia Nurse is a nurse.")


def test_a_command_the_role_allows_is_signed_in(nia, capsys, tmp_path):
    assert main(["clinician", "reset-password", "Nia Nurse", "--password-file", str(tmp_path / "pw"),
                 "--db", str(nia), "--clinician", "Dr Ada"]) == 0
    storage.open_database(nia, read_only=True)
    try:
        ada = next(c for c in storage.list_clinicians() if c.name == "Dr Ada")
        events = [(e.action, e.summary) for e in storage.audit_events(entity="clinician", entity_id=ada.id, limit=2)]
    finally:
        storage.close_database()
    assert events[1] == ("signed in", "Dr Ada signed in")


def test_a_reset_password_is_refused_without_signed_in_row(nia, capsys, tmp_path, monkeypatch):
    before = _nias_events(nia)
    monkeypatch.setenv("TAPERDESK_PASSWORD", "first pass 12")
    assert main(["clinician", "add", "Other", "--role", "nurse", "--password-file", str(tmp_path / "pw"),
                 "--db", str(nia), "--clinician", "Nia Nurse"]) == 2
    assert "was reset" in capsys.readouterr().err
    new = _nias_events(nia)[:len(_nias_events(nia)) - len(before)]
    assert [action for action, _ in new] == ["sign-in refused"]
