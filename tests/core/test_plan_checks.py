"""core.plan_checks: what a stored or imported plan must pass before it is
trusted. Every plan the planner makes (with holds and revisions) passes it
(no false alarm on paper); broken shapes, changed doses and changed totals
do not, each with a sentence that names the step."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taperdesk.core.edits import hold
from taperdesk.core.plan_checks import plan_problems, plan_shape_problems, stored_plan_problems
from taperdesk.core.planner import make_plan
from taperdesk.core.regimen import PlanInputError, Regimen
from taperdesk.core.settings import PlanSettings
from tests.core.strategies import CATALOGUE, plan_inputs

SOME = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SOME
@given(inputs=plan_inputs(), hold_at=st.integers(0, 400), hold_days=st.integers(1, 60))
def test_every_plan_the_planner_makes_passes(inputs, hold_at, hold_days):
    regimen, plan_settings = inputs
    try:
        plan = make_plan(regimen, plan_settings, CATALOGUE)
    except PlanInputError:
        return
    assert plan_problems(plan.to_dict()) == []
    assert stored_plan_problems(plan.to_json()) == []
    day = plan.start + timedelta(days=hold_at)
    if plan.start <= day < plan.end:
        held = hold(plan, day, hold_days, "a flare")
        assert stored_plan_problems(held.to_json()) == []


@pytest.fixture(scope="module")
def plan_data():
    plan = make_plan(Regimen("lorazepam", (("morning", 1.0), ("night", 1.0))),
                     PlanSettings(start=date(2026, 12, 1), crossover=True), CATALOGUE)
    return plan.to_dict()


def _changed(data, change):
    copy = json.loads(json.dumps(data))
    change(copy)
    return copy


def test_a_dose_changed_without_its_tablets_breaks_r4(plan_data):
    data = _changed(plan_data, lambda d: d["steps"][1]["doses"][0].update(mg=90.0))
    problems = plan_problems(data)
    assert "breaks a planning rule: R4: step 1 morning is 90.0 mg but its units make 10.0 mg" in problems
    assert any(p.startswith("step 1's diazepam-equivalent is 20 mg but its doses add up to 100") for p in problems)


def test_a_changed_total_shows(plan_data):
    data = _changed(plan_data, lambda d: d["steps"][0].update(diazepam_eq_mg=d["steps"][0]["diazepam_eq_mg"] * 10))
    assert "step 0's diazepam-equivalent is 200 mg but its doses add up to 20 mg" in plan_problems(data)


@pytest.mark.parametrize("change,expected", [
    (lambda d: d.update(steps="lol"), "the plan has no steps (its \"steps\" must be a non-empty list)"),
    (lambda d: d.update(start="2027-02-30"), "the plan's start is not a date (YYYY-MM-DD)"),
    (lambda d: d["steps"][2].update(kind="party"), "step 2's kind is not one of start, crossover, reduce, hold, stop"),
    (lambda d: d["steps"][0]["doses"][0].update(time="noonish"), "step 0 has a dose at 'noonish', not one of"),
    (lambda d: d["steps"][0]["doses"][0]["units"][0].update(count=True), "the tablet's count must be a positive"),
    (lambda d: d["steps"][0].update(diazepam_eq_mg=1e400), "step 0's diazepam-equivalent dose is not a number"),
    (lambda d: d.update(paces=[]), "the plan has no pace"),
])
def test_broken_shapes_are_named(plan_data, change, expected):
    problems = plan_shape_problems(_changed(plan_data, change))
    assert any(p.startswith(expected) or expected in p for p in problems), problems


def test_stored_text_that_is_not_json_or_not_a_plan(plan_data):
    assert stored_plan_problems("{\"drug\": ")[0].startswith("the stored plan is not readable JSON")
    assert stored_plan_problems("[" * 100_000)[0].startswith("the stored plan is not readable JSON")
    assert stored_plan_problems("[]") == ["the stored plan is damaged: the plan is not a JSON object"]


def test_a_dose_above_the_catalogues_maximum_is_caught_whatever_maximum_the_plan_carries():
    """Every dose x100 with the plan's own maxima raised to match: the catalogue's
    ceiling still refuses it (an imported file could carry any maximum)."""
    import json as _json
    from datetime import date as _date

    from taperdesk.core.plan_checks import plan_problems
    from taperdesk.core.planner import make_plan
    from taperdesk.core.regimen import Regimen
    from taperdesk.core.settings import PlanSettings

    plan = make_plan(Regimen("diazepam", (("morning", 5.0), ("night", 5.0))), PlanSettings(start=_date(2026, 12, 1)))
    data = _json.loads(plan.to_json())
    assert plan_problems(data) == []
    for step in data["steps"]:
        for dose in step["doses"]:
            dose["mg"] *= 100
            for unit in dose["units"]:
                unit["count"] *= 100
        step["daily_mg"] = {k: v * 100 for k, v in step["daily_mg"].items()}
        step["diazepam_eq_mg"] *= 100
    for drug in data.get("drugs", []):
        drug["max_daily_mg"] = 1e6
    data["high_dose_confirmed"] = True
    problems = plan_problems(data)
    assert any("R11" in p and "diazepam reaches 1000 mg a day, more than 5 times its maximum of 40 mg" in p
               for p in problems), problems
