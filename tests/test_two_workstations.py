"""Two app processes on one clinic server, as a prescriber on ROOM-1 and a nurse
on ROOM-2 (scripts/two_workstations.py's scenario, offscreen, on the test
server): the nurse sees the patient the prescriber has open as in use and
read-only; the prescriber sees the nurse's rating within 5 seconds; the
nurse's prescriber-only change is refused in one line and nothing is written.
The first window makes the day's server backup, the second is told where."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import psycopg2
import pytest

from taperdesk import storage
from taperdesk.clinic import accounts
from taperdesk.core.catalogue import load_catalogue
from taperdesk.core.planner import make_plan
from taperdesk.core.regimen import Regimen
from taperdesk.core.settings import PlanSettings
from taperdesk.storage import clinicians

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "two_workstations.py"


def _script():
    spec = importlib.util.spec_from_file_location("two_workstations", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def clinic_on_server(server_db, monkeypatch):
    """An administrator, the prescriber and the nurse (cheap password hashing: the
    stored parameters make the windows verify the same way), two patients on plans."""
    monkeypatch.setattr(clinicians, "ARGON2", clinicians.CHEAP_ARGON2)
    two = _script()
    storage.open_database(server_db, create=True)
    try:
        admin = storage.add_clinician(name="Ivy Admin", role="administrator", password="admin password 1")
        passwords = {"prescriber": "prescriber pass 1", "nurse": "nurse password 1"}
        # no forced change at the first sign-in here (the window would hash it at full cost; the demo does it)
        for role, name in (("prescriber", two.PRESCRIBER), ("nurse", two.NURSE)):
            accounts.add_account(name=name, role=role, password=passwords[role], author=admin,
                                 must_change_password=False)
        doctor = storage.verify_password(name=two.PRESCRIBER, password=passwords["prescriber"])
        start = dt.date.today() - dt.timedelta(days=20)
        for name, identifier in (("Ana Morales", "TD-1"), ("Ben Okoro", "TD-2")):
            patient = storage.add_patient(name=name, born=dt.date(1960, 5, 1), identifier=identifier, author=doctor)
            settings = PlanSettings(start=start, method="proportional", interval_days=14)
            plan = make_plan(Regimen("diazepam", (("night", 10.0),)), settings, load_catalogue())
            record = storage.create_plan(patient_id=patient.id, plan=plan, settings=settings, author=doctor)
            storage.set_plan_status(plan_id=record.id, status="active", author=doctor, reason="agreed")
    finally:
        storage.close_database()
    return two, server_db, passwords


def test_a_prescriber_and_a_nurse_on_two_workstations(clinic_on_server, tmp_path):
    two, url, passwords = clinic_on_server
    facts = two.scenario(url, passwords, tmp_path, patient_a="Ana", patient_b="Ben", offscreen=True)

    first, second = facts["prescriber_ready"], facts["nurse_ready"]
    assert first["platform"] == second["platform"] == "offscreen"
    # the first window of the day backed the server up; the other was told where (or that it is under way)
    made = [f for f in (first, second) if f["status"].startswith("Today's backup is saved and checked (clinic_")]
    told = [f for f in (first, second) if f not in made]
    assert len(made) == 1 and len(told) == 1, (first["status"], second["status"])
    other = "ROOM-1" if made[0] is first else "ROOM-2"
    assert told[0]["status"].startswith(f"Today's backup of the clinic server was made on {other} at ") or \
        told[0]["status"] == "Today's backup of the clinic server was being made on another workstation."
    # 1. the prescriber holds A; the nurse sees who, and cannot change A
    assert facts["prescriber_opens_a"]["banner"] == "" and facts["prescriber_opens_a"]["pause_enabled"]
    seen = facts["nurse_opens_a"]
    assert f"in use by {two.PRESCRIBER} on ROOM-1 since " in seen["banner"] and not seen["quick_enabled"]
    assert seen["quick_tip"].startswith(f"Read-only: this patient is in use by {two.PRESCRIBER} on ROOM-1")
    # 2. the nurse's rating of B shows on the prescriber's screen within 5 seconds
    assert f"in use by {two.NURSE} on ROOM-2 since " in facts["prescriber_opens_b"]["banner"]
    assert facts["nurse_records_b"]["saved"], facts["nurse_records_b"]["message"]
    assert facts["prescriber_sees_it"]["seen"] and 0 <= facts["seen_after_s"] <= 5
    # 3. the prescriber-only change: greyed out with the reason, and refused by the operation in one line
    tried = facts["nurse_attempts_pause"]
    reason = f"Only a prescriber may pause, resume, complete or stop a plan; {two.NURSE} is a nurse."
    assert not facts["nurse_opens_b"]["pause_enabled"] and facts["nurse_opens_b"]["pause_tip"] == reason
    assert tried["done"] is False and tried["boxes"] == [f"The status was not changed: {reason}"]
    assert len(facts["shots"]) == 6 and all(Path(p).stat().st_size > 10_000 for p in facts["shots"])

    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT p.name, c.name, e.note FROM symptom_entry e JOIN patient p ON p.id = e.patient_id"
                        " JOIN clinician c ON c.id = e.entered_by_id")
            assert [(p, c, n.split(" at ")[0]) for p, c, n in cur.fetchall()] == \
                [("Ben Okoro", two.NURSE, "phone call")]
            cur.execute("SELECT count(*) FROM plan_status_event WHERE status = 'paused'")
            assert cur.fetchone() == (0,)  # nothing written by the refused change
            cur.execute("SELECT count(*) FROM patient_lock")
            assert cur.fetchone() == (0,)  # both windows closed: every hold let go
    finally:
        conn.close()
