"""The History tab on a temporary clinic: revisions with what each changed,
status changes, and the patient's own audit trail (no one else's)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from PySide6.QtCore import Qt

from taperdesk import storage
from taperdesk.core.edits import hold
from taperdesk.core.plan_diff import diff_plans, first_plan_summary
from taperdesk.core.planner import make_plan
from taperdesk.core.regimen import Regimen
from taperdesk.core.settings import PlanSettings
from taperdesk.ui.history import HistoryTab, RecordTableModel, local_time

START = dt.date(2026, 1, 5)
SETTINGS = PlanSettings(start=START)


@pytest.fixture
def record(clinician):
    """A patient with a plan, a hold (revision 2), a status change, a symptom entry and a handout."""
    nurse = storage.add_clinician(name="Sam Staff", role="staff", password="battery staple", author=clinician)
    patient = storage.add_patient(name="Zoë Test", born=dt.date(1970, 5, 1), identifier="TD-1", author=clinician)
    other = storage.add_patient(name="Other Person", born=dt.date(1980, 1, 1), identifier="TD-2", author=clinician)
    plan = make_plan(Regimen("diazepam", (("night", 10.0),)), SETTINGS)
    held = hold(plan, dt.date(2026, 2, 10), 14, "poor sleep")
    rec = storage.create_plan(patient_id=patient.id, plan=plan, settings=SETTINGS, author=clinician)
    rev2 = storage.save_revision(plan_id=rec.id, plan=held, settings=SETTINGS, author=clinician,
                                 reason="hold: poor sleep")
    storage.set_plan_status(plan_id=rec.id, status="active", author=clinician, reason="agreed")
    entry = storage.add_symptom_entry(patient_id=patient.id, date=dt.date.today(), scale="daily",
                                      items={"severity": 3, "sleep": 5}, author=nurse)
    storage.record_handout(revision_id=rev2.id, kind="calendar", pdf=b"%PDF-1.4 test", author=clinician)
    storage.create_plan(patient_id=other.id, plan=plan, settings=SETTINGS, author=clinician)
    storage.add_symptom_entry(patient_id=other.id, date=dt.date.today(), scale="daily",
                              items={"severity": 1, "sleep": 1}, author=nurse)
    return {"patient": patient, "plan": plan, "held": held, "record": rec, "rev2": rev2, "entry": entry,
            "nurse": nurse, "other": other}


@pytest.fixture
def tab(qtbot):
    widget = HistoryTab()
    qtbot.addWidget(widget)
    return widget


def column(model: RecordTableModel, col: int) -> list[str]:
    return [model.index(r, col).data() for r in range(model.rowCount())]


def test_revisions_listed_and_latest_change_shown(tab, record, clinician, qtmodeltester):
    tab.set_patient(record["patient"].id)
    tab.refresh()
    model = tab.revision_model
    qtmodeltester.check(model)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(5)] == [
        "Plan", "Revision", "When", "Author", "Reason"]
    assert column(model, 1) == ["1", "2"]
    assert column(model, 0)[0].startswith("diazepam, ")
    assert column(model, 3) == [clinician.name, clinician.name]
    assert column(model, 4) == ["first plan", "hold: poor sleep"]
    assert column(model, 2)[1] == local_time(record["rev2"].created_at)
    # the newest revision is selected and its changes shown
    assert tab.revisions_view.currentIndex().row() == 1
    assert tab.shown_changes() == diff_plans(record["plan"], record["held"])
    assert tab.shown_changes()[0] == "Hold added from 10 Feb 2026 for 14 days (poor sleep)."


def test_first_revision_shows_the_plan_summary(tab, record):
    tab.set_patient(record["patient"].id)
    tab.refresh()
    assert tab.select_revision(storage.revisions(plan_id=record["record"].id)[0].id)
    assert tab.shown_changes() == first_plan_summary(record["plan"])
    assert tab.shown_changes()[0].startswith("First plan: diazepam")
    assert not tab.select_revision(10_000)


def test_status_events(tab, record, clinician, qtmodeltester):
    tab.set_patient(record["patient"].id)
    tab.refresh()
    qtmodeltester.check(tab.status_model)
    assert column(tab.status_model, 1) == ["Draft (not started)", "Active"]  # the labels every screen uses
    assert column(tab.status_model, 3) == [clinician.name, clinician.name]
    assert column(tab.status_model, 4) == ["plan created", "agreed"]


def test_audit_trail_is_this_patients_only(tab, record, clinician, qtmodeltester):
    tab.set_patient(record["patient"].id)
    tab.refresh()
    model = tab.audit_model
    qtmodeltester.check(model)
    rows = [(model.index(r, 1).data(), model.index(r, 2).data(), model.index(r, 3).data())
            for r in range(model.rowCount())]
    entities = {(r.event.entity, r.event.entity_id) for r in model.records()}
    assert entities == {("patient", record["patient"].id), ("plan", record["record"].id),
                        ("symptom_entry", record["entry"].id),
                        ("handout", storage.handouts_for_revision(revision_id=record["rev2"].id)[0].id)}
    # newest first: the handout, the symptom entry, then the plan's status, revision, creation, the patient
    assert [a for _, a, _ in rows] == ["print", "create", "status", "revise", "create", "create"]
    assert rows[0][0] == clinician.name and rows[1][0] == "Sam Staff"  # a nurse records symptoms, not handouts
    assert rows[1][2].endswith("(as nurse)") and rows[0][2].endswith("(as prescriber)")
    assert rows[-1] == (clinician.name, "create", "added patient Zoë Test (TD-1) (as prescriber)")
    assert not any("TD-2" in summary for _, _, summary in rows)


def test_no_patient_and_switching(tab, record, qtmodeltester):
    tab.set_patient(record["patient"].id)
    tab.refresh()
    tab.set_patient(None)
    assert tab.revision_model.rowCount() == tab.audit_model.rowCount() == 0
    assert tab.shown_changes() == []
    qtmodeltester.check(tab.revision_model)
    tab.set_patient(record["other"].id)
    tab.refresh()
    assert column(tab.revision_model, 1) == ["1"]


def test_loads_when_shown(tab, record, qtbot):
    tab.set_patient(record["patient"].id)  # hidden: deferred
    assert tab.revision_model.rowCount() == 0
    tab.show()
    qtbot.waitExposed(tab)
    assert tab.revision_model.rowCount() == 2
    tab.set_patient(record["other"].id)  # visible: at once
    assert tab.revision_model.rowCount() == 1


def test_unreadable_revision_and_storage_error(tab, clinician):
    patient = storage.add_patient(name="Old Format", born=dt.date(1970, 1, 1), identifier="TD-9", author=clinician)
    storage.create_plan(patient_id=patient.id, plan='{"drug":"lorazepam","start":"2026-01-05","steps":[]}',
                        settings={"start": "2026-01-05"}, author=clinician)
    tab.set_patient(patient.id)
    tab.refresh()
    assert tab.shown_changes()[0].startswith("This revision's stored plan cannot be read")
    tab.set_patient(9999)
    tab.refresh()
    assert "No patient with id 9999" in tab.message.text()
    assert tab.revision_model.rowCount() == 0


def test_keyboard_order_and_buddies(tab):
    from PySide6.QtWidgets import QLabel

    order, widget = [], tab.revisions_view
    for _ in range(4):
        order.append(widget.objectName())
        widget = widget.nextInFocusChain()
        while not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            widget = widget.nextInFocusChain()
    assert order == ["revisions", "changes", "status_events", "audit"]
    buddies = {label.text(): label.buddy() for label in tab.findChildren(QLabel) if label.buddy()}
    assert buddies["Plans and &revisions"] is tab.revisions_view
    assert buddies["Audit &trail for this patient"] is tab.audit_view


def test_audit_trail_names_the_patient_and_the_plans_revision_numbers(tab, clinician, qtmodeltester):
    """Not 'patient 5' (a database id) nor the revision's database id: the patient's
    name and identifier, and the revision number the plan shows."""
    plan = make_plan(Regimen("diazepam", (("night", 10.0),)), SETTINGS)
    earlier = storage.add_patient(name="First Patient", born=dt.date(1960, 1, 1), identifier="TD-0", author=clinician)
    for _ in range(3):  # other revisions first, so database ids and this plan's numbers differ
        storage.create_plan(patient_id=earlier.id, plan=plan, settings=SETTINGS, author=clinician)
    zoe = storage.add_patient(name="Zoë Test", born=dt.date(1970, 5, 1), identifier="TD-1", author=clinician)
    rec = storage.create_plan(patient_id=zoe.id, plan=plan, settings=SETTINGS, author=clinician)
    rev2 = storage.save_revision(plan_id=rec.id, plan=hold(plan, dt.date(2026, 2, 10), 14, "poor sleep"),
                                 settings=SETTINGS, author=clinician, reason="hold: poor sleep")
    assert rev2.id != rev2.number == 2
    storage.set_plan_status(plan_id=rec.id, status="active", author=clinician, reason="agreed")
    entry = storage.add_symptom_entry(patient_id=zoe.id, date=dt.date.today(), scale="daily",
                                      items={"severity": 3, "sleep": 5}, author=clinician)
    storage.correct_symptom_entry(entry_id=entry.id, items={"severity": 4, "sleep": 5}, author=clinician,
                                  note="typo")
    storage.record_handout(revision_id=rev2.id, kind="patient", pdf=b"%PDF-1.4 test", author=clinician)
    tab.set_patient(zoe.id)
    tab.refresh()
    qtmodeltester.check(tab.audit_model)
    summaries = column(tab.audit_model, 3)
    assert len(summaries) == 7
    assert all("Zoë Test (TD-1)" in s for s in summaries), summaries
    assert not any(re.search(rf"patient {zoe.id}\b|entry {entry.id}\b|revision {rev2.id}\b", s) for s in summaries)
    handout = summaries[0]
    assert handout.startswith("patient handout of revision 2 of the diazepam plan for Zoë Test (TD-1)")
    assert any(s.startswith("revision 2 of the diazepam plan for Zoë Test (TD-1): hold: poor sleep") for s in summaries)


def test_older_audit_words_are_shown_in_the_clinics_words():
    from taperdesk.ui.history import clinic_words

    zoe = storage.Patient(5, "Zoë Test", dt.date(1970, 5, 1), "TD-1", "", "", False,
                          dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    assert clinic_words("daily 2026-01-05 total 8 for patient 5", zoe, {}) == \
        "daily 2026-01-05 total 8 for patient Zoë Test (TD-1)"
    assert clinic_words("added patient TD-1", zoe, {}) == "added patient Zoë Test (TD-1)"
    assert clinic_words("calendar for revision 14, sha256 abc", zoe, {14: 3}) == "calendar for revision 3, sha256 abc"


def _append_chained(table: str, rows: list[dict]) -> list[int]:
    """Rows written as storage writes them (ids and chain hashes), in one statement: a
    thousand entries through add_symptom_entry took seconds of the suite's time."""
    from taperdesk.storage import chain
    from taperdesk.storage.models import db

    last_id, previous = chain.last_hash(db, table)
    fields, out, ids = chain.FIELDS[table], [], []
    for row in rows:
        last_id += 1
        values = tuple(last_id if f == "id" else row.get(f) for f in fields)
        previous = chain.digest(table, values, previous)
        out.append((*values, previous))
        ids.append(last_id)
    marks = ", ".join("?" * (len(fields) + 1))
    with db.atomic():
        db.connection().executemany(f"INSERT INTO {table} ({', '.join(fields)}, chain_hash) VALUES ({marks})", out)
    return ids


def test_ten_entries_or_a_thousand_the_tab_reads_in_the_same_statements(tab, clinician):
    """Every statement SQLite runs is counted (its trace callback), not only those through
    one helper: a patient with 10 daily entries and the same patient with 1,000."""
    from taperdesk.storage.models import db

    patient = storage.add_patient(name="Long Record", born=dt.date(1960, 1, 1), identifier="TD-L", author=clinician)
    storage.create_plan(patient_id=patient.id, plan=make_plan(Regimen("diazepam", (("night", 10.0),)), SETTINGS),
                        settings=SETTINGS, author=clinician)
    today = dt.date.today()
    for n in range(10):
        storage.add_symptom_entry(patient_id=patient.id, date=today - dt.timedelta(days=n), scale="daily",
                                  items={"severity": n % 10, "sleep": 5}, author=clinician)
    statements: list[str] = []
    connection = db.connection()

    def load() -> tuple[int, int]:
        statements.clear()
        connection.set_trace_callback(statements.append)
        try:
            tab.set_patient(patient.id)
            tab.refresh()
        finally:
            connection.set_trace_callback(None)
        return len(statements), tab.audit_model.rowCount()

    few, rows_few = load()
    stamp = "2026-01-01T09:00:00.000000Z"
    ids = _append_chained("symptom_entry", [
        {"patient_id": patient.id, "date": (today - dt.timedelta(days=n)).isoformat(), "scale": "daily",
         "items": '{"severity":3,"sleep":5}', "total": 8, "entered_by_id": clinician.id, "entered_at": stamp,
         "note": "", "retracted": 0, "retraction_reason": "", "scale_version": 1} for n in range(10, 1000)])
    _append_chained("audit_event", [
        {"at": stamp, "clinician_id": clinician.id, "action": "create", "entity": "symptom_entry", "entity_id": i,
         "summary": f"daily total 8 for Long Record (TD-L), entry {i}"} for i in ids])
    assert len(storage.symptom_entries(patient_id=patient.id)) == 1000
    many, rows_many = load()
    assert rows_many == rows_few + 990  # every entry's audit event is listed
    assert many == few <= 16, statements  # a handful of indexed reads (with their BEGINs), whatever the length
