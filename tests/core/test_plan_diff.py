"""diff_plans: what a hold or a revision changed, in sentences a clinician reads."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from fractions import Fraction

import pytest

from taperdesk.core.catalogue import load_catalogue
from taperdesk.core.dispensing import Unit
from taperdesk.core.edits import hold, revise
from taperdesk.core.plan_diff import describe_doses, diff_plans, first_plan_summary, format_day
from taperdesk.core.planner import make_plan
from taperdesk.core.regimen import Regimen
from taperdesk.core.settings import PlanSettings

CATALOGUE = load_catalogue()
START = date(2026, 1, 5)
SETTINGS = PlanSettings(start=START)


@pytest.fixture(scope="module")
def diazepam():
    """10 mg at night, 10% every 14 days: 8 mg from 9 Feb to 1 Mar, 7 mg from 2 Mar; stops 30 Nov 2026."""
    return make_plan(Regimen("diazepam", (("night", 10.0),)), SETTINGS, CATALOGUE)


def test_same_plan_no_change(diazepam):
    assert diff_plans(diazepam, diazepam) == []


def test_format_day_is_locale_free():
    assert format_day(date(2026, 2, 9)) == "9 Feb 2026"


def test_hold_added(diazepam):
    held = hold(diazepam, date(2026, 2, 10), 14, "poor sleep")
    assert diff_plans(diazepam, held) == [
        "Hold added from 10 Feb 2026 for 14 days (poor sleep).",
        "Doses first differ on 2 Mar 2026: 7 mg diazepam a day at night before this revision,"
        " 8 mg diazepam a day at night now.",
        "Stop date moved from 30 Nov 2026 to 14 Dec 2026 (14 days later).",
    ]


def test_revised_pace(diazepam):
    slower = revise(diazepam, date(2026, 3, 1), SETTINGS.with_(interval_days=28, cut_percent=5), CATALOGUE)
    assert diff_plans(diazepam, slower) == [
        "Pace from 1 Mar 2026: cuts of at most 5% every 28 days (was 10% every 14 days).",
        # 8 mg since 9 Feb: a 6.25% cut at 5% per 28 days waits 35 days, to 16 Mar (R3, whole weeks R8)
        "Doses first differ on 2 Mar 2026: 7 mg diazepam a day at night before this revision,"
        " 8 mg diazepam a day at night now.",
        "Stop date moved from 30 Nov 2026 to 8 Jan 2029 (770 days later).",
        "16 cuts instead of 15.",
    ]
    assert slower.step_on(date(2026, 3, 15)).diazepam_eq_mg == 8.0
    assert slower.step_on(date(2026, 3, 16)).diazepam_eq_mg == 7.5


def test_method_and_cut_count(diazepam):
    stepwise = revise(diazepam, date(2026, 3, 1), SETTINGS.with_(method="stepwise"), CATALOGUE)
    lines = diff_plans(diazepam, stepwise)
    assert "Method changed from proportional to stepwise." in lines
    a, b = len(diazepam.cut_dates()), len(stepwise.cut_dates())
    assert a != b
    assert lines[-1] == f"{b} cuts instead of {a}."


def test_target_and_end_date(diazepam):
    stay = revise(diazepam, date(2026, 3, 1), SETTINGS.with_(target_mg=2.0), CATALOGUE)
    lines = diff_plans(diazepam, stay)
    assert "Target changed from stopping to staying on 2 mg diazepam a day." in lines
    assert any(line.startswith("End date moved from 30 Nov 2026 to ") for line in lines)
    assert "Stop date" not in " ".join(lines)


def test_end_of_the_taper(diazepam):
    later = revise(diazepam, date(2026, 3, 1), SETTINGS.with_(final_dose_eq_mg=2.0, cut_order="night"), CATALOGUE)
    assert ("End from 1 Mar 2026: stops from 2 mg diazepam-equivalent a day or less, cut order night"
            " (was 1 mg, cut order even).") in diff_plans(diazepam, later)


def test_revision_keeps_holds_unreported(diazepam):
    held = hold(diazepam, date(2026, 4, 1), 7, "travel")
    slower = revise(held, date(2026, 3, 1), SETTINGS.with_(interval_days=21), CATALOGUE)
    lines = diff_plans(held, slower)
    assert not any(line.startswith("Hold") for line in lines)


def test_hold_inside_a_hold_splits_it(diazepam):
    held = hold(diazepam, date(2026, 2, 10), 14, "poor sleep")
    inside = hold(held, date(2026, 2, 15), 7, "flu")
    assert diff_plans(held, inside)[:2] == [
        "Hold added from 15 Feb 2026 for 7 days (flu).",
        "Hold from 10 Feb 2026 for 14 days (poor sleep) is split by a new hold; it now ends on 2 Mar 2026.",
    ]
    same_reason = hold(held, date(2026, 2, 20), 7, "poor sleep")
    assert diff_plans(held, same_reason)[:2] == [
        "Hold added from 20 Feb 2026 for 7 days (poor sleep).",
        "Hold from 10 Feb 2026 for 14 days (poor sleep) is split by a new hold; it now ends on 2 Mar 2026.",
    ]


def test_earlier_hold_moves_a_later_one(diazepam):
    held = hold(diazepam, date(2026, 2, 10), 14, "poor sleep")
    earlier = hold(held, date(2026, 2, 1), 14, "poor sleep")
    assert diff_plans(held, earlier)[:2] == [
        "Hold added from 1 Feb 2026 for 14 days (poor sleep).",
        "Hold from 10 Feb 2026 for 14 days (poor sleep) moved to 24 Feb 2026.",
    ]


def test_hold_removed(diazepam):
    held = hold(diazepam, date(2026, 2, 10), 1, "missed clinic")
    lines = diff_plans(held, diazepam)
    assert lines[0] == "Hold from 10 Feb 2026 for 1 day (missed clinic) removed."
    assert lines[-1] == "Stop date moved from 1 Dec 2026 to 30 Nov 2026 (1 day earlier)."


def test_same_doses_other_tablets(diazepam):
    step = diazepam.steps[1]
    dose = step.doses[0]
    other = replace(dose, units=(Unit("tablet", strength_mg=2.0, count=Fraction(9, 2)),))
    changed = replace(diazepam, steps=(diazepam.steps[0], replace(step, doses=(other,)), *diazepam.steps[2:]))
    assert diff_plans(diazepam, changed) == ["Same doses, made up from other tablets or liquid from 19 Jan 2026."]


def test_crossover_doses_described():
    plan = make_plan(Regimen("lorazepam", (("morning", 1.0), ("night", 1.0))),
                     SETTINGS.with_(crossover=True), CATALOGUE)
    summary = first_plan_summary(plan)
    assert summary[0] == ("First plan: lorazepam with a crossover to diazepam, proportional method,"
                          " cuts of at most 10% every 14 days.")
    assert summary[1] == ("Starts on 5 Jan 2026 with 1 mg lorazepam and 10 mg diazepam a day"
                          " (morning 1 mg lorazepam, night 10 mg diazepam).")
    assert summary[2].endswith(f"stops on {format_day(plan.end)} ({(plan.end - plan.start).days + 1} days).")
    no_crossover = make_plan(Regimen("lorazepam", (("morning", 1.0), ("night", 1.0))), SETTINGS, CATALOGUE)
    assert "Crossover to diazepam removed." in diff_plans(plan, no_crossover)
    assert describe_doses(no_crossover.steps[0]) == "2 mg lorazepam a day (morning 1 mg, night 1 mg)"


def test_first_plan_summary_lists_holds_and_target(diazepam):
    held = hold(diazepam, date(2026, 2, 10), 14, "poor sleep")
    assert first_plan_summary(held)[-1] == "Hold from 10 Feb 2026 for 14 days (poor sleep)."
    stay = make_plan(Regimen("diazepam", (("night", 10.0),)), SETTINGS.with_(target_mg=5.0), CATALOGUE)
    assert "stays on 5 mg diazepam a day at night" in first_plan_summary(stay)[2]
    assert describe_doses(None) == "nothing (outside the plan)"
    assert describe_doses(diazepam.steps[-1]) == "no dose (stopped)"
