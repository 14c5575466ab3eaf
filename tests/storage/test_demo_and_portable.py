"""The demo clinic has what the README promises, and a patient exported to the
portable format and imported into another clinic comes back whole."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from taperdesk import storage
from taperdesk.storage import errors
from taperdesk.storage.demo import make_demo
from taperdesk.storage.portable import FORMAT_VERSION, export_patient, import_patient

TODAY = dt.date(2026, 11, 27)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory, demo_copy):
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    return path, demo_copy(path, today=TODAY)


@pytest.fixture
def demo(demo_file, tmp_path):
    path = tmp_path / "demo.sqlite"
    shutil.copy(demo_file[0], path)
    return path, demo_file[1]


def test_demo_clinic_contents(demo):
    path, info = demo
    storage.open_database(path)
    assert storage.verify_password(name="demo", password=info.password) is not None
    people = storage.search_patients(text="", include_archived=True)
    assert len(people) == 12
    histories = [storage.patient_history(patient_id=p.id) for p in people]
    statuses = {ph.plan.status for h in histories for ph in h.plans}
    assert statuses == {"draft", "active", "paused", "completed", "stopped"}
    latest = [ph.latest.plan() for h in histories for ph in h.plans]
    assert any(p.crossover_to == "diazepam" for p in latest)
    assert any(p.holds() for p in latest)
    assert any(len(ph.revisions) > 1 and "slower" in ph.latest.reason for h in histories for ph in h.plans)
    entries = [e for h in histories for e in h.entries]
    scales = {e.scale for e in entries}
    assert scales == {"daily", "ciwa-b"}  # the BWSQ waits for a clinic's licensed wording
    assert all(len(e.items) == 20 and max(e.items.values()) <= 4 for e in entries if e.scale == "ciwa-b")
    daily_days = {e.date for e in entries if e.scale == "daily"}
    assert (max(daily_days) - min(daily_days)).days > 90
    assert any(e.retracted for e in entries) and any(e.supersedes and not e.retracted for e in entries)


def test_demo_is_deterministic(demo_file, tmp_path):
    again = tmp_path / "again.sqlite"
    make_demo(again, today=TODAY)

    def shape(path):
        storage.open_database(path, auto_backup=False)
        try:
            return [(h.patient.name, [r.plan_json for ph in h.plans for r in ph.revisions],
                     [(e.date, dict(e.items)) for e in h.entries])
                    for h in (storage.patient_history(patient_id=p.id)
                              for p in storage.search_patients(text=""))]
        finally:
            storage.close_database()

    assert shape(again) == shape(demo_file[0])


def test_demo_refuses_an_existing_file(demo):
    with pytest.raises(errors.InvalidInputError, match="already exists"):
        make_demo(demo[0])


def _essence(doc):
    plans = [(p["drug"], p["status"], [e["status"] for e in p["status_events"]],
              [(r["number"], r["plan_json"], r["settings"], r["created_at"],
                [(h["kind"], h["sha256"]) for h in r["handouts"]]) for r in p["revisions"]])
             for p in doc["plans"]]
    refs = {e["ref"]: i for i, e in enumerate(doc["symptom_entries"])}
    entries = [(e["date"], e["scale"], e["items"], e["total"], e["entered_at"], e["retracted"],
                refs.get(e["supersedes"])) for e in doc["symptom_entries"]]
    patient = {k: v for k, v in doc["patient"].items()}
    return patient, plans, entries


def test_export_import_round_trip(demo, tmp_path):
    path, _ = demo
    storage.open_database(path)
    author = storage.list_clinicians()[0]
    margaret = storage.find_patient_by_identifier(identifier="DEMO-001")
    rev = storage.latest_revision(plan_id=storage.plans_for_patient(patient_id=margaret.id)[0].id)
    storage.record_handout(revision_id=rev.id, kind="calendar", pdf=b"%PDF-1.7 demo", author=author)
    exported = export_patient(patient_id=margaret.id)
    assert exported["format_version"] == FORMAT_VERSION
    storage.close_database()

    storage.open_database(tmp_path / "other.sqlite", create=True)
    doc = storage.add_clinician(name="Dr Other", role="clinician", password="long enough")
    imported = import_patient(document=exported, author=doc)
    again = export_patient(patient_id=imported.id)
    assert _essence(again) == _essence(exported)
    first = again["symptom_entries"][0]
    assert "imported from Harbour Street Clinic (demo); by demo" in first["note"]
    [event] = [e for e in storage.audit_events() if e.action == "import"]
    assert event.entity_id == imported.id

    with pytest.raises(errors.InvalidInputError, match="already belongs"):
        import_patient(document=exported, author=doc)
    assert len(storage.search_patients(text="")) == 1  # the failed import left nothing behind


@pytest.mark.parametrize("document,match", [
    ({"format": "other"}, "not a TaperDesk patient file"),
    ({"format": "taperdesk-patient", "format_version": 99}, "newer"),
    ({"format": "taperdesk-patient", "format_version": 1, "patient": {}, "plans": [], "symptom_entries": []},
     "the patient's name is missing"),
])
def test_import_rejects_bad_documents(doctor, document, match):
    with pytest.raises(errors.InvalidInputError, match=match):
        import_patient(document=document, author=doctor)
