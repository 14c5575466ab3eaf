"""The rules every plan keeps, checked from the plan's JSON alone.

The planner is built to keep them; this module checks them independently
(tests run it over thousands of generated plans; storage re-checks every
stored plan with `check_plan`). Each violation is a sentence a clinician
can read, starting with its rule number.

Two kinds of finding (`review_plan`):
* problems: the plan breaks a rule it was made under. Safety rules (R1 days
  covered, R2 never rises, R4 dispensable, R11 ceilings) always; the quality
  rules of issue 10 (R3 pace the whole way down, R5 the stop, R8 whole weeks,
  R9 even doses, R10 simple doses, R12 honest header) for cuts planned under a
  pace marked `"rules": 2`.
* notes: a pace without that mark was planned by the previous engine under
  looser quality rules. Its cuts are held to the rules of that time (the old
  R3/R5: the pace above the end phase, end-phase cuts one interval apart;
  those are problems), and the new quality rules are reported as notes to
  read, not reasons to refuse.
`check_plan(plan) -> list[str]` returns the problems only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

from taperdesk.core.quantity import to_q
from taperdesk.core.rules_quality import check_legacy_pace, check_quality

TOLERANCE = 1e-5  # JSON keeps 6 decimals; a difference of two rounded values is within 1e-6


@dataclass
class PlanReview:
    problems: list[str] = field(default_factory=list)  # refuse: the plan breaks a rule it was made under
    notes: list[str] = field(default_factory=list)  # read: older, looser quality rules


def check_plan(plan: dict) -> list[str]:
    """The problems that make a plan unsafe to use or print (see the module doc)."""
    return review_plan(plan).problems


def review_plan(plan: dict) -> PlanReview:
    review = PlanReview()
    steps = plan["steps"]
    if not steps:
        review.problems.append("the plan has no steps")
        return review
    review.problems += _r1(plan, steps) + _r2(steps) + _r4(plan, steps) + _r11(plan, steps)
    review.problems += check_legacy_pace(plan)
    new, old = check_quality(plan)
    review.problems += new
    review.notes += old
    return review


def _r1(plan: dict, steps: list[dict]) -> list[str]:
    problems = []
    if steps[0]["start"] != plan["start"]:
        problems.append(f"R1: the first step starts {steps[0]['start']}, not on the plan's start {plan['start']}")
    for prev, step in zip(steps, steps[1:]):
        expected = (date.fromisoformat(prev["end"]) + timedelta(days=1)).isoformat()
        if step["start"] != expected:
            problems.append(f"R1: step {step['index']} starts {step['start']}, expected {expected} (gap or overlap)")
    for step in steps:
        if step["end"] < step["start"]:
            problems.append(f"R1: step {step['index']} ends before it starts")
    if steps[-1]["kind"] == "stop":
        last = steps[-1]
        if last["start"] != last["end"] or last["doses"] or last["diazepam_eq_mg"] != 0:
            problems.append("R1: the stop step must be one day with no doses")
    return problems


def _r2(steps: list[dict]) -> list[str]:
    problems = []
    for prev, step in zip(steps, steps[1:]):
        if step["diazepam_eq_mg"] > prev["diazepam_eq_mg"] + TOLERANCE:
            problems.append(f"R2: the dose rises at step {step['index']} ({prev['diazepam_eq_mg']} -> {step['diazepam_eq_mg']})")
        before = {d["time"] for d in prev["doses"]}
        added = {d["time"] for d in step["doses"]} - before
        if added:
            problems.append(f"R2: step {step['index']} adds a dose time ({', '.join(sorted(added))})")
    return problems


def _r4(plan: dict, steps: list[dict]) -> list[str]:
    problems = []
    splits = {
        (s["drug"], s["form"], s["strength_mg"]): s.get("split", "none")
        for s in plan.get("stock", ())
        if "strength_mg" in s
    }
    pieces = {"none": 1, "half": 2, "quarter": 4}
    for step in steps:
        for dose in step["doses"]:
            where = f"step {step['index']} {dose['time']}"
            if not dose["mg"] > 0:
                problems.append(f"R4: {where} has a dose of {dose['mg']} mg")
            total = 0
            for unit in dose["units"]:
                if unit["form"] == "liquid":
                    tenths = Fraction(str(unit["ml"])) * 10
                    if tenths.denominator != 1 or tenths <= 0:
                        problems.append(f"R4: {where} measures {unit['ml']} mL, not whole 0.1 mL steps")
                    total += to_q(Fraction(str(unit["mg_per_ml"])) * Fraction(str(unit["ml"])))
                    continue
                count = Fraction(str(unit["count"]))
                allowed = splits.get((dose["drug"], unit["form"], unit["strength_mg"]))
                if allowed is None:
                    problems.append(f"R4: {where} uses a {unit['strength_mg']} mg {unit['form']} that is not stocked")
                    allowed = "none"
                if unit["form"] == "capsule":
                    allowed = "none"
                if (count * pieces[allowed]).denominator != 1 or count <= 0:
                    problems.append(f"R4: {where} needs {unit['count']} of a {unit['strength_mg']} mg {unit['form']} ({allowed} split allowed)")
                total += to_q(Fraction(str(unit["strength_mg"])) * count)
            if total != to_q(Fraction(str(dose["mg"]))):
                problems.append(f"R4: {where} is {dose['mg']} mg but its units make {total / 10000} mg")
    return problems


CONFIRMED = "HIGH DOSE CONFIRMED"


def _r11(plan: dict, steps: list[dict]) -> list[str]:
    """Ceilings: no drug above its maximum a day unless the clinician confirmed it."""
    problems = []
    confirmed = plan.get("high_dose_confirmed", False) and any(w.startswith(CONFIRMED) for w in plan["warnings"])
    for info in plan.get("drugs", ()):
        limit = info.get("max_daily_mg")
        if limit is None:
            continue
        top = max((s["daily_mg"].get(info["drug"], 0.0) for s in steps), default=0.0)
        if top > limit + TOLERANCE and not confirmed:
            problems.append(f"R11: {info['drug']} reaches {top} mg a day, above its maximum of {limit} mg, without a confirmation")
    if plan.get("crossover_to") and plan.get("rules", 1) >= 2:
        top = max((s["daily_mg"].get("diazepam", 0.0) for s in steps if s["kind"] == "crossover"), default=0.0)
        if top > 40 + TOLERANCE and not any("NICE CKS" in w and "crossover" in w.lower() for w in plan["warnings"]):
            problems.append(f"R11: the crossover reaches diazepam {top} mg a day without the NICE CKS warning (written for 40 mg or less)")
    return problems
