"""A command's sign-in is audited as what happened: an account whose role may not
run the command, or whose password was reset, is recorded as refused, never as
"signed in" (the trail used to say it signed in, then the command was refused)."""

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
    assert main(["clinician", "add", "Nia Nurse", "--role", "nurse", "--password-file", str(tmp_path / "pw"),
                 "--db", str(path), "--clinician", "Dr Ada"]) == 0
    capsys.readouterr()
    return path


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


def test_a_command_the_role_refuses_writes_no_signed_in_row(clinic, capsys, tmp_path, monkeypatch):
    _change_nias_password(clinic)
    before = _nias_events(clinic)
    monkeypatch.setenv("TAPERDESK_PASSWORD", "nia's own pw")
    code = main(["clinician", "add", "Other", "--role", "nurse", "--password-file", str(tmp_path / "pw"),
                 "--db", str(clinic), "--clinician", "Nia Nurse"])
    assert code == 2 and capsys.readouterr().err.endswith("Nia Nurse is a nurse. Nothing was done.\n")
    new = _nias_events(clinic)[:len(_nias_events(clinic)) - len(before)]
    assert [action for action, _ in new] == ["sign-in refused"]
    assert new[0][1] == ("sign-in as Nia Nurse refused for the command: Only an administrator may add, "
                         "deactivate or change accounts; Nia Nurse is a nurse.")


def test_a_command_the_role_allows_is_signed_in(clinic, capsys, tmp_path):
    assert main(["clinician", "reset-password", "Nia Nurse", "--password-file", str(tmp_path / "pw"),
                 "--db", str(clinic), "--clinician", "Dr Ada"]) == 0
    storage.open_database(clinic, read_only=True)
    try:
        ada = next(c for c in storage.list_clinicians() if c.name == "Dr Ada")
        events = [(e.action, e.summary) for e in storage.audit_events(entity="clinician", entity_id=ada.id, limit=2)]
    finally:
        storage.close_database()
    assert events[1] == ("signed in", "Dr Ada signed in")


def test_a_reset_password_is_refused_without_signed_in_row(clinic, capsys, tmp_path, monkeypatch):
    before = _nias_events(clinic)
    monkeypatch.setenv("TAPERDESK_PASSWORD", "first pass 12")
    assert main(["clinician", "add", "Other", "--role", "nurse", "--password-file", str(tmp_path / "pw"),
                 "--db", str(clinic), "--clinician", "Nia Nurse"]) == 2
    assert "was reset" in capsys.readouterr().err
    new = _nias_events(clinic)[:len(_nias_events(clinic)) - len(before)]
    assert [action for action, _ in new] == ["sign-in refused"]
