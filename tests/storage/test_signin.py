"""Passwords and sign-in (issue 12, item 6): argon2id at OWASP parameters, old
scrypt hashes upgraded at the next sign-in, a growing refusal after 5 wrong
passwords in a row (worked out from the audit trail, so the clock is faked and
nothing sleeps), and every attempt audited."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from taperdesk import storage
from taperdesk.storage import audit, clinicians, errors
from taperdesk.storage.models import ClinicianRow


class Clock:
    def __init__(self):
        self.now = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.timezone.utc)

    def __call__(self):
        return self.now

    def advance(self, seconds: float):
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(audit, "utc_now", fake)
    return fake


def _events(action):
    return [e for e in storage.audit_events(limit=10_000) if e.action == action]


def test_new_passwords_are_argon2id_at_owasp_parameters(opened, monkeypatch):
    monkeypatch.setattr(clinicians, "ARGON2", {"time_cost": 2, "memory_cost": 19456, "parallelism": 1})
    doctor = storage.add_clinician(name="Dr Real Cost", role="clinician", password="correct horse")
    row = ClinicianRow.get_by_id(doctor.id)
    assert row.password_params == "argon2id"
    assert bytes(row.password_hash).decode().startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert storage.verify_password(name="Dr Real Cost", password="correct horse") == doctor


def test_old_scrypt_hash_is_upgraded_at_next_sign_in(doctor):
    salt = b"0123456789abcdef"
    params = {"n": 16, "r": 1, "p": 1}
    ClinicianRow.update(password_salt=salt, password_params="scrypt:n=16,r=1,p=1",
                        password_hash=hashlib.scrypt(b"correct horse", salt=salt, dklen=32, **params)
                        ).where(ClinicianRow.id == doctor.id).execute()
    assert storage.verify_password(name=doctor.name, password="wrong horse") is None
    assert ClinicianRow.get_by_id(doctor.id).password_params.startswith("scrypt:")
    assert storage.verify_password(name=doctor.name, password="correct horse") == doctor
    row = ClinicianRow.get_by_id(doctor.id)
    assert row.password_params == "argon2id" and bytes(row.password_hash).startswith(b"$argon2id$")
    assert "password hash upgraded to argon2id" in _events("signed in")[0].summary
    assert storage.verify_password(name=doctor.name, password="correct horse") == doctor


def test_five_wrong_passwords_then_a_growing_refusal(doctor, staff, clock):
    for n in range(5):
        assert storage.verify_password(name=doctor.name, password=f"guess {n}") is None
    clock.advance(10)
    with pytest.raises(errors.SignInThrottledError) as info:  # even the right password waits
        storage.verify_password(name=doctor.name, password="correct horse")
    message = str(info.value)
    assert "Too many wrong passwords for Dr Ada Test" in message and "in 1 minute" in message
    assert "\n" not in message
    # another account is not slowed down
    assert storage.verify_password(name=staff.name, password="battery staple") == staff
    clock.advance(21)  # 31 s after the fifth failure: one more try
    assert storage.verify_password(name=doctor.name, password="guess 5") is None
    clock.advance(59)  # the sixth failure doubles the wait to 60 s
    with pytest.raises(errors.SignInThrottledError):
        storage.verify_password(name=doctor.name, password="correct horse")
    clock.advance(2)
    assert storage.verify_password(name=doctor.name, password="correct horse") == doctor
    for n in range(4):  # a success starts the count again
        assert storage.verify_password(name=doctor.name, password=f"again {n}") is None
    assert storage.verify_password(name=doctor.name, password="correct horse") == doctor


def test_fifty_wrong_passwords_are_all_audited_and_most_refused(doctor, clock):
    outcomes = []
    for n in range(50):
        try:
            outcomes.append(storage.verify_password(name=doctor.name, password=f"guess {n}"))
        except errors.SignInThrottledError:
            outcomes.append("refused")
        clock.advance(1)
    assert outcomes.count(None) == 6 and outcomes.count("refused") == 44  # 5 free, 1 after 30 s
    failed, refused = _events("sign-in failed"), _events("sign-in refused")
    assert len(failed) == 6 and len(refused) == 44
    assert all(e.entity == "clinician" and e.entity_id == doctor.id for e in failed + refused)
    assert "6 wrong passwords in a row" in failed[0].summary


def test_the_delay_is_capped_at_an_hour():
    last = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    waits = [(clinicians.refused_until(n, last) - last).total_seconds() if n >= 5 else 0 for n in range(4, 20)]
    assert waits[:5] == [0, 30, 60, 120, 240] and max(waits) == 3600 and waits == sorted(waits)


def test_unknown_name_is_audited_without_saying_it_is_unknown(opened, doctor):
    assert storage.verify_password(name="Mallory", password="anything at all") is None
    event = _events("sign-in failed")[0]
    assert "Mallory" in event.summary and event.entity_id is None


def test_read_only_session_checks_the_refusal_but_writes_nothing(db_path, doctor, clock):
    for n in range(5):
        storage.verify_password(name=doctor.name, password=f"guess {n}")
    storage.close_database()
    storage.open_database(db_path, read_only=True)
    with pytest.raises(errors.SignInThrottledError):
        storage.verify_password(name=doctor.name, password="correct horse")
    clock.advance(31)
    assert storage.verify_password(name=doctor.name, password="correct horse") == doctor
