"""The pharmacy order and the dose-box sheet say what the calendar says: a
property sums every day's units over each supply period (straight from the
day-by-day answer the calendar prints) and finds the same quantities printed
on the order; the dose-box sheet holds each day's doses per compartment."""

from __future__ import annotations

import math
import os
from collections import defaultdict
from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from taperdesk.core.dispensing import DrugStock
from taperdesk.core.in_force import InForce, StatusChange
from taperdesk.core.planner import make_plan
from taperdesk.core.regimen import PlanInputError, Regimen
from taperdesk.core.settings import PlanSettings
from taperdesk.core.supply import BOTTLE_ML, supply_periods
from taperdesk.core.words import unit_in_words
from taperdesk.export.dose_box import dose_box_pdf
from taperdesk.export.fonts import ExportError
from taperdesk.export.pharmacy_order import pharmacy_order_pdf
from tests.core.strategies import plan_inputs
from tests.export.test_patient_handout import CLINIC, ZOE, pages_text

EXAMPLES = int(os.environ.get("TAPERDESK_PAPER_EXAMPLES", "5"))
START = date(2026, 12, 1)


def calendar_sums(course: InForce, first: date, last: date) -> dict[tuple, Fraction]:
    """Units per product over the days, added up day by day as the calendar prints them."""
    out: dict[tuple, Fraction] = defaultdict(Fraction)
    for answer in course.days(first, last):
        if not answer.in_force:
            continue
        for dose in answer.doses:
            for u in dose.units:
                key = (dose.drug, u.form, float(u.mg_per_ml if u.form == "liquid" else u.strength_mg))
                out[key] += Fraction(u.ml) if u.form == "liquid" else Fraction(u.count)
    return dict(out)


def expected_rows(course, printed, days):
    """(period first, last, {product: whole units or bottles to dispense}) from the day sums."""
    rows = []
    for period in supply_periods(course, printed, days):
        sums = calendar_sums(course, period.first, period.last)
        rows.append((period.first, period.last,
                     {k: math.ceil(v / BOTTLE_ML) if k[1] == "liquid" else math.ceil(v) for k, v in sums.items()}))
    return rows


def order(plan, printed=START, statuses=(), days=28):
    return pharmacy_order_pdf(plan=plan, patient=ZOE, clinic=CLINIC, revision=2, printed_on=printed,
                              statuses=statuses, supply_days=days, invariant=True)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inputs=plan_inputs(), days=st.sampled_from([7, 14, 28]), skip=st.integers(0, 200))
def test_quantities_are_the_calendars_units(inputs, days, skip):
    regimen, plan_settings = inputs
    try:
        plan = make_plan(regimen, plan_settings)
    except PlanInputError:
        assume(False)
    printed = max(plan.start, plan.end - timedelta(days=skip))
    course = InForce(plan, ())
    text = " ".join(pages_text(order(plan, printed, days=days)))
    periods = supply_periods(course, printed, days)
    for (first, last, want), period in zip(expected_rows(course, printed, days), periods):
        assert (period.first, period.last) == (first, last)
        got = {(ln.product.drug, ln.product.form, ln.product.strength): ln.dispense for ln in period.lines}
        assert got == want
        for line in period.lines:
            words = " ".join(line.quantity_words().replace("\u00a0", " ").split())
            assert words in text, (words, line)
    assert "Signature:" in text and "Date:" in text and ZOE.identifier in text and "3 March 1970" in text


def test_demo_like_plan_totals_and_directions():
    plan = make_plan(Regimen("lorazepam", (("morning", 1.0), ("night", 1.0))), PlanSettings(start=START, crossover=True))
    course = InForce(plan, ())
    text = " ".join(pages_text(order(plan, days=14)))
    whole = calendar_sums(course, plan.start, plan.end)
    assert "Totals for the plan" in text
    for (drug, form, strength), used in whole.items():
        assert f"{drug} {strength:g} mg {form}s" in text
        assert f"{float(used):g} {form}s" in text  # used over the whole plan
    assert "Directions" in text and "morning 1 mg lorazepam (one 1 mg tablet)" in text
    assert "Prescriber Dr Ines Okafor" in text


def test_liquid_in_ml_and_bottles():
    plan = make_plan(Regimen("diazepam", (("night", 2.0),)),
                     PlanSettings(start=START, stock=(DrugStock("diazepam", (), "none", liquid=True),)))
    course = InForce(plan, ())
    period = supply_periods(course, START, 28)[0]
    ml = calendar_sums(course, period.first, period.last)
    (key, used), = ml.items()
    text = " ".join(pages_text(order(plan)))
    assert f"{float(used):g} mL: {math.ceil(used / BOTTLE_ML)} × {BOTTLE_ML} mL bottle" in text


def test_paused_plan_orders_one_supply_of_the_kept_dose_and_draft_is_refused():
    plan = make_plan(Regimen("diazepam", (("morning", 5.0), ("night", 10.0))), PlanSettings(start=START))
    paused = (StatusChange("active", START), StatusChange("paused", date(2027, 1, 10)))
    text = " ".join(pages_text(order(plan, date(2027, 1, 12), paused, 14)))
    assert "Supply 2" not in text and "this order covers one supply" in text
    with pytest.raises(ExportError, match="draft"):
        order(plan, statuses=(StatusChange("draft", START),))
    with pytest.raises(ExportError, match="7, 14, 28"):
        order(plan, days=10)


def test_dose_box_sheet_fills_each_compartment():
    plan = make_plan(Regimen("lorazepam", (("morning", 1.0), ("night", 1.0))), PlanSettings(start=START, crossover=True))
    course = InForce(plan, ())
    pdf = dose_box_pdf(plan=plan, patient=ZOE, clinic=CLINIC, revision=2, printed_on=START, invariant=True)
    pages = pages_text(pdf)
    assert pages[0].startswith("Dose box: week of Mon 30 Nov 2026")
    first_week = pages[0]
    for answer in course.days(START, START + timedelta(days=5)):
        for dose in answer.doses:
            assert " + ".join(unit_in_words(u) for u in dose.units) in first_week
    assert "not in this supply" in first_week  # Monday 30 November is before the plan
    assert all(ZOE.identifier in p for p in pages)
