"""Checks for a plan that comes from outside the planner: a stored revision read
back before it is printed, or a revision in an imported patient file.

A plan made by the planner keeps the rules by construction; a stored one may
have been damaged (a flipped byte) or written by hand, and an imported one
may be anything. So before such a plan is trusted:
1. its shape: every field the plan JSON contract (architecture.md) needs, of
   the right type, numbers finite, dates real (`plan_shape_problems`);
2. the planning rules (core.rules.check_plan);
3. each step's diazepam-equivalent is what its doses add up to under the
   plan's equivalence table (a changed total would mislead every chart and rule);
4. the dose ceilings, where the catalogue has them.
Each problem is one sentence for a clinician."""

from __future__ import annotations

import json
import math
from datetime import date
from typing import Any

from taperdesk.core.plan import KINDS, Plan
from taperdesk.core.regimen import TIMES
from taperdesk.core.rules import check_plan

EQ_TOLERANCE = 1e-5  # the JSON keeps 6 decimals


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _date(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _unit_problems(unit: Any, where: str) -> list[str]:
    if not isinstance(unit, dict) or not isinstance(unit.get("form"), str):
        return [f"{where}: a unit is not a tablet, capsule or liquid measure"]
    keys = ("mg_per_ml", "ml") if unit["form"] == "liquid" else ("strength_mg", "count")
    bad = [k for k in keys if not _number(unit.get(k)) or unit[k] <= 0]
    return [f"{where}: the {unit['form']}'s {', '.join(bad)} must be a positive number"] if bad else []


def _step_problems(step: Any, n: int) -> list[str]:
    where = f"step {n}"
    if not isinstance(step, dict):
        return [f"{where} is not a step"]
    out = []
    if not isinstance(step.get("index"), int) or isinstance(step.get("index"), bool):
        out.append(f"{where} has no index")
    for key in ("start", "end"):
        if not _date(step.get(key)):
            out.append(f"{where}'s {key} is not a date (YYYY-MM-DD)")
    if step.get("kind") not in KINDS:
        out.append(f"{where}'s kind is not one of {', '.join(KINDS)}")
    if not _number(step.get("diazepam_eq_mg")) or step["diazepam_eq_mg"] < 0:
        out.append(f"{where}'s diazepam-equivalent dose is not a number")
    doses = step.get("doses")
    if not isinstance(doses, list):
        return out + [f"{where}'s doses are not a list"]
    for dose in doses:
        if not isinstance(dose, dict):
            out.append(f"{where} has a dose that is not a dose")
            continue
        if dose.get("time") not in TIMES:
            out.append(f"{where} has a dose at {dose.get('time')!r}, not one of {', '.join(TIMES)}")
        if not isinstance(dose.get("drug"), str):
            out.append(f"{where} has a dose with no drug")
        if not _number(dose.get("mg")):
            out.append(f"{where} has a dose whose mg is not a number")
        units = dose.get("units")
        if not isinstance(units, list) or not units:
            out.append(f"{where} has a dose with no tablets or liquid")
            continue
        for unit in units:
            out += _unit_problems(unit, where)
    return out


def _pace_problems(pace: Any, n: int) -> list[str]:
    if not isinstance(pace, dict) or not _date(pace.get("since")):
        return [f"pace {n} has no start date"]
    bad = [k for k in ("max_cut_percent", "interval_days", "end_phase_eq_mg", "end_step_eq_mg")
           if not _number(pace.get(k)) or pace[k] < 0]
    return [f"pace {n}'s {', '.join(bad)} must be numbers"] if bad else []


def plan_shape_problems(data: Any) -> list[str]:
    """Everything missing or of the wrong type in a plan's JSON, as sentences."""
    if not isinstance(data, dict):
        return ["the plan is not a JSON object"]
    out = []
    for key in ("drug", "method", "equivalence_table"):
        if not isinstance(data.get(key), str) or not data[key]:
            out.append(f"the plan has no {key.replace('_', ' ')}")
    if not _date(data.get("start")):
        out.append("the plan's start is not a date (YYYY-MM-DD)")
    if data.get("crossover_to") is not None and not isinstance(data["crossover_to"], str):
        out.append("the plan's crossover drug is not a name")
    for key in ("stock", "warnings", "sources"):
        if not isinstance(data.get(key, []), list):
            out.append(f"the plan's {key} are not a list")
    paces = data.get("paces")
    if not isinstance(paces, list) or not paces:
        out.append("the plan has no pace")
    else:
        for n, pace in enumerate(paces):
            out += _pace_problems(pace, n)
    steps = data.get("steps")
    if not isinstance(steps, list) or not steps:
        out.append("the plan has no steps (its \"steps\" must be a non-empty list)")
    else:
        for n, step in enumerate(steps):
            out += _step_problems(step, n)
    return out


def _eq_problems(plan: Plan) -> list[str]:
    from taperdesk.core.catalogue import load_catalogue
    from taperdesk.core.drugs import CatalogueError

    catalogue = load_catalogue()
    out = []
    for step in plan.steps:
        try:
            total = sum(d.mg * float(catalogue.drug(d.drug).diazepam_factor(plan.equivalence_table))
                        for d in step.doses)
        except (CatalogueError, KeyError) as exc:
            return [f"the plan names a drug or table this TaperDesk does not know ({exc})"]
        if abs(total - step.diazepam_eq_mg) > EQ_TOLERANCE * max(1.0, total):
            out.append(f"step {step.index}'s diazepam-equivalent is {step.diazepam_eq_mg:g} mg but its doses "
                       f"add up to {total:.6g} mg")
    return out


def _ceiling_problems(plan: Plan, data: dict) -> list[str]:
    """R11 from this TaperDesk's own catalogue, not from the maxima the plan carries:
    a stored or imported plan could carry any maximum. A dose above the maximum
    needs the clinician's recorded confirmation; beyond five times it, never."""
    from taperdesk.core.catalogue import load_catalogue
    from taperdesk.core.ceilings import ABSURD_EQ_MG, ABSURD_MULTIPLE, CONFIRMED
    from taperdesk.core.drugs import CatalogueError

    catalogue = load_catalogue()
    confirmed = bool(data.get("high_dose_confirmed")) or any(CONFIRMED in str(w) for w in plan.warnings)
    out: list[str] = []
    worst: dict[str, float] = {}
    for step in plan.steps:
        for drug, mg in step.daily_mg.items():
            worst[drug] = max(worst.get(drug, 0.0), mg)
    for name, mg in sorted(worst.items()):
        try:
            drug = catalogue.drug(name)
        except (CatalogueError, KeyError):
            continue  # _eq_problems names an unknown drug
        limit = drug.max_daily_mg
        if limit is None:
            eq = mg * float(drug.diazepam_factor(plan.equivalence_table)) if drug.equivalents else mg
            if eq > ABSURD_EQ_MG:
                out.append(f"{name} reaches {mg:g} mg a day, more than {ABSURD_EQ_MG} mg diazepam-equivalent")
        elif mg > ABSURD_MULTIPLE * limit + 1e-9:
            out.append(f"{name} reaches {mg:g} mg a day, more than {ABSURD_MULTIPLE} times its maximum of {limit:g} mg")
        elif mg > limit + 1e-9 and not confirmed:
            out.append(f"{name} reaches {mg:g} mg a day, above its maximum of {limit:g} mg, with no confirmation")
    return out


def plan_problems(data: Any) -> list[str]:
    """All problems with a plan given as parsed JSON (empty: the plan can be trusted)."""
    shape = plan_shape_problems(data)
    if shape:
        return shape
    try:
        plan = Plan.from_dict(data)
        rules = check_plan(data)
    except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
        return [f"the plan cannot be read as a plan ({type(exc).__name__}: {exc})"]
    ceilings = [f"breaks the dose ceiling (R11): {p}" for p in _ceiling_problems(plan, data)]
    return ceilings + [f"breaks a planning rule: {p}" for p in rules] + _eq_problems(plan)


def stored_plan_problems(text: str) -> list[str]:
    """plan_problems for a plan kept as JSON text (a stored revision)."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        return [f"the stored plan is not readable JSON ({exc})"]
    return [f"the stored plan {p}" if p.startswith("breaks ") else f"the stored plan is damaged: {p}"
            for p in plan_problems(data)]
