"""The reference cases of the clinical reference, checked against the engine."""

from __future__ import annotations

from datetime import date

import pytest

from taperdesk.core.dispensing import DrugStock
from taperdesk.core.planner import make_plan
from taperdesk.core.regimen import PlanInputError, Regimen
from taperdesk.core.rules import check_plan
from taperdesk.core.settings import PlanSettings

START = date(2026, 12, 1)


def weeks(plan) -> float:
    return ((plan.end - plan.start).days + 1) / 7


@pytest.mark.parametrize("daily, low, high", [(40, 30, 60), (20, 20, 40)])
def test_nice_stepwise_duration(daily, low, high):
    plan = make_plan(
        Regimen("diazepam", (("morning", daily / 2), ("night", daily / 2))),
        PlanSettings(start=START, method="stepwise"),
    )
    assert check_plan(plan.to_dict()) == []
    assert low <= weeks(plan) <= high
    # the bands' cuts: 4 mg above 20, 2 mg above 10, 1 mg above 5
    eqs = [s.diazepam_eq_mg for s in plan.steps]
    cuts = {round(a - b, 3) for a, b in zip(eqs, eqs[1:]) if b >= 20}
    if daily == 40:
        assert cuts == {4.0}


def test_lorazepam_crossover_night_first_then_morning_then_cuts():
    plan = make_plan(
        Regimen("lorazepam", (("morning", 1.0), ("night", 1.0))),
        PlanSettings(start=START, crossover=True),
    )
    first, second, third = plan.steps[:3]
    assert first.kind == "crossover" and second.kind == "crossover"
    assert [(d.time, d.drug, d.mg) for d in first.doses] == [("morning", "lorazepam", 1.0), ("night", "diazepam", 10.0)]
    assert [(d.time, d.drug, d.mg) for d in second.doses] == [("morning", "diazepam", 10.0), ("night", "diazepam", 10.0)]
    assert first.days == second.days == 7
    assert first.diazepam_eq_mg == second.diazepam_eq_mg == 20.0
    assert third.kind == "reduce" and third.diazepam_eq_mg < 20.0
    assert all(d.drug == "diazepam" for s in plan.steps[1:] for d in s.doses)
    # the morning dose is cut first, the night dose kept longest
    last_dose_step = plan.steps[-2]
    assert [d.time for d in last_dose_step.doses] == ["night"]
    assert plan.crossover_to == "diazepam"
    assert check_plan(plan.to_dict()) == []


def test_proportional_ten_percent_from_diazepam_10mg_with_liquid_takes_about_29_cuts():
    plan = make_plan(
        Regimen("diazepam", (("night", 10.0),)),
        PlanSettings(start=START, stock=(DrugStock("diazepam", liquid=True),)),
    )
    eqs = [s.diazepam_eq_mg for s in plan.steps]
    cuts_to_half_mg = next(i for i, eq in enumerate(eqs) if eq <= 0.5)
    assert 27 <= cuts_to_half_mg <= 32
    assert check_plan(plan.to_dict()) == []
    # every cut, the last ones included, within 10% per 14 days (R3); a cut a little over
    # 10% (the liquid's 0.04 mg steps) waits whole weeks longer (R8)
    for a, b in zip(plan.steps, plan.steps[1:]):
        if b.kind != "stop" and b.diazepam_eq_mg < a.diazepam_eq_mg:
            cut = (a.diazepam_eq_mg - b.diazepam_eq_mg) / a.diazepam_eq_mg
            assert cut / (a.days / 14) <= 0.1 + 1e-6
            assert a.days % 7 == 0 and a.days >= 14
    # the taper stops from 0.5 mg or less, not from 0.1 mL
    assert plan.steps[-1].kind == "stop" and 0 < plan.steps[-2].diazepam_eq_mg <= 0.5
    # once the liquid starts every dose is liquid, and no dose mixes tablets and liquid (R10)
    forms = [{u.form for u in s.doses[0].units} for s in plan.steps[:-1]]
    first = next(i for i, f in enumerate(forms) if f == {"liquid"})
    assert all(f == {"liquid"} for f in forms[first:]) and all(len(f) == 1 for f in forms)


def test_coarse_stock_waits_longer_rather_than_cutting_faster():
    plan = make_plan(
        Regimen("diazepam", (("night", 5.0),)),
        PlanSettings(start=START, stock=(DrugStock("diazepam", (5.0,), "half"),)),
    )
    # only 2.5 mg pieces: 5 -> 2.5 is a 50% cut, the smallest the stock can take off; at 10% per
    # 14 days it waits 70 days (R3, no end-phase exemption), then the stop from 2.5 mg (R5)
    assert [(s.diazepam_eq_mg, s.days) for s in plan.steps] == [(5.0, 70), (2.5, 14), (0.0, 1)]
    assert any(w.startswith("Waits longer than twice the interval") for w in plan.warnings)
    plan = make_plan(
        Regimen("diazepam", (("night", 25.0),)),
        PlanSettings(start=START, stock=(DrugStock("diazepam", (10.0,), "half"),)),
    )
    # only 5 mg pieces: 25 -> 20 is a 20% cut against a 10% pace, so it waits 28 days, not 14
    assert plan.steps[0].days == 28 and plan.steps[1].diazepam_eq_mg == 20.0
    assert check_plan(plan.to_dict()) == []


def test_nhs_scotland_lorazepam_table_exactly():
    """Clinical reference section 10: morning cut to zero first, night held at 10 mg."""
    plan = make_plan(
        Regimen("lorazepam", (("morning", 1.0), ("night", 1.0))),
        PlanSettings(start=START, crossover=True, method="fixed", cut_mg=1.0, cut_order="morning,night"),
    )
    assert check_plan(plan.to_dict()) == []
    totals = [s.diazepam_eq_mg for s in plan.steps]
    assert totals == [20.0, 20.0, *[float(t) for t in range(19, 0, -1)], 0.0]
    rows = [{d.time: (d.drug, d.mg) for d in s.doses} for s in plan.steps]
    assert rows[0] == {"morning": ("lorazepam", 1.0), "night": ("diazepam", 10.0)}
    assert rows[1] == {"morning": ("diazepam", 10.0), "night": ("diazepam", 10.0)}
    for k, morning in enumerate(range(9, -1, -1), start=2):  # steps 3-12 of the table
        assert rows[k].get("morning", (None, 0.0))[1] == morning and rows[k]["night"] == ("diazepam", 10.0)
    for k, night in enumerate(range(9, 0, -1), start=12):  # steps 13-21
        assert rows[k] == {"night": ("diazepam", float(night))}
    assert plan.steps[-1].kind == "stop"
    # whole-milligram doses throughout
    assert all(float(d.mg).is_integer() for s in plan.steps for d in s.doses if d.drug == "diazepam")


@pytest.mark.parametrize("daily, low, high", [(40, 30, 60), (20, 20, 40)])
def test_nice_cks_durations_with_the_nice_end_band(daily, low, high):
    plan = make_plan(
        Regimen("diazepam", (("morning", daily / 2), ("night", daily / 2))),
        PlanSettings(start=START, method="stepwise", end_band="nice"),
    )
    assert check_plan(plan.to_dict()) == []
    assert low <= weeks(plan) <= high
    assert any(w.startswith("End band: NICE CKS") for w in plan.warnings)


def test_fast_pace_is_refused_without_override_and_recorded_with_it():
    regimen = Regimen("diazepam", (("night", 10.0),))
    with pytest.raises(PlanInputError, match="faster than the guideline"):
        make_plan(regimen, PlanSettings(start=START, cut_percent=20, interval_days=7))
    plan = make_plan(regimen, PlanSettings(start=START, cut_percent=20, interval_days=7, allow_fast=True))
    assert any(w.startswith("PACE OVERRIDE") for w in plan.warnings)
    with pytest.raises(PlanInputError, match="more than 25%"):
        make_plan(regimen, PlanSettings(start=START, cut_percent=30, allow_fast=True))


def test_target_dose_ends_on_the_target_without_a_stop_step():
    plan = make_plan(Regimen("diazepam", (("night", 10.0),)), PlanSettings(start=START, target_mg=5))
    assert plan.steps[-1].diazepam_eq_mg == 5.0 and plan.steps[-1].kind == "reduce"
    assert not plan.stops
    with pytest.raises(PlanInputError, match="at or above the current dose"):
        make_plan(Regimen("diazepam", (("night", 10.0),)), PlanSettings(start=START, target_mg=10))


def test_vadod_table_and_its_gaps():
    plan = make_plan(Regimen("lorazepam", (("night", 2.0),)), PlanSettings(start=START, table="vadod"))
    assert plan.steps[0].diazepam_eq_mg == 10.0
    with pytest.raises(Exception, match="VA/DoD"):
        make_plan(Regimen("nitrazepam", (("night", 5.0),)), PlanSettings(start=START, table="vadod"))


def test_doses_that_cannot_be_made_are_refused_with_the_stock_named():
    with pytest.raises(PlanInputError, match=r"cannot be made from the stock \(10 mg tablet"):
        make_plan(
            Regimen("diazepam", (("night", 7.0),)),
            PlanSettings(start=START, stock=(DrugStock("diazepam", (10.0,), "none"),)),
        )
