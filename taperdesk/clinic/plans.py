"""The named operations both front ends change plans through (Anki's
`operations`): each takes keyword-only arguments, checks the plan against the
safety rules before anything is written, and writes through storage, which
adds the audit event in the same transaction. Widgets never build queries.

`PatientPlan.course` is the one answer to "what does this patient take on day
D" (taperdesk.core.in_force): the plan's newest revision with its status
history. Every screen and paper reads it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from taperdesk import storage
from taperdesk.clinic.permissions import OperationError, PermissionRefused, operation
from taperdesk.core import roles
from taperdesk.core.edits import hold
from taperdesk.core.in_force import InForce, StatusChange
from taperdesk.core.plan import Plan
from taperdesk.core.rules import check_plan
from taperdesk.core.settings import PlanSettings

OPEN_STATUSES = ("draft", "active", "paused")

__all__ = ["OPEN_STATUSES", "OperationError", "PatientPlan", "PermissionRefused", "attention_for",
           "attention_recomputed", "change_status", "current_plan", "current_plans", "delegate_holds", "hold_plan",
           "observations_for", "patient_flare", "revise_plan", "start_plan", "status_changes"]


@dataclass(frozen=True)
class PatientPlan:
    """A patient's plan as the workspace shows it: the record, its newest revision, the parsed plan."""

    record: storage.PlanRecord
    revision: storage.Revision
    plan: Plan
    statuses: tuple[StatusChange, ...] = ()

    def settings(self) -> PlanSettings:
        return self.revision.settings()

    @property
    def course(self) -> InForce:
        """What the patient takes on any day, and why (status applied)."""
        statuses = self.statuses or (StatusChange(self.record.status, self.record.created_at.astimezone().date()),)
        return InForce(self.plan, statuses)


def status_changes(events: list[storage.StatusEvent]) -> tuple[StatusChange, ...]:
    return tuple(StatusChange.at(e.status, e.at, e.reason) for e in events)


@lru_cache(maxsize=256)
def _parse(revision_id: int, plan_json: str) -> Plan:
    # revisions never change (the database refuses UPDATE), so the id is a safe key
    return Plan.from_json(plan_json)


def current_plan(*, patient_id: int) -> PatientPlan | None:
    """The plan in progress (draft, active or paused), else the most recent one."""
    plans = storage.plans_for_patient(patient_id=patient_id)
    if not plans:
        return None
    open_plans = [p for p in plans if p.status in OPEN_STATUSES]
    record = (open_plans or plans)[-1]
    revision = storage.latest_revision(plan_id=record.id)
    events = storage.status_events(plan_ids=[record.id])[record.id]
    return PatientPlan(record, revision, _parse(revision.id, revision.plan_json), status_changes(events))


def current_plans(*, patient_ids: list[int]) -> dict[int, PatientPlan]:
    """current_plan for many patients at once (a screenful of the patient list)."""
    found = storage.current_plans(patient_ids=patient_ids)
    events = storage.status_events(plan_ids=[rec.id for rec, _rev in found.values()])
    return {pid: PatientPlan(rec, rev, _parse(rev.id, rev.plan_json), status_changes(events[rec.id]))
            for pid, (rec, rev) in found.items()}


def _checked(plan: Plan) -> Plan:
    problems = check_plan(plan.to_dict())
    if problems:
        raise OperationError("The plan breaks a safety rule and was not saved: " + problems[0])
    return plan


@operation("start_plan")
def start_plan(*, patient_id: int, plan: Plan, settings: PlanSettings, author: storage.Clinician,
               notes: str = "", draft: bool = False) -> PatientPlan:
    """Save a new plan as its first revision and make it the active plan; with
    draft=True it stays a draft (nothing in force) until started from the workspace."""
    if current := current_plan(patient_id=patient_id):
        if current.record.status in OPEN_STATUSES:
            raise OperationError(
                f"This patient already has a {current.record.status} {current.record.drug} plan:"
                " revise it, or complete or stop it first."
            )
    reason = "First plan" + (f": {notes.strip()}" if notes.strip() else "")
    record = storage.create_plan(patient_id=patient_id, plan=_checked(plan), settings=settings, author=author, reason=reason)
    if not draft:
        storage.set_plan_status(plan_id=record.id, status="active", author=author, reason="Plan saved and started")
    return current_plan(patient_id=patient_id)


@operation("hold_plan")
def hold_plan(*, plan_id: int, from_date: date, days: int, reason: str, author: storage.Clinician) -> storage.Revision:
    """Hold the doses for `days` from `from_date`. A prescriber may always; a
    nurse only under the plan's hold delegation (core.roles)."""
    delegated = ""
    if roles.acting_role("hold_plan", storage.get_clinician(clinician_id=_id(author)).roles) == roles.NURSE:
        delegated = _nurse_may_hold(plan_id=plan_id, days=days)
    revision = storage.latest_revision(plan_id=plan_id)
    try:
        held = hold(_parse(revision.id, revision.plan_json), from_date, days, reason)
    except ValueError as exc:
        raise OperationError(str(exc)) from None
    return storage.save_revision(
        plan_id=plan_id,
        plan=_checked(held),
        settings=revision.settings(),
        author=author,
        reason=f"Hold for {days} days from {from_date.isoformat()}: {reason.strip()}" + delegated,
    )


def _id(author: storage.Clinician | int) -> int:
    return author.id if isinstance(author, storage.Clinician) else author


def _nurse_may_hold(*, plan_id: int, days: int) -> str:
    """The words the nurse's hold is recorded with, or PermissionRefused."""
    record = storage.get_plan(plan_id=plan_id)
    delegation = storage.hold_delegation(plan_id=plan_id)
    if delegation is None:
        raise PermissionRefused("A nurse may hold this plan only when a prescriber lets nurses hold it "
                                "(Plan > Let nurses hold): ask a prescriber.")
    if record.status not in ("active", "paused"):
        raise PermissionRefused(f"This plan is {record.status}: a nurse may hold only an active or paused plan.")
    if days > delegation.max_days:
        raise PermissionRefused(f"{delegation.prescriber} lets nurses hold this plan for up to {delegation.max_days} "
                                f"days at a time, not {days}: ask a prescriber for a longer hold.")
    return f" (held by a nurse under {delegation.prescriber}'s delegation)"


@operation("delegate_holds")
def delegate_holds(*, plan_id: int, max_days: int, author: storage.Clinician) -> storage.HoldDelegation | None:
    """Let nurses hold this plan for up to `max_days` days at a time (0: no longer)."""
    storage.set_hold_delegation(plan_id=plan_id, max_days=max_days, author=author)
    return storage.hold_delegation(plan_id=plan_id)


def nurse_holds(*, plan_id: int) -> storage.HoldDelegation | None:
    """The plan's hold delegation in force, if any (for the Plan tab and the hold dialog)."""
    return storage.hold_delegation(plan_id=plan_id)


@operation("revise_plan")
def revise_plan(*, plan_id: int, plan: Plan, settings: PlanSettings, author: storage.Clinician,
                reason: str) -> storage.Revision:
    if not reason.strip():
        raise OperationError("Say why the plan is revised: the reason is kept in its history.")
    return storage.save_revision(plan_id=plan_id, plan=_checked(plan), settings=settings, author=author, reason=reason)


@operation("change_status")
def change_status(*, plan_id: int, status: str, author: storage.Clinician, reason: str,
                  today: date | None = None) -> storage.PlanRecord:
    """Move the plan to `status`. Resuming a paused plan first re-plans the rest
    from the pause: the days paused become a hold and every later step moves
    on by as many days, so no cut is skipped or bunched up on resuming."""
    if not reason.strip():
        raise OperationError("Give a reason: it is kept in the plan's history.")
    record = storage.get_plan(plan_id=plan_id)
    if record.status == "paused" and status == "active":
        _replan_after_pause(plan_id=plan_id, author=author, today=today or date.today())
    return storage.set_plan_status(plan_id=plan_id, status=status, author=author, reason=reason.strip())


def _replan_after_pause(*, plan_id: int, author: storage.Clinician, today: date) -> None:
    events = storage.status_events(plan_ids=[plan_id])[plan_id]
    paused = [e for e in events if e.status == "paused"]
    if not paused:
        return
    revision = storage.latest_revision(plan_id=plan_id)
    plan = _parse(revision.id, revision.plan_json)
    paused_on = max(StatusChange.at("paused", paused[-1].at).on, plan.start)
    days = (today - paused_on).days
    step = plan.step_on(paused_on)
    if days < 1 or step is None or step.kind == "stop":
        return  # paused and resumed the same day, or nothing was left to hold
    try:
        held = hold(plan, paused_on, days, "paused")
    except ValueError as exc:
        raise OperationError(str(exc)) from None
    storage.save_revision(plan_id=plan_id, plan=_checked(held), settings=revision.settings(), author=author,
                          reason=f"Resumed after a pause of {days} days from {paused_on.isoformat()}:"
                                 " later steps move on by as many days")


# -- supervision: who needs the clinician, and when to suggest a hold ---------------
def observations_for(*, patient_ids: list[int], since: date) -> dict[int, list]:
    """Current symptom entries since a date as the core's Observations (one query for them all)."""
    from taperdesk.core.side_effects import DAILY
    from taperdesk.core.supervision import Observation

    definitions = storage.scale_definitions()
    raw = storage.recent_observations(patient_ids=patient_ids, since=since)
    falls = storage.recent_falls(patient_ids=patient_ids, since=since)
    out: dict[int, list] = {}
    for pid, rows in raw.items():
        out[pid] = [
            Observation(day, scale, value, definitions[scale].band_index(value) if scale in definitions else None,
                        falls.get(pid, {}).get(day, 0) if scale == DAILY else 0)
            for day, scale, value in rows
        ]
    return out


def patient_flare(*, info: PatientPlan | None, today: date):
    """The flare to show as a banner on the patient page, or None."""
    from taperdesk.core.supervision import find_flare, lookback

    if info is None or info.record.status != "active":
        return None
    rule = storage.flare_rule()
    since = lookback(info.plan, rule, today)
    observations = observations_for(patient_ids=[info.record.patient_id], since=since).get(info.record.patient_id, [])
    return find_flare(info.plan, observations, rule, today)


def attention_for(*, plans: dict[int, PatientPlan | None], today: date) -> dict[int, list[str]]:
    """Why each of these patients needs the clinician today, from the kept
    attention table (storage/attention.py: one query for a screenful, whatever
    their histories). `plans` are the patients' current plans, which is what
    the table is kept for; a patient without one needs nothing."""
    kept = storage.attention_reasons(list(plans), today)
    return {pid: (list(kept.get(pid, ())) if info is not None else []) for pid, info in plans.items()}


def attention_recomputed(*, plans: dict[int, PatientPlan | None], today: date) -> dict[int, list[str]]:
    """attention_for worked out from the records (the reference the kept table is tested against)."""
    from taperdesk.core.supervision import attention, lookback

    rule = storage.flare_rule()
    ids = [pid for pid, info in plans.items() if info is not None]
    if not ids:
        return {pid: [] for pid in plans}
    # each patient from their own look-back day: an older CIWA-B fetched for a
    # neighbour on the screen must not become this patient's baseline
    own = {pid: lookback(plans[pid].plan, rule, today) for pid in ids}
    observations = observations_for(patient_ids=ids, since=min(own.values()))
    reviews = storage.last_reviews(patient_ids=ids)
    return {
        pid: (attention(info.plan, info.record.status, [o for o in observations.get(pid, []) if o.day >= own[pid]],
                        reviews.get(pid), rule, today)
              if info else [])
        for pid, info in plans.items()
    }
