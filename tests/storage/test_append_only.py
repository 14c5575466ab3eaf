"""History cannot be edited: the database itself refuses UPDATE and DELETE on the
append-only tables, whoever runs the statement."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from taperdesk import storage
from taperdesk.storage.migrations.m001_first_schema import APPEND_ONLY

from .conftest import PLAN_JSON


@pytest.fixture
def filled(db_path, doctor, patient):
    plan = storage.create_plan(patient_id=patient.id, plan=PLAN_JSON, settings={}, author=doctor)
    rev = storage.latest_revision(plan_id=plan.id)
    storage.add_symptom_entry(patient_id=patient.id, date=dt.date(2026, 1, 6), scale="daily",
                              items={"severity": 4, "sleep": 6}, author=doctor)
    storage.record_handout(revision_id=rev.id, kind="calendar", pdf=b"%PDF-1.7 test", author=doctor)
    storage.close_database()
    return db_path


@pytest.mark.parametrize("table", APPEND_ONLY)
@pytest.mark.parametrize("statement", ["UPDATE {t} SET id = id", "DELETE FROM {t}"])
def test_triggers_refuse_changes(filled, table, statement):
    conn = sqlite3.connect(filled)
    assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] >= 1
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute(statement.format(t=table))
    conn.close()


def test_append_only_refusal_through_peewee_is_a_storage_error(filled):
    storage.open_database(filled)
    from taperdesk.storage.connection import writing
    from taperdesk.storage.models import AuditEventRow

    with pytest.raises(storage.StorageError, match="append-only"):
        with writing():
            AuditEventRow.update(summary="rewritten").execute()
