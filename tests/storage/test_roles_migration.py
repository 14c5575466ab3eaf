"""Migration 11 on a file from before roles: every clinician becomes
administrator and prescriber (what they could do before), every staff account
a nurse; a single-clinician clinic signs in and works as it did."""

from __future__ import annotations

import datetime as dt

from peewee import SqliteDatabase

from taperdesk import storage
from taperdesk.clinic import plans
from taperdesk.core.planner import make_plan
from taperdesk.core.regimen import Regimen
from taperdesk.core.settings import PlanSettings
from taperdesk.storage import clinicians
from taperdesk.storage.migrations import apply_migrations


def _schema_10_file(path) -> None:
    """Two accounts made by the schema-10 code (real argon2id hashes), then closed."""
    storage.open_database(path, create=True, auto_backup=False)
    storage.close_database()
    old = SqliteDatabase(str(path), pragmas={"journal_mode": "wal", "foreign_keys": 1})
    old.connect()
    old.execute_sql("DROP TABLE hold_delegation")
    old.execute_sql("DROP TABLE patient_lock")
    old.execute_sql("DROP TABLE other_medicine")  # schema 13 (its triggers and index go with it)
    for later in ("support_agreed", "support_list", "day_list_item", "day_list_kept"):  # schemas 14, 15, 16
        old.execute_sql(f"DROP TABLE {later}")
    for column in ("roles", "must_change_password"):
        old.execute_sql(f"ALTER TABLE clinician DROP COLUMN {column}")
    old.execute_sql("PRAGMA user_version = 10")
    params = clinicians.ARGON2_SCHEME
    for name, role in (("Dr Old", "clinician"), ("Sam Staff", "staff")):
        pw = clinicians._hasher().hash("long enough 1").encode("ascii")
        old.execute_sql("INSERT INTO clinician (name, name_key, role, password_hash, password_salt, password_params,"
                        " active, created_at) VALUES (?, ?, ?, ?, x'', ?, 1, '2025-01-01T00:00:00.000000Z')",
                        (name, name.lower(), role, pw, params))
    old.close()


def test_old_accounts_get_the_roles_they_had(db_path):
    _schema_10_file(db_path)
    session = storage.open_database(db_path, auto_backup=False)
    assert 11 in session.migrated
    doctor = storage.verify_password(name="Dr Old", password="long enough 1")
    staff = storage.verify_password(name="Sam Staff", password="long enough 1")
    assert doctor.roles == ("administrator", "prescriber") and not doctor.must_change_password
    assert staff.roles == ("nurse",)
    # the single clinician works as before: a patient, a plan, settings
    patient = storage.add_patient(name="Ana", born=dt.date(1960, 1, 1), identifier="TD-1", author=doctor)
    settings = PlanSettings(start=dt.date(2026, 12, 1))
    plans.start_plan(patient_id=patient.id, plan=make_plan(Regimen("diazepam", (("night", 5.0),)), settings),
                     settings=settings, author=doctor)
    assert storage.audit_events(limit=1)[0].summary.endswith("(as prescriber)")
    assert apply_migrations(session_db()) == []


def session_db():
    from taperdesk.storage.models import db

    return db
