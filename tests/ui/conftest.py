"""Database fixtures for the UI tests: a fresh temporary clinic file per test
(WAL needs a real file), closed again at teardown, and a first clinician."""

from __future__ import annotations

import pytest

from taperdesk import storage
from taperdesk.storage import clinicians


@pytest.fixture
def db(tmp_path, monkeypatch):
    """An open, empty clinic database; password hashing made cheap for speed."""
    monkeypatch.setattr(clinicians, "SCRYPT", {"n": 16, "r": 1, "p": 1})
    monkeypatch.setattr(clinicians, "ARGON2", clinicians.CHEAP_ARGON2)
    opened = storage.open_database(tmp_path / "clinic.sqlite", create=True, auto_backup=False)
    yield opened
    storage.close_database()


@pytest.fixture
def clinician(db):
    return storage.add_clinician(name="Dr Ada Test", role="clinician", password="correct horse")


@pytest.fixture(autouse=True)
def fresh_settings(tmp_path, qapp):
    """QSettings (window geometry, idle minutes) go to a temporary folder, never the user's own."""
    from PySide6.QtCore import QSettings

    qapp.setOrganizationName("TaperDesk-tests")
    qapp.setApplicationName("TaperDesk")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    yield


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory, demo_copy):
    """The module's demo clinic (a copy of the run's), copied again for each test by `open_demo`."""
    path = tmp_path_factory.mktemp("demo-template") / "demo.sqlite"
    demo_copy(path)
    return path


@pytest.fixture
def open_demo(demo_template, tmp_path):
    """This test's own copy of the demo clinic, open; closed after the test."""
    import shutil

    from taperdesk import storage

    path = tmp_path / "demo.sqlite"
    shutil.copy(demo_template, path)
    storage.open_database(path, auto_backup=False)
    yield path
    storage.close_database()
