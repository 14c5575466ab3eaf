"""The wizard's issue-10 controls: cut order, final dose, NICE end band, the
high-dose confirmation, and the offer of a shorter plan with a finer stock.
Each is checked by what the review page's model then shows, which must equal
the engine's plan for the same settings."""

from __future__ import annotations

from taperdesk.core.catalogue import load_catalogue
from taperdesk.core.dispensing import DrugStock
from taperdesk.core.planner import make_plan
from taperdesk.core.regimen import Regimen
from taperdesk.core.settings import PlanSettings
from taperdesk.ui.wizard.wizard import APPROACH_PAGE, DISPENSING_PAGE, REVIEW_PAGE
from tests.ui.test_wizard import START, can_go_on, enter, go_to, wizard  # noqa: F401 (the fixture)


def _review_totals(w) -> list[float]:
    model = w.review_page.model
    return [model.step(r).diazepam_eq_mg for r in range(model.rowCount())]


def test_nhs_scotland_order_from_the_wizard(wizard):
    w = wizard()
    enter(w, "lorazepam", morning=1, night=1)
    page = w.approach_page
    page.crossover.setChecked(True)
    page.method_radio["fixed"].setChecked(True)
    page.fixed_unit.setCurrentIndex(0)
    page.fixed_mg.setValue(1.0)
    page.cut_order.setCurrentIndex(1)  # cut the first dose of the day to zero first
    go_to(w, REVIEW_PAGE)
    assert _review_totals(w) == [20.0, 20.0, *[float(t) for t in range(19, 0, -1)], 0.0]
    expected = make_plan(Regimen("lorazepam", (("morning", 1.0), ("night", 1.0))),
                         PlanSettings(start=START, method="fixed", cut_mg=1.0, interval_days=14, crossover=True,
                                      crossover_days=7, cut_order="morning,night",
                                      stock=(DrugStock("diazepam"), DrugStock("lorazepam"))),
                         load_catalogue())
    assert w.plan().to_json() == expected.to_json()


def test_high_dose_needs_the_box_and_is_written_on_the_plan(wizard):
    w = wizard()
    enter(w, "lorazepam", morning=6, night=6)
    go_to(w, APPROACH_PAGE)
    assert not can_go_on(w)
    message = w.approach_page.error.text()
    assert "maximum of 10 mg a day" in message and "Confirm a high dose (above the maximum)" in message
    w.approach_page.confirm_high.setChecked(True)
    assert can_go_on(w)
    go_to(w, REVIEW_PAGE)
    assert w.plan().high_dose_confirmed
    assert any(x.startswith("HIGH DOSE CONFIRMED") for x in w.plan().warnings)


def test_final_dose_and_nice_band(wizard):
    w = wizard()
    enter(w, "diazepam", morning=10, night=10)
    w.approach_page.method_radio["stepwise"].setChecked(True)
    w.approach_page.nice_band.setChecked(True)
    w.approach_page.final_dose.setValue(2.0)
    go_to(w, REVIEW_PAGE)
    plan = w.plan()
    assert plan.pace.end_band == "nice" and plan.pace.final_dose_eq_mg == 2.0
    assert 0 < plan.steps[-2].diazepam_eq_mg <= 2.0 and plan.steps[-1].kind == "stop"
    assert any(x.startswith("End band: NICE CKS") for x in plan.warnings)
    text = w.review_page.summary.text()  # R12: the wizard states the fastest cut actually used
    assert f"fastest cut used <b>{plan.fastest_rate_percent():g}%</b> per 14 days" in text
    assert "stops from <b>2 mg</b>" in text


def test_the_offer_of_a_finer_stock_switches_it(wizard):
    w = wizard()
    enter(w, "diazepam", night=10)  # halves of 2 mg: 2 mg -> 1 mg is a 50% cut, waited 10 weeks
    go_to(w, DISPENSING_PAGE)
    offer = w.dispensing_page.shorter
    assert offer.isVisible() and [o.change for o in offer.offers] == ["liquid"]
    best = offer.offers[0]
    assert "instead of 50%" in best.text and f"{best.biggest_cut:g}%" in best.text
    before = w.plan()
    offer.switch.emit(best.change)
    assert w.dispensing_page.liquid.isChecked()
    after = w.plan()
    assert (before.end - before.start).days - (after.end - after.start).days != 0
    assert any(u.form == "liquid" for s in after.steps for d in s.doses for u in d.units)
    go_to(w, REVIEW_PAGE)
    assert can_go_on(w)
