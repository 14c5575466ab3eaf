"""Repository behaviour: accounts and roles, patient search, plans and their
revisions and statuses, symptom corrections and retractions, and the rule that
every write carries its audit event in the same transaction."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from taperdesk import storage
from taperdesk.storage import errors

from .conftest import PLAN_JSON


# accounts -----------------------------------------------------------------

def test_first_start_has_no_account_and_no_default_password(opened):
    assert not storage.has_clinicians()
    assert storage.verify_password(name="admin", password="admin") is None


def test_first_account_must_be_a_clinician(opened):
    with pytest.raises(errors.PermissionDeniedError):
        storage.add_clinician(name="Front Desk", role="staff", password="long enough")


def test_later_accounts_need_a_clinician_author(doctor, staff):
    with pytest.raises(errors.PermissionDeniedError):
        storage.add_clinician(name="Nobody", role="staff", password="long enough")
    with pytest.raises(errors.PermissionDeniedError):
        storage.add_clinician(name="Other", role="staff", password="long enough", author=staff)
    assert [c.name for c in storage.list_clinicians()] == ["Dr Ada Test", "Sam Staff"]


def test_password_verification(doctor):
    assert storage.verify_password(name="dr ada test", password="correct horse") == doctor
    assert storage.verify_password(name="Dr Ada Test", password="wrong horse") is None
    with pytest.raises(errors.InvalidInputError, match="at least"):
        storage.add_clinician(name="Short", role="staff", password="short", author=doctor)
    with pytest.raises(errors.InvalidInputError, match="already"):
        storage.add_clinician(name="DR ADA TEST", role="staff", password="long enough", author=doctor)


def test_inactive_account_cannot_log_in_or_write(doctor, staff, patient):
    storage.set_clinician_active(clinician_id=staff.id, active=False, author=doctor)
    assert storage.verify_password(name="Sam Staff", password="battery staple") is None
    with pytest.raises(errors.PermissionDeniedError, match="inactive"):
        storage.add_symptom_entry(patient_id=patient.id, date=dt.date(2026, 1, 1), scale="daily",
                                  items={"severity": 1}, author=staff)


def test_change_password(doctor, staff):
    storage.change_password(clinician_id=staff.id, new_password="new password", author=staff)
    assert storage.verify_password(name="Sam Staff", password="new password") is not None
    with pytest.raises(errors.PermissionDeniedError):
        storage.change_password(clinician_id=doctor.id, new_password="hijacked!!", author=staff)


# clinic settings -----------------------------------------------------------

def test_clinic_settings_round_trip(doctor):
    new = dataclasses.replace(storage.get_clinic_settings(), name="Harbour Clinic", paper_size="Letter",
                              prescribers=("Dr Ada Test",), stock={"diazepam": [2, 5, 10]}, backup_keep=7)
    assert storage.save_clinic_settings(settings=new, author=doctor) == new
    [event] = storage.audit_events(entity="clinic_settings")
    assert "name" in event.summary and "paper_size" in event.summary
    with pytest.raises(errors.InvalidInputError, match="A4 or Letter"):
        storage.save_clinic_settings(settings=dataclasses.replace(new, paper_size="A5"), author=doctor)


# patients -----------------------------------------------------------------

def test_search_by_any_name_word_prefix_or_identifier(doctor, patient):
    storage.add_patient(name="Ana Smith", born=dt.date(1980, 1, 1), identifier="TD-0002", author=doctor)
    storage.add_patient(name="Lopez Ana", born=dt.date(1990, 1, 1), identifier="X-9", author=doctor)
    names = lambda text: [p.name for p in storage.search_patients(text=text)]  # noqa: E731
    assert names("lop") == ["José Núñez López", "Lopez Ana"]
    assert names("JOSE nun") == ["José Núñez López"]
    assert names("ana") == ["Ana Smith", "Lopez Ana"]
    assert names("td-000") == ["Ana Smith", "José Núñez López"]
    assert names("zz") == []
    assert len(storage.search_patients(text="", limit=2)) == 2


def test_identifier_is_unique_ignoring_case(doctor, patient):
    with pytest.raises(errors.InvalidInputError, match="already belongs"):
        storage.add_patient(name="Someone", born=dt.date(1970, 1, 1), identifier="td-0001", author=doctor)


def test_update_and_archive_patient(doctor, patient):
    changed = storage.update_patient(patient_id=patient.id, name="José Núñez", phone="555 0199", author=doctor)
    assert changed.phone == "555 0199" and storage.search_patients(text="lopez") == []
    storage.set_patient_archived(patient_id=patient.id, archived=True, author=doctor)
    assert storage.search_patients(text="jose") == []
    assert storage.search_patients(text="jose", include_archived=True)[0].archived
    with pytest.raises(errors.InvalidInputError):
        storage.update_patient(patient_id=patient.id, archived=False, author=doctor)


def test_patient_input_checks(doctor):
    with pytest.raises(errors.InvalidInputError, match="future"):
        storage.add_patient(name="Future", born=dt.date.today() + dt.timedelta(days=2), identifier="F",
                            author=doctor)
    with pytest.raises(errors.InvalidInputError, match="name"):
        storage.add_patient(name="  ", born=dt.date(1970, 1, 1), identifier="F", author=doctor)


# plans --------------------------------------------------------------------

def test_plan_revisions_append(doctor, patient):
    plan = storage.create_plan(patient_id=patient.id, plan=PLAN_JSON, settings={"pace": 10}, author=doctor)
    assert plan.status == "draft" and plan.drug == "lorazepam"
    held = PLAN_JSON.replace("[]", '[{"kind":"hold"}]')
    rev2 = storage.save_revision(plan_id=plan.id, plan=held, settings={"pace": 10}, author=doctor,
                                 reason="hold 14 days: poor sleep")
    revs = storage.revisions(plan_id=plan.id)
    assert [r.number for r in revs] == [1, 2] and revs[0].plan_json == PLAN_JSON
    assert rev2.plan_json == held and rev2.reason == "hold 14 days: poor sleep"
    assert revs[1].settings_json == '{"pace":10}'
    with pytest.raises(errors.InvalidInputError, match="reason|why"):
        storage.save_revision(plan_id=plan.id, plan=held, settings={}, author=doctor, reason=" ")
    with pytest.raises(errors.InvalidInputError, match="diazepam"):
        storage.save_revision(plan_id=plan.id, plan=PLAN_JSON.replace("lorazepam", "diazepam"),
                              settings={}, author=doctor, reason="x")


def test_status_changes_are_events(doctor, patient):
    plan = storage.create_plan(patient_id=patient.id, plan=PLAN_JSON, settings={}, author=doctor)
    for status in ("active", "paused", "active", "completed"):
        storage.set_plan_status(plan_id=plan.id, status=status, author=doctor, reason=f"to {status}")
    history = storage.plan_history(plan_id=plan.id)
    assert history.plan.status == "completed"
    assert [e.status for e in history.status_events] == ["draft", "active", "paused", "active", "completed"]
    with pytest.raises(errors.InvalidInputError, match="cannot become"):
        storage.set_plan_status(plan_id=plan.id, status="active", author=doctor, reason="again")
    with pytest.raises(errors.InvalidInputError, match="new plan"):
        storage.save_revision(plan_id=plan.id, plan=PLAN_JSON, settings={}, author=doctor, reason="late")


def test_staff_may_not_plan_but_may_record_symptoms(staff, patient):
    with pytest.raises(errors.PermissionDeniedError, match="Only a prescriber may make or start a plan; Sam Staff is a nurse"):
        storage.create_plan(patient_id=patient.id, plan=PLAN_JSON, settings={}, author=staff)
    entry = storage.add_symptom_entry(patient_id=patient.id, date=dt.date(2026, 1, 2), scale="daily",
                                      items={"severity": 3, "sleep": 7}, author=staff)
    assert entry.total == 10 and entry.entered_by == staff.id


# symptoms ----------------------------------------------------------------

def test_correction_and_retraction_keep_history(doctor, staff, patient):
    first = storage.add_symptom_entry(patient_id=patient.id, date=dt.date(2026, 1, 2), scale="daily",
                                      items={"severity": 3, "sleep": 7}, author=staff)
    other = storage.add_symptom_entry(patient_id=patient.id, date=dt.date(2026, 1, 3), scale="daily",
                                      items={"severity": 2, "sleep": 8}, author=staff)
    fixed = storage.correct_symptom_entry(entry_id=first.id, items={"severity": 5, "sleep": 7},
                                          author=doctor, note="patient called back")
    assert fixed.supersedes == first.id and fixed.total == 12
    with pytest.raises(errors.InvalidInputError, match="already replaced"):
        storage.correct_symptom_entry(entry_id=first.id, items={"severity": 1}, author=doctor, note="x")
    gone = storage.retract_symptom_entry(entry_id=other.id, reason="wrong patient", author=doctor)
    assert gone.retracted and gone.items == other.items
    current = storage.symptom_entries(patient_id=patient.id)
    assert [e.id for e in current] == [fixed.id]
    everything = storage.symptom_entries(patient_id=patient.id, include_history=True)
    assert {e.id for e in everything} == {first.id, other.id, fixed.id, gone.id}
    history = storage.patient_history(patient_id=patient.id)
    assert history.current_entries() == tuple(current) and len(history.entries) == 4


def test_symptom_input_checks(doctor, patient):
    bad = [({"severity": 11}, "0-10"), ({"severity": 1.5}, "whole"), ({}, "at least one")]
    for items, match in bad:
        with pytest.raises(errors.InvalidInputError, match=match):
            storage.add_symptom_entry(patient_id=patient.id, date=dt.date(2026, 1, 2), scale="daily",
                                      items=items, author=doctor)
    with pytest.raises(errors.NotFoundError):
        storage.add_symptom_entry(patient_id=999, date=dt.date(2026, 1, 2), scale="daily",
                                  items={"severity": 1}, author=doctor)


# audit and history -------------------------------------------------------

def test_every_write_has_its_audit_event(doctor, staff, patient):
    plan = storage.create_plan(patient_id=patient.id, plan=PLAN_JSON, settings={}, author=doctor)
    storage.set_plan_status(plan_id=plan.id, status="active", author=doctor, reason="start")
    actions = [(e.action, e.entity, e.clinician_id) for e in reversed(storage.audit_events())]
    assert actions == [
        ("create", "clinician", doctor.id), ("create", "clinician", doctor.id),
        ("create", "patient", doctor.id), ("create", "plan", doctor.id), ("status", "plan", doctor.id)]
    assert all(e.at.tzinfo is not None for e in storage.audit_events())


def test_failed_write_leaves_no_audit_event(doctor, patient):
    before = storage.audit_events()
    with pytest.raises(errors.NotFoundError):
        storage.save_revision(plan_id=12345, plan=PLAN_JSON, settings={}, author=doctor, reason="x")
    assert storage.audit_events() == before


def test_patient_history_collects_everything(doctor, patient):
    a = storage.create_plan(patient_id=patient.id, plan=PLAN_JSON, settings={}, author=doctor)
    storage.save_revision(plan_id=a.id, plan=PLAN_JSON, settings={}, author=doctor, reason="revise")
    storage.set_plan_status(plan_id=a.id, status="stopped", author=doctor, reason="switch")
    b = storage.create_plan(patient_id=patient.id, plan=PLAN_JSON, settings={}, author=doctor)
    history = storage.patient_history(patient_id=patient.id)
    assert [p.plan.id for p in history.plans] == [a.id, b.id]
    assert [r.number for r in history.plans[0].revisions] == [1, 2]
    assert history.plans[0].latest.reason == "revise"
    assert [e.status for e in history.plans[0].status_events] == ["draft", "stopped"]


def test_handouts_keep_pdf_bytes(doctor, patient):
    plan = storage.create_plan(patient_id=patient.id, plan=PLAN_JSON, settings={}, author=doctor)
    rev = storage.latest_revision(plan_id=plan.id)
    pdf = b"%PDF-1.7\n" + bytes(range(256)) * 10
    h = storage.record_handout(revision_id=rev.id, kind="patient calendar", pdf=pdf, author=doctor)
    assert storage.handouts_for_revision(revision_id=rev.id) == [h] and h.size == len(pdf)
    assert storage.handout_pdf(handout_id=h.id) == pdf
    with pytest.raises(errors.InvalidInputError, match="PDF"):
        storage.record_handout(revision_id=rev.id, kind="x", pdf=b"hello", author=doctor)


def test_repositories_work_from_a_worker_thread(doctor, patient):
    from concurrent.futures import ThreadPoolExecutor

    from taperdesk.storage.models import db

    def work():
        try:
            storage.add_symptom_entry(patient_id=patient.id, date=dt.date(2026, 1, 2), scale="daily",
                                      items={"severity": 2}, author=doctor)
            return [p.name for p in storage.search_patients(text="jose")]
        finally:
            db.close()

    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(work).result() == [patient.name]
    assert len(storage.symptom_entries(patient_id=patient.id)) == 1


def test_core_plans_round_trip_byte_for_byte(doctor, patient):
    from taperdesk.core.edits import hold
    from taperdesk.core.planner import make_plan
    from taperdesk.core.regimen import Regimen
    from taperdesk.core.settings import PlanSettings

    settings = PlanSettings(start=dt.date(2026, 1, 5), crossover=True)
    plan = make_plan(Regimen("lorazepam", (("morning", 1.0), ("night", 1.0))), settings)
    record = storage.create_plan(patient_id=patient.id, plan=plan, settings=settings, author=doctor)
    held = hold(plan, dt.date(2026, 2, 2), 14, "poor sleep")
    storage.save_revision(plan_id=record.id, plan=held, settings=settings, author=doctor, reason="hold 14 days")
    first, second = storage.revisions(plan_id=record.id)
    # stored compact (no indentation); read back, the core writes the same bytes it wrote before saving
    assert "\n" not in first.plan_json and first.plan().to_json() == plan.to_json() and first.plan() == plan
    assert second.plan() == held and second.plan().holds()
    assert second.settings() == settings
