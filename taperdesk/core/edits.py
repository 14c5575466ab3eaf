"""Supervision edits. Each returns a new Plan; the old one stays in history.

`hold` keeps the dose in force for more days and shifts everything after it;
`revise` keeps every day before a date and re-plans the rest from the dose in
force then. Neither ever drops a hold: holds from the revision date on are
laid again on the re-planned schedule."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from taperdesk.core.catalogue import Catalogue, load_catalogue
from taperdesk.core.plan import Plan, Step
from taperdesk.core.planner import plan_from_state
from taperdesk.core.quantity import to_q
from taperdesk.core.regimen import PlanInputError
from taperdesk.core.settings import PlanSettings


_VERIFY = "Verify locally"


def _renumber(steps: list[Step]) -> tuple[Step, ...]:
    return tuple(replace(s, index=i) for i, s in enumerate(steps))


def hold(plan: Plan, from_date: date, days: int, reason: str) -> Plan:
    if not isinstance(days, int) or days < 1:
        raise PlanInputError(f"a hold lasts 1 day or more (got {days})")
    if not reason.strip():
        raise PlanInputError("give a reason for the hold (it is printed and kept in the history)")
    step = plan.step_on(from_date)
    if step is None:
        raise PlanInputError(f"{from_date} is outside the plan ({plan.start} to {plan.end}): hold from a day within it")
    if step.kind == "stop":
        raise PlanInputError(f"the taper has stopped by {from_date}: there is no dose to hold")
    shift = timedelta(days=days)
    out: list[Step] = []
    for s in plan.steps:
        if s.end < from_date:
            out.append(s)
        elif s is step:
            if s.start < from_date:
                out.append(replace(s, end=from_date - timedelta(days=1)))
            out.append(replace(s, start=from_date, end=from_date + shift - timedelta(days=1), kind="hold", reason=reason.strip()))
            out.append(replace(s, start=from_date + shift, end=s.end + shift, reason=s.reason))
        else:
            out.append(replace(s, start=s.start + shift, end=s.end + shift))
    return replace(plan, steps=_renumber(out))


def revise(plan: Plan, from_date: date, settings: PlanSettings, catalogue: Catalogue | None = None) -> Plan:
    """Re-plan from `from_date`. A hold in force on that date runs to its end
    first (a revision never shortens a hold); later holds are laid again on
    the new schedule at their dates."""
    catalogue = catalogue or load_catalogue()
    step = plan.step_on(from_date)
    if step is None:
        raise PlanInputError(f"{from_date} is outside the plan ({plan.start} to {plan.end}): revise from a day within it")
    while step.kind == "hold" and step.end < plan.end:
        from_date = step.end + timedelta(days=1)
        step = plan.step_on(from_date)
    if from_date > plan.start:
        # the patient goes on from the dose of the last kept day: a cut the old
        # plan made on from_date itself is the new plan's to decide
        step = plan.step_on(from_date - timedelta(days=1))
    if step.kind == "stop" or not step.doses:
        raise PlanInputError(f"the taper has stopped by {from_date}: start a new plan instead")
    state = tuple((d.time, d.drug, to_q(d.mg)) for d in step.doses)
    kept = [s for s in plan.steps if s.start < from_date]
    if kept and kept[-1].end >= from_date:
        kept[-1] = replace(kept[-1], end=from_date - timedelta(days=1))
    prior = 0
    for s in reversed(kept):
        if s.diazepam_eq_mg != step.diazepam_eq_mg:
            break
        prior += s.days
    rest = plan_from_state(
        state,
        replace(settings, start=from_date),
        catalogue,
        original_drug=plan.drug,
        prior_days=prior,
        prior_paces=plan.paces,
        in_liquid=any(u.form == "liquid" for d in step.doses for u in d.units),
    )
    first = rest.steps[0]
    if kept and first.kind == "start":
        rest = replace(rest, steps=(replace(first, kind=kept[-1].kind if kept[-1].kind != "hold" else "reduce"), *rest.steps[1:]))
    # the new part's product list replaces the old one; other warnings (an override) stay
    kept_warnings = [w for w in plan.warnings if not w.startswith(_VERIFY)] if any(
        w.startswith(_VERIFY) for w in rest.warnings) else list(plan.warnings)
    warnings = [*kept_warnings, *rest.warnings]
    revised = replace(
        rest,
        crossover_to=rest.crossover_to or plan.crossover_to,
        steps=_renumber([*kept, *rest.steps]),
        sources=tuple(dict.fromkeys([*plan.sources, *rest.sources])),
    )
    for h in plan.holds():
        if h.start >= from_date:
            landing = revised.step_on(h.start)
            if landing is None or landing.kind == "stop":
                warnings.append(f"The hold from {h.start} ({h.reason}) falls after the revised plan has stopped: not carried over.")
                continue
            revised = hold(revised, h.start, h.days, h.reason)
    return replace(revised, warnings=tuple(dict.fromkeys(warnings)))
