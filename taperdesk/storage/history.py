"""One patient's whole record in a handful of indexed queries (no query per row):
what the patient screen, the export and the portable file all start from."""

from __future__ import annotations

from taperdesk.storage.connection import reading
from taperdesk.storage.errors import NotFoundError
from taperdesk.storage.models import PatientRow, PlanRevisionRow, PlanRow, PlanStatusEventRow, db
from taperdesk.storage.patients import to_patient
from taperdesk.storage.plans import to_plan, to_revision, to_status_event
from taperdesk.storage.records import PatientHistory, PlanHistory
from taperdesk.storage.symptoms import ENTRY_SQL, entry_from_tuple


def patient_history(*, patient_id: int, entries: bool = True) -> PatientHistory:
    """Plans (with every revision and status event) and every symptom entry version;
    entries=False leaves the entries out (the History tab shows the plans, and ten
    years of daily entries are 3,650 rows to read and parse for nothing)."""
    with reading():
        row = PatientRow.get_or_none(PatientRow.id == patient_id)
        if row is None:
            raise NotFoundError(f"No patient with id {patient_id}.")
        plans = list(PlanRow.select().where(PlanRow.patient == patient_id).order_by(PlanRow.id))
        plan_ids = [p.id for p in plans]
        revs: dict[int, list] = {pid: [] for pid in plan_ids}
        events: dict[int, list] = {pid: [] for pid in plan_ids}
        if plan_ids:
            for r in (PlanRevisionRow.select().where(PlanRevisionRow.plan.in_(plan_ids))
                      .order_by(PlanRevisionRow.plan, PlanRevisionRow.number)):
                revs[r.plan_id].append(to_revision(r))
            for e in (PlanStatusEventRow.select().where(PlanStatusEventRow.plan.in_(plan_ids))
                      .order_by(PlanStatusEventRow.id)):
                events[e.plan_id].append(to_status_event(e))
        rows = db.execute_sql(ENTRY_SQL + " WHERE patient_id = ? ORDER BY date, id", (patient_id,)) if entries else ()
        return PatientHistory(
            patient=to_patient(row),
            plans=tuple(PlanHistory(to_plan(p), tuple(revs[p.id]), tuple(events[p.id])) for p in plans),
            entries=tuple(entry_from_tuple(e) for e in rows),
        )
