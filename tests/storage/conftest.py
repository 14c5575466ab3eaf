"""Storage tests run on real temporary files (WAL needs one) and, unless they
handle the file itself (they ask for `db_path`), also on the throw-away
PostgreSQL server (tests/conftest.py); they never sleep.
Password hashing uses cheap scrypt parameters here; the stored parameters make
verification follow whatever a row was hashed with."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from taperdesk import storage
from taperdesk.storage import clinicians


@pytest.fixture(autouse=True)
def _cheap_scrypt(monkeypatch):
    monkeypatch.setattr(clinicians, "SCRYPT", {"n": 16, "r": 1, "p": 1})
    monkeypatch.setattr(clinicians, "ARGON2", clinicians.CHEAP_ARGON2)


@pytest.fixture(autouse=True)
def _always_close():
    yield
    storage.close_database()


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "clinic.sqlite"


def pytest_generate_tests(metafunc):
    if "backend" in metafunc.fixturenames:
        from tests.conftest import backends_for

        metafunc.parametrize("backend", backends_for(metafunc))


@pytest.fixture
def opened(clinic_place):
    return storage.open_database(clinic_place, create=True)


@pytest.fixture
def doctor(opened):
    return storage.add_clinician(name="Dr Ada Test", role="clinician", password="correct horse")


@pytest.fixture
def staff(doctor):
    return storage.add_clinician(name="Sam Staff", role="staff", password="battery staple", author=doctor)


@pytest.fixture
def patient(doctor):
    return storage.add_patient(name="José Núñez López", born=dt.date(1961, 3, 4), identifier="TD-0001",
                               phone="555 0100", author=doctor)


PLAN_JSON = '{"drug":"lorazepam","start":"2026-01-05","steps":[]}'


def table_dump(path) -> dict[str, list[tuple]]:
    """Every table's rows in rowid order: for 'identical table by table' checks."""
    conn = sqlite3.connect(path)
    try:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {n: conn.execute(f'SELECT * FROM "{n}" ORDER BY rowid').fetchall() for n in names}
    finally:
        conn.close()
