"""Plans, their revisions and status changes. A revision stores the plan JSON and
the settings JSON exactly as the core produced them; holds and revisions append a
new numbered revision, status changes append an event (the `status` column is the
current value, updated in the same transaction). Only clinicians may do any of it."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from peewee import Tuple, fn

from taperdesk.storage import attention, audit
from taperdesk.storage.connection import reading, writing
from taperdesk.storage.errors import InvalidInputError, NotFoundError
from taperdesk.storage.models import PatientRow, PlanRevisionRow, PlanRow, PlanStatusEventRow
from taperdesk.storage.records import Clinician, PlanHistory, PlanRecord, Revision, StatusEvent
from taperdesk.storage.text import from_utc_text, to_utc_text, utc_now

STATUSES = ("draft", "active", "paused", "completed", "stopped")
TRANSITIONS = {
    "draft": {"active", "stopped"},
    "active": {"paused", "completed", "stopped"},
    "paused": {"active", "completed", "stopped"},
    "completed": set(),
    "stopped": set(),
}


def plan_json_text(plan: Any) -> str:
    """The JSON of a core Plan (or of plan text, as imports carry) as stored:
    compact, same keys in the same order and the same numbers, no indentation
    (indented plans were half of a 10,000-patient clinic file: 223 MB of them,
    117 MB compact)."""
    text = plan if isinstance(plan, str) else plan.to_json()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInputError(f"The plan is not valid JSON ({exc.msg}).") from None
    if not isinstance(data, dict) or not isinstance(data.get("drug"), str) or "steps" not in data:
        raise InvalidInputError("The plan JSON needs a drug and steps.")
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def settings_json_text(settings: Any) -> str:
    data = settings if isinstance(settings, dict) else settings.to_dict()
    return json.dumps(data, sort_keys=True, separators=(",", ":"))


def to_plan(row: PlanRow) -> PlanRecord:
    return PlanRecord(row.id, row.patient_id, row.drug, row.status, from_utc_text(row.created_at),
                      row.created_by_id)


def to_revision(row: PlanRevisionRow) -> Revision:
    return Revision(row.id, row.plan_id, row.number, row.plan_json, row.settings_json,
                    row.author_id, from_utc_text(row.created_at), row.reason)


def to_status_event(row: PlanStatusEventRow) -> StatusEvent:
    return StatusEvent(row.id, row.plan_id, row.status, from_utc_text(row.at), row.clinician_id, row.reason)


def _plan_row(plan_id: int) -> PlanRow:
    row = PlanRow.get_or_none(PlanRow.id == plan_id)
    if row is None:
        raise NotFoundError(f"No plan with id {plan_id}.")
    return row


def create_plan(*, patient_id: int, plan: Any, settings: Any, author: Clinician | int,
                reason: str = "first plan", at: dt.datetime | None = None) -> PlanRecord:
    """A new draft plan for the patient, with the plan as revision 1."""
    text, settings_text = plan_json_text(plan), settings_json_text(settings)
    drug = json.loads(text)["drug"]
    stamp = to_utc_text(at or utc_now())
    with writing():
        author_row = audit.resolve_author(author, operation="start_plan")
        patient = PatientRow.get_or_none(PatientRow.id == patient_id)
        if patient is None:
            raise NotFoundError(f"No patient with id {patient_id}.")
        row = PlanRow.create(patient=patient_id, drug=drug, status="draft", created_at=stamp,
                             created_by=author_row.id)
        PlanStatusEventRow.create(plan=row.id, status="draft", at=stamp, clinician=author_row.id,
                                  reason="plan created")
        PlanRevisionRow.create(plan=row.id, number=1, plan_json=text, settings_json=settings_text,
                               author=author_row.id, created_at=stamp, reason=reason)
        audit.record(author_row, "create", "plan", row.id,
                     f"new {drug} plan for {audit.patient_words(patient)}: {reason}")
        attention.refresh([patient_id])
        return to_plan(row)


def save_revision(*, plan_id: int, plan: Any, settings: Any, author: Clinician | int,
                  reason: str, at: dt.datetime | None = None) -> Revision:
    """Append the next revision (a hold, a revised pace...). Earlier ones stay as they were."""
    if not reason.strip():
        raise InvalidInputError("Say why the plan is revised (the reason is printed in its history).")
    text, settings_text = plan_json_text(plan), settings_json_text(settings)
    with writing():
        author_row = audit.resolve_author(author, operation="hold_plan")
        row = _plan_row(plan_id)
        if row.status in ("completed", "stopped"):
            raise InvalidInputError(f"Plan {plan_id} is {row.status}; start a new plan instead.")
        drug = json.loads(text)["drug"]
        if drug != row.drug:
            raise InvalidInputError(f"Plan {plan_id} is for {row.drug}, this revision is for {drug}.")
        last = (PlanRevisionRow.select(PlanRevisionRow.number).where(PlanRevisionRow.plan == plan_id)
                .order_by(PlanRevisionRow.number.desc()).first())
        number = (last.number if last else 0) + 1
        rev = PlanRevisionRow.create(plan=plan_id, number=number, plan_json=text,
                                     settings_json=settings_text, author=author_row.id,
                                     created_at=to_utc_text(at or utc_now()), reason=reason.strip())
        audit.record(author_row, "revise", "plan", plan_id,
                     f"revision {number} of the {row.drug} plan for {audit.patient_words(row.patient)}: {reason}")
        attention.refresh([row.patient_id])
        return to_revision(rev)


def set_plan_status(*, plan_id: int, status: str, author: Clinician | int, reason: str,
                    at: dt.datetime | None = None) -> PlanRecord:
    """Move a plan along draft -> active <-> paused -> completed/stopped, as an appended event."""
    if status not in STATUSES:
        raise InvalidInputError(f"Status must be one of {', '.join(STATUSES)}, not {status!r}.")
    with writing():
        author_row = audit.resolve_author(author, operation="change_status")
        row = _plan_row(plan_id)
        if status not in TRANSITIONS[row.status]:
            raise InvalidInputError(f"Plan {plan_id} is {row.status}; it cannot become {status}.")
        PlanStatusEventRow.create(plan=plan_id, status=status, at=to_utc_text(at or utc_now()),
                                  clinician=author_row.id, reason=reason.strip())
        old, row.status = row.status, status
        row.save()
        audit.record(author_row, "status", "plan", plan_id,
                     f"{row.drug} plan for {audit.patient_words(row.patient)}: {old} -> {status}: {reason}")
        attention.refresh([row.patient_id])
        return to_plan(row)


def get_plan(*, plan_id: int) -> PlanRecord:
    with reading():
        return to_plan(_plan_row(plan_id))


def plans_for_patient(*, patient_id: int) -> list[PlanRecord]:
    with reading():
        return [to_plan(r) for r in PlanRow.select().where(PlanRow.patient == patient_id).order_by(PlanRow.id)]


def current_plans(*, patient_ids: list[int]) -> dict[int, tuple[PlanRecord, Revision]]:
    """For each patient, the plan in progress (draft, active, paused), else the most
    recent one, with its newest revision: two queries for a whole screen of the
    patient list instead of two per patient."""
    if not patient_ids:
        return {}
    with reading():
        chosen: dict[int, PlanRow] = {}
        for row in PlanRow.select().where(PlanRow.patient.in_(patient_ids)).order_by(PlanRow.id):
            pid = row.patient_id
            if pid not in chosen or row.status in ("draft", "active", "paused") or \
                    chosen[pid].status not in ("draft", "active", "paused"):
                chosen[pid] = row
        latest: dict[int, PlanRevisionRow] = {}
        newest = (PlanRevisionRow.select(PlanRevisionRow.plan, fn.MAX(PlanRevisionRow.number))
                  .where(PlanRevisionRow.plan.in_([r.id for r in chosen.values()]))
                  .group_by(PlanRevisionRow.plan))
        # only the newest revision's text is read (a plan's older ones are as long, and unused here)
        for rev in PlanRevisionRow.select().where(Tuple(PlanRevisionRow.plan, PlanRevisionRow.number).in_(newest)):
            if rev.plan_id not in latest or rev.number > latest[rev.plan_id].number:
                latest[rev.plan_id] = rev
    return {pid: (to_plan(row), to_revision(latest[row.id])) for pid, row in chosen.items() if row.id in latest}


def status_events(*, plan_ids: list[int]) -> dict[int, list[StatusEvent]]:
    """Every status event of these plans, oldest first (one query for a screenful)."""
    out: dict[int, list[StatusEvent]] = {pid: [] for pid in plan_ids}
    if not plan_ids:
        return out
    with reading():
        query = (PlanStatusEventRow.select().where(PlanStatusEventRow.plan.in_(plan_ids))
                 .order_by(PlanStatusEventRow.id))
        for row in query:
            out[row.plan_id].append(to_status_event(row))
    return out


def revisions(*, plan_id: int) -> list[Revision]:
    with reading():
        query = PlanRevisionRow.select().where(PlanRevisionRow.plan == plan_id).order_by(PlanRevisionRow.number)
        return [to_revision(r) for r in query]


def latest_revision(*, plan_id: int) -> Revision:
    with reading():
        row = (PlanRevisionRow.select().where(PlanRevisionRow.plan == plan_id)
               .order_by(PlanRevisionRow.number.desc()).first())
    if row is None:
        raise NotFoundError(f"Plan {plan_id} has no revision.")
    return to_revision(row)


def plan_history(*, plan_id: int) -> PlanHistory:
    with reading():
        row = _plan_row(plan_id)
        events = PlanStatusEventRow.select().where(PlanStatusEventRow.plan == plan_id).order_by(PlanStatusEventRow.id)
        return PlanHistory(to_plan(row), tuple(revisions(plan_id=plan_id)),
                           tuple(to_status_event(e) for e in events))
