"""The safety rules every plan keeps, checked from the plan's JSON alone.

The planner is built to keep them; this module checks them independently
(tests run it over thousands of generated plans, storage can refuse to save
a plan that breaks one). Each violation is a sentence a clinician can read."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

from taperdesk.core.quantity import to_q

TOLERANCE = 1e-5  # JSON keeps 6 decimals; a difference of two rounded values is within 1e-6
SINGLE_CUT_CAP = 0.25


def _runs(steps: list[dict]) -> list[int]:
    """For each step, the days spent at its diazepam-equivalent dose up to and including it."""
    out, run = [], 0
    for i, step in enumerate(steps):
        days = (date.fromisoformat(step["end"]) - date.fromisoformat(step["start"])).days + 1
        run = run + days if i and step["diazepam_eq_mg"] == steps[i - 1]["diazepam_eq_mg"] else days
        out.append(run)
    return out


def _pace_on(plan: dict, day: str) -> dict:
    current = plan["paces"][0]
    for pace in plan["paces"]:
        if pace["since"] <= day:
            current = pace
    return current


def check_plan(plan: dict) -> list[str]:
    """R1-R5 (R6 and R7 are properties of the planner, tested separately)."""
    problems: list[str] = []
    steps = plan["steps"]
    if not steps:
        return ["the plan has no steps"]
    # R1: every day covered once, from the start to the last day
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
    # R2: the diazepam-equivalent dose never rises; a dose time never comes back
    for prev, step in zip(steps, steps[1:]):
        if step["diazepam_eq_mg"] > prev["diazepam_eq_mg"] + TOLERANCE:
            problems.append(f"R2: the dose rises at step {step['index']} ({prev['diazepam_eq_mg']} -> {step['diazepam_eq_mg']})")
        before = {d["time"] for d in prev["doses"]}
        added = {d["time"] for d in step["doses"]} - before
        if added:
            problems.append(f"R2: step {step['index']} adds a dose time ({', '.join(sorted(added))})")
    # R3 and R5: pace above the end phase, size and spacing in it
    runs = _runs(steps)
    for i in range(1, len(steps)):
        prev, step = steps[i - 1], steps[i]
        old, new = prev["diazepam_eq_mg"], step["diazepam_eq_mg"]
        if not new < old - TOLERANCE:
            continue
        pace = _pace_on(plan, step["start"])
        interval = pace["interval_days"]
        days = runs[i - 1]
        if old > pace["end_phase_eq_mg"] + TOLERANCE:
            frac = (old - new) / old
            rate = frac / (days / interval)
            if rate > pace["max_cut_percent"] / 100 + TOLERANCE:
                problems.append(
                    f"R3: the cut on {step['start']} takes {frac:.1%} after {days} days: faster than"
                    f" {pace['max_cut_percent']}% per {interval} days"
                )
            if frac > SINGLE_CUT_CAP + TOLERANCE:
                problems.append(f"R3: the cut on {step['start']} takes {frac:.1%}, more than 25%")
        else:
            if old - new > pace["end_step_eq_mg"] + TOLERANCE:
                problems.append(
                    f"R5: the end-phase cut on {step['start']} takes {old - new:.4g} mg, more than the end step"
                    f" {pace['end_step_eq_mg']} mg"
                )
            if days < interval and step["kind"] != "crossover":
                problems.append(f"R5: the end-phase cut on {step['start']} comes {days} days after the last, before {interval}")
    # R4: every dose exactly its units, each unit dispensable as stocked
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

