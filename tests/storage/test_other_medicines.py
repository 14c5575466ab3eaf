"""Other medicines, substances and alcohol: recorded by appending (a change or a stop
supersedes the row before), refused in place by the database, chained, and shown
as a history of what was taken when."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from taperdesk import storage
from taperdesk.storage.errors import InvalidInputError
from taperdesk.storage.verify import verify_clinic


def test_record_change_stop_and_alcohol_keep_the_history(doctor, patient):
    oxy = storage.record_other_medicine(patient_id=patient.id, name=" oxycodone ", dose="10 mg twice a day",
                                        since=dt.date(2025, 6, 1), author=doctor)
    assert oxy.name == "oxycodone" and oxy.kind == "medicine"
    storage.record_other_medicine(patient_id=patient.id, name="cannabis", kind="substance", author=doctor)
    changed = storage.change_other_medicine(record_id=oxy.id, name="oxycodone", dose="5 mg twice a day",
                                            since=dt.date(2025, 6, 1), author=doctor)
    assert changed.supersedes_id == oxy.id
    storage.set_alcohol_units(patient_id=patient.id, units_week=20, author=doctor)
    storage.set_alcohol_units(patient_id=patient.id, units_week=20, author=doctor)  # unchanged: no new row
    now = storage.other_medicines(patient_id=patient.id)
    assert [r.describe() for r in now.current] == ["oxycodone 5 mg twice a day since 2025-06-01",
                                                   "cannabis (substance)"]
    assert now.alcohol_units == 20
    storage.stop_other_medicine(record_id=changed.id, stopped=dt.date(2026, 1, 10), author=doctor)
    storage.set_alcohol_units(patient_id=patient.id, units_week=0, author=doctor)
    now = storage.other_medicines(patient_id=patient.id)
    assert [r.name for r in now.current] == ["cannabis"] and now.alcohol_units == 0
    assert [r.describe() for r in now.history] == [
        "oxycodone 10 mg twice a day since 2025-06-01", "cannabis (substance)",
        "oxycodone 5 mg twice a day since 2025-06-01", "alcohol 20 units a week",
        "oxycodone 5 mg twice a day since 2025-06-01 stopped 2026-01-10", "alcohol 0 units a week"]
    assert [m.name for m in now.as_core()] == ["cannabis"]
    assert [e.summary for e in storage.patient_audit_events(patient_id=patient.id)
            if e.entity == "other_medicine"][0] == "alcohol 0 units a week for José Núñez López (TD-0001)"


def test_an_old_row_cannot_be_changed_twice(doctor, patient):
    oxy = storage.record_other_medicine(patient_id=patient.id, name="oxycodone", author=doctor)
    storage.change_other_medicine(record_id=oxy.id, name="oxycodone", dose="5 mg", author=doctor)
    with pytest.raises(InvalidInputError, match="was changed since"):
        storage.stop_other_medicine(record_id=oxy.id, stopped=dt.date(2026, 1, 1), author=doctor)


@pytest.mark.parametrize("call, message", [
    (lambda p, d: storage.record_other_medicine(patient_id=p, name="  ", author=d), "Enter the name"),
    (lambda p, d: storage.record_other_medicine(patient_id=p, name="x" * 300, author=d), "too long"),
    (lambda p, d: storage.record_other_medicine(patient_id=p, name="x", kind="food", author=d), "Kind must be"),
    (lambda p, d: storage.set_alcohol_units(patient_id=p, units_week=-1, author=d), "from 0 to 500"),
    (lambda p, d: storage.set_alcohol_units(patient_id=p, units_week=float("nan"), author=d), "from 0 to 500"),
])
def test_bad_input_is_refused_in_one_line(doctor, patient, call, message):
    with pytest.raises(InvalidInputError, match=message):
        call(patient.id, doctor)
    assert storage.other_medicines(patient_id=patient.id).history == ()


def test_the_database_refuses_edits_and_verify_names_a_hand_edit(db_path, doctor, patient):
    storage.record_other_medicine(patient_id=patient.id, name="oxycodone", author=doctor)
    storage.close_database()
    conn = sqlite3.connect(db_path, isolation_level=None)
    for sql in ("UPDATE other_medicine SET name = 'paracetamol'", "DELETE FROM other_medicine"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(sql)
    trigger = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'other_medicine_no_update'").fetchone()[0]
    conn.execute("DROP TRIGGER other_medicine_no_update")
    conn.execute("UPDATE other_medicine SET name = 'paracetamol'")
    conn.execute(trigger)
    conn.close()
    storage.open_database(db_path, read_only=True)
    found = [f.line for f in verify_clinic().findings]
    assert found == ["José Núñez López (TD-0001): other medicine record 1 does not match its hash chain "
                     "(it was changed, replaced or removed after it was saved)"]


def test_a_read_only_account_cannot_record_them(doctor, patient):
    from taperdesk.clinic import records
    from taperdesk.clinic.permissions import PermissionRefused

    viewer = storage.add_clinician(name="Val Viewer", role="read-only", password="battery staple", author=doctor)
    with pytest.raises(PermissionRefused, match="change a patient's details"):
        records.record_other_medicine(patient_id=patient.id, name="oxycodone", author=viewer)
    with pytest.raises(PermissionRefused):
        records.set_alcohol_units(patient_id=patient.id, units_week=10, author=viewer)
    nurse = storage.add_clinician(name="Nia Nurse", role="nurse", password="battery staple", author=doctor)
    made = records.record_other_medicine(patient_id=patient.id, name="oxycodone", author=nurse)
    assert storage.other_medicines(patient_id=patient.id).current == (made,)
