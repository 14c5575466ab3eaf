"""Plans stored by the first engine: held to the rules they were made under,
the second pass's quality rules reported as notes, never as refusals; and a
safety rule (R1, R2, R4, R11) refuses whatever engine made the plan."""

from __future__ import annotations

import copy
from datetime import date, timedelta

from taperdesk.core.planner import make_plan
from taperdesk.core.regimen import Regimen
from taperdesk.core.rules import check_plan, review_plan
from taperdesk.core.settings import PlanSettings

NEW_KEYS = ("rules", "final_dose_eq_mg", "end_band", "cut_order", "crossover_days", "cut_grid_mg")


def _legacy(plan: dict) -> dict:
    """The JSON as the first engine wrote it: no rules-2 fields on the plan or its paces."""
    old = copy.deepcopy(plan)
    for key in (*NEW_KEYS, "drugs", "high_dose_confirmed", "fastest_rate_percent"):
        old.pop(key, None)
    for pace in old["paces"]:
        for key in NEW_KEYS:
            pace.pop(key, None)
    return old


def _stretch(plan: dict, index: int, days: int) -> dict:
    """Lengthen one step by `days` and shift the rest (a 15-day step: not whole weeks)."""
    out = copy.deepcopy(plan)
    for k, step in enumerate(out["steps"]):
        if k >= index:
            shift = timedelta(days=days)
            if k > index:
                step["start"] = (date.fromisoformat(step["start"]) + shift).isoformat()
            step["end"] = (date.fromisoformat(step["end"]) + shift).isoformat()
    return out


def _plan() -> dict:
    return make_plan(Regimen("diazepam", (("morning", 10.0), ("night", 10.0))),
                     PlanSettings(start=date(2026, 1, 5))).to_dict()


def test_a_first_engine_plan_with_odd_step_lengths_is_noted_not_refused():
    plan = _stretch(_legacy(_plan()), 1, 1)
    review = review_plan(plan)
    assert review.problems == [] and check_plan(plan) == []
    assert any(n.startswith("R8:") for n in review.notes)


def test_the_same_odd_step_refuses_a_second_pass_plan():
    plan = _stretch(_plan(), 1, 1)
    assert any(p.startswith("R8:") for p in check_plan(plan))


def test_safety_rules_refuse_either_way():
    for plan in (_plan(), _legacy(_plan())):
        broken = copy.deepcopy(plan)
        broken["steps"][2]["diazepam_eq_mg"] = broken["steps"][1]["diazepam_eq_mg"] + 1  # the dose rises
        assert any(p.startswith("R2:") for p in check_plan(broken))


def test_a_first_engine_plan_is_held_to_its_own_pace():
    plan = _legacy(_plan())
    fast = _stretch(plan, 0, -7)  # the first cut a week early: faster than its own 10% per 14 days
    assert any(p.startswith("R3:") for p in check_plan(fast))


def test_a_ceiling_without_a_confirmation_refuses():
    plan = _plan()
    plan["drugs"][0]["max_daily_mg"] = 15.0  # as if the catalogue said 15 mg a day
    assert any(p.startswith("R11:") for p in check_plan(plan))
