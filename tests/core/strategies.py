"""Hypothesis strategies for regimens, stocks and settings across the whole catalogue."""

from __future__ import annotations

import math

from datetime import date
from fractions import Fraction

from hypothesis import strategies as st

from taperdesk.core.catalogue import load_catalogue
from taperdesk.core.dispensing import DrugStock, dispenser_for
from taperdesk.core.quantity import Q
from taperdesk.core.regimen import TIMES, Regimen
from taperdesk.core.settings import PlanSettings

CATALOGUE = load_catalogue()
DRUGS = [d.name for d in CATALOGUE.drugs if CATALOGUE.formulations_for(d.name)]


@st.composite
def drug_stocks(draw, drug: str) -> DrugStock:
    strengths = CATALOGUE.solid_strengths(drug)
    chosen = draw(st.lists(st.sampled_from(strengths), min_size=1, max_size=len(strengths), unique=True)) if strengths else None
    return DrugStock(
        drug,
        tuple(sorted(chosen)) if chosen else None,
        draw(st.sampled_from(("none", "half", "quarter"))),
        draw(st.booleans()),
    )


@st.composite
def regimens(draw, drug: str, stock: DrugStock) -> Regimen:
    """1-4 dose times, each a dose the stock can make, 1-60 mg diazepam-equivalent a day."""
    # a patient's doses are all tablets or all liquid (R10): draw them from one form
    both = dispenser_for(CATALOGUE, stock)
    dispenser = both.only("solid") or both.only("liquid")
    factor = CATALOGUE.drug(drug).diazepam_factor("ashton")
    times = draw(st.lists(st.sampled_from(TIMES), min_size=1, max_size=4, unique=True))
    doses = []
    ceiling = CATALOGUE.drug(drug).max_daily_mg
    top = min(60, float(Fraction(str(ceiling)) * factor)) if ceiling else 60  # R11: at or below the maximum
    for time in times:
        eq = draw(st.floats(min_value=min(0.5, top / len(times)), max_value=top / len(times)))
        q = dispenser.floor(int(Fraction(eq) / factor * Q))
        if q <= 0:
            q = dispenser.smallest_piece_q
            while not dispenser.can_make(q):
                q += dispenser.grid
        doses.append((time, q / Q))
    while ceiling and len(doses) > 1 and sum(mg for _, mg in doses) > ceiling:
        doses.pop()  # the smallest doses the stock makes can add up past the maximum
    return Regimen(drug, tuple(doses))


@st.composite
def plan_inputs(draw, *, crossover=None, fast=None, target=None):
    drug = draw(st.sampled_from(DRUGS))
    cross = draw(st.booleans()) if crossover is None else crossover
    own_stock = draw(drug_stocks(drug))
    stocks = [own_stock]
    if cross and drug != "diazepam":
        stocks.append(draw(drug_stocks("diazepam")))
    regimen = draw(regimens(drug, own_stock))
    method = draw(st.sampled_from(("proportional", "fixed", "stepwise")))
    interval = draw(st.integers(min_value=1, max_value=35))
    kwargs = {}
    limit = min(25.0, 25.0 * interval / 14)
    if method == "proportional":
        cut = draw(st.floats(min_value=min(5, limit), max_value=25 if fast else limit))
        kwargs["cut_percent"] = math.floor(cut * 10) / 10
    elif method == "fixed":
        if draw(st.booleans()):
            kwargs["cut_percent"] = math.floor(draw(st.floats(min_value=min(5, limit), max_value=25 if fast else limit)) * 10) / 10
        else:
            # 3-25% of the day's dose in the tapered drug (slower than 5% a cut can run past ten years)
            factor = CATALOGUE.drug(drug).diazepam_factor("ashton") / CATALOGUE.drug("diazepam" if cross else drug).diazepam_factor("ashton")
            daily = float(Fraction(str(regimen.daily_mg)) * factor)
            kwargs["cut_mg"] = max(0.01, round(daily * draw(st.floats(min_value=0.05, max_value=0.25)), 2))
    tapered = "diazepam" if cross else drug
    target_mg = 0.0
    if target or (target is None and draw(st.integers(0, 5)) == 0):
        factor = CATALOGUE.drug(drug).diazepam_factor("ashton") / CATALOGUE.drug(tapered).diazepam_factor("ashton")
        target_mg = round(float(Fraction(str(regimen.daily_mg)) * factor) * draw(st.floats(0.05, 0.8)), 2)
    settings = PlanSettings(
        start=draw(st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))),
        method=method,
        interval_days=interval,
        crossover=cross,
        crossover_days=draw(st.integers(1, 14)),
        keep_longest=draw(st.sampled_from(TIMES)),
        target_mg=target_mg,
        allow_fast=bool(fast),
        end_band=draw(st.sampled_from(("default", "default", "nice"))),
        final_dose_eq_mg=draw(st.sampled_from((None, None, 0.25, 1.0, 2.5))),
        confirm_high_dose=draw(st.booleans()),
        stock=tuple(stocks),
        **kwargs,
    )
    if draw(st.integers(0, 2)) == 0:  # a clinician's cut order (NHS Scotland's pattern), else even
        order = draw(st.permutations([t for t, _ in regimen.doses]))
        settings = settings.with_(cut_order=",".join(order))
    return regimen, settings
