"""The taper wizard, driven through its widgets' own setters (never sleeps).

What the wizard shows and returns must be the engine's answer for the
same inputs: the review table, the curve and `plan()` are compared with
make_plan / edits.revise called directly."""

from __future__ import annotations

from datetime import date, timedelta

import re

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QWizard

from taperdesk.core.catalogue import load_catalogue
from taperdesk.core.dispensing import DrugStock
from taperdesk.core.edits import hold, revise
from taperdesk.core.planner import make_plan
from taperdesk.core.quantity import fmt_mg
from taperdesk.core.regimen import Regimen
from taperdesk.core.settings import PlanSettings
from taperdesk.ui.wizard import TaperWizard
from taperdesk.ui.wizard.review_page import timestamp
from taperdesk.ui.wizard.step_model import StepRole
from taperdesk.ui.wizard.wizard import APPROACH_PAGE, DISPENSING_PAGE, REGIMEN_PAGE, REVIEW_PAGE

START = date(2026, 12, 1)
PACE = {"method": "proportional", "cut_percent": 10.0, "interval_days": 14}
LORAZEPAM_1_1 = Regimen("lorazepam", (("morning", 1.0), ("night", 1.0)))
CROSSOVER = PlanSettings(
    start=START, cut_percent=10.0, interval_days=14, crossover=True, crossover_days=7,
    stock=(DrugStock("diazepam"), DrugStock("lorazepam")),
)


@pytest.fixture
def wizard(qtbot):
    made: list[TaperWizard] = []

    def make(**kwargs) -> TaperWizard:
        args = dict(catalogue=load_catalogue(), clinic_stock=(), default_pace=PACE, table="ashton", start=START)
        w = TaperWizard(**{**args, **kwargs})
        made.append(w)
        w.show()
        qtbot.waitExposed(w)
        return w

    yield make
    # Delete each wizard here, in order. Left to Python's cycle collector, a
    # parentless window (and its pyqtgraph scene) can be destroyed in the middle
    # of a later test's event processing, which crashes in a paint event.
    for w in made:
        w.close()
        w.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def enter(w: TaperWizard, drug: str, **doses: float) -> None:
    w.regimen_page.drug.setEditText(drug)
    for time, mg in doses.items():
        w.regimen_page.doses[time].setValue(mg)


def go_to(w: TaperWizard, page_id: int) -> None:
    while w.currentId() < page_id:
        before = w.currentId()
        w.button(QWizard.WizardButton.NextButton).click()  # as a user would: a disabled button does nothing
        assert w.currentId() != before, f"stuck on page {before}: {w.outcome().errors}"


def can_go_on(w: TaperWizard) -> bool:
    if w.currentId() == REVIEW_PAGE:
        return w.review_page.start_button.isEnabled()
    return w.button(QWizard.WizardButton.NextButton).isEnabled()


# -- the plan is the engine's --------------------------------------------------------
def test_lorazepam_crossover_review_equals_make_plan(wizard):
    w = wizard()
    enter(w, "lorazepam", morning=1, night=1)
    assert not w.approach_page.crossover.isChecked()  # suggested, never forced
    w.approach_page.crossover.setChecked(True)
    go_to(w, REVIEW_PAGE)

    expected = make_plan(LORAZEPAM_1_1, CROSSOVER, load_catalogue())
    model = w.review_page.model
    assert model.rowCount() == len(expected.steps)
    for row, step in enumerate(expected.steps):
        def cell(key, row=row):
            return model.data(model.index(row, model.column_of(key)))
        assert (cell("start"), cell("end")) == (step.start.isoformat(), step.end.isoformat())
        assert cell("days") == str(step.days)
        assert cell("eq") == fmt_mg(step.diazepam_eq_mg)
        assert model.data(model.index(row, 0), StepRole) == step
    assert [model.step(r).kind for r in range(model.rowCount())] == [s.kind for s in expected.steps]
    assert model.data(model.index(0, model.column_of("morning"))) == "1 mg lorazepam = one 1 mg tablet"
    assert model.data(model.index(0, model.column_of("night"))) == "10 mg diazepam = one 10 mg tablet"

    assert w.plan().to_json() == expected.to_json()
    assert w.settings() == CROSSOVER
    assert w.regimen() == LORAZEPAM_1_1
    start = w.review_page.start_button
    assert start.isEnabled() and start.text().replace("&", "") == "Start plan…"
    assert w.review_page.warnings.count() == len(expected.warnings)
    assert f"{len(expected.cut_dates())} cuts" in w.review_page.summary.text()


def test_plot_is_the_plans_diazepam_equivalent(wizard):
    w = wizard()
    enter(w, "lorazepam", morning=1, night=1)
    w.approach_page.crossover.setChecked(True)
    plan = w.plan()
    xs, ys = w.review_page.curve.getData()
    assert list(ys[:-1]) == [s.diazepam_eq_mg for s in plan.steps]
    assert ys[-1] == plan.steps[-1].diazepam_eq_mg  # the last step drawn to its end
    assert list(xs) == [timestamp(s.start) for s in plan.steps] + [timestamp(plan.end + timedelta(days=1))]
    assert w.review_page.curve.opts["stepMode"] == "right"


def test_step_model_passes_qtmodeltester(wizard, qtmodeltester):
    w = wizard()
    qtmodeltester.check(w.review_page.model)  # empty
    enter(w, "lorazepam", morning=1, night=1)
    w.approach_page.crossover.setChecked(True)
    qtmodeltester.check(w.review_page.model)


def test_fixed_and_stepwise_methods_match_the_engine(wizard):
    w = wizard()
    enter(w, "diazepam", morning=5, night=10)
    page = w.approach_page
    page.method_radio["fixed"].setChecked(True)
    page.fixed_unit.setCurrentIndex(0)
    page.fixed_mg.setValue(1.0)
    settings = PlanSettings(start=START, method="fixed", cut_mg=1.0, interval_days=14, crossover_days=7,
                            stock=(DrugStock("diazepam"),))
    regimen = Regimen("diazepam", (("morning", 5.0), ("night", 10.0)))
    assert w.plan().to_json() == make_plan(regimen, settings).to_json()
    page.method_radio["stepwise"].setChecked(True)
    stepwise = settings.with_(method="stepwise", cut_mg=None)
    assert w.settings() == stepwise
    assert w.plan().to_json() == make_plan(regimen, stepwise).to_json()


# -- invalid input is marked where it is fixed ------------------------------------------
def test_no_dose_keeps_next_disabled(wizard):
    w = wizard()
    enter(w, "lorazepam")
    assert not can_go_on(w)
    assert w.regimen_page.error.isVisible()
    assert "dose" in w.regimen_page.error.text()
    w.button(QWizard.WizardButton.NextButton).click()
    w.next()  # even called directly, an incomplete page is not left
    assert w.currentId() == REGIMEN_PAGE
    w.regimen_page.doses["night"].setValue(1)
    assert can_go_on(w) and not w.regimen_page.error.isVisible()


def test_unknown_drug_keeps_next_disabled(wizard):
    w = wizard()
    enter(w, "lorazepan", night=1)
    assert not can_go_on(w)
    assert w.regimen_page.error.isVisible()
    assert "did you mean: lorazepam" in w.regimen_page.error.text()
    enter(w, "LORAZEPAM")  # the catalogue is case-insensitive
    assert can_go_on(w)
    assert "1 mg ≈ diazepam 10 mg (Ashton Manual Table 1)" in w.regimen_page.drug_info.text()


def test_a_dose_the_stock_cannot_make_is_marked_on_the_field(wizard):
    w = wizard()
    enter(w, "lorazepam", night=0.3)
    assert not can_go_on(w)
    assert w.regimen_page.dose_marks["night"].isVisible()
    assert not w.regimen_page.dose_marks["morning"].isVisible()
    assert "0.3 mg lorazepam cannot be made from the stock" in w.regimen_page.error.text()


def test_stock_narrowed_on_the_dispensing_page_is_shown_there_and_on_page_one(wizard, qtbot):
    w = wizard()
    enter(w, "diazepam", night=7)
    go_to(w, DISPENSING_PAGE)
    page = w.dispensing_page
    page.set_split("none")
    assert can_go_on(w)  # 5 + 2
    page.set_strength(2.0, False)
    page.set_strength(5.0, False)
    assert not can_go_on(w)
    assert page.error.isVisible() and "cannot be made from the stock (10 mg tablet)" in page.error.text()
    w.back()
    w.back()
    assert w.currentId() == REGIMEN_PAGE
    assert w.regimen_page.dose_marks["night"].isVisible()
    assert not can_go_on(w)
    assert w.plan() is None


def test_nothing_stocked_is_refused(wizard):
    w = wizard()
    enter(w, "diazepam", night=10)
    go_to(w, DISPENSING_PAGE)
    for strength in (2.0, 5.0, 10.0):
        w.dispensing_page.set_strength(strength, False)
    assert not can_go_on(w)
    assert "Tick at least one diazepam strength" in w.dispensing_page.error.text()


def test_target_above_the_dose_is_marked_on_the_approach_page(wizard):
    w = wizard()
    enter(w, "diazepam", night=10)
    go_to(w, APPROACH_PAGE)
    w.approach_page.stay.setChecked(True)
    w.approach_page.target.setValue(20)
    assert not can_go_on(w)
    assert "target" in w.approach_page.error.text() and w.approach_page.error.isVisible()
    w.approach_page.target.setValue(2.5)
    assert can_go_on(w)
    assert w.plan().steps[-1].diazepam_eq_mg == 2.5 and not w.plan().stops


def test_a_faster_pace_needs_the_explicit_override(wizard):
    w = wizard()
    enter(w, "diazepam", night=10)
    go_to(w, REVIEW_PAGE)
    page = w.approach_page
    assert not page.allow_fast.isEnabled()
    page.cut_percent.setValue(20)
    page.interval.setValue(7)
    review = w.review_page
    assert w.plan() is None
    assert not can_go_on(w)  # Start plan disabled
    assert review.error.isVisible()
    assert "faster than the guideline" in review.error.text()
    assert not page.isComplete() and "faster than the guideline" in page.error.text()
    assert page.allow_fast.isEnabled()
    page.allow_fast.setChecked(True)
    assert can_go_on(w) and not review.error.isVisible()
    assert any(warning.startswith("PACE OVERRIDE") for warning in w.plan().warnings)
    assert w.settings().allow_fast
    page.interval.setValue(14)  # within the guideline again: the override goes
    assert not page.allow_fast.isEnabled() and not page.allow_fast.isChecked()
    assert not w.settings().allow_fast
    assert not any(warning.startswith("PACE OVERRIDE") for warning in w.plan().warnings)


# -- revising --------------------------------------------------------------------------
def test_revision_shows_the_dose_in_force_and_equals_revise(wizard):
    plan = make_plan(LORAZEPAM_1_1, CROSSOVER)
    revise_from = plan.steps[4].start + timedelta(days=3)
    prefill = CROSSOVER.with_(crossover_days=None)
    w = wizard(revise_plan=plan, revise_from=revise_from, prefill_settings=prefill)
    page = w.regimen_page
    assert not page.drug.isVisible() and not page.doses["night"].isVisible()
    text = page.in_force.text()
    in_force = plan.doses_on(revise_from - timedelta(days=1))
    assert str(revise_from) in text and str(revise_from - timedelta(days=1)) in text
    for dose in in_force:
        assert f"{dose.time}: {fmt_mg(dose.mg)} mg diazepam" in text
    assert can_go_on(w)
    assert w.plan().to_json() == revise(plan, revise_from, prefill).to_json()
    assert w.settings() == prefill.with_(start=revise_from, crossover_days=7)
    assert w.regimen() == Regimen("diazepam", tuple((d.time, d.mg) for d in in_force))
    assert w.approach_page.start.isReadOnly()

    w.approach_page.interval.setValue(21)
    assert w.plan().to_json() == revise(plan, revise_from, prefill.with_(interval_days=21)).to_json()


def test_revision_part_way_through_the_crossover(wizard):
    plan = make_plan(LORAZEPAM_1_1, CROSSOVER)
    revise_from = plan.steps[0].start + timedelta(days=2)  # lorazepam morning, diazepam night
    w = wizard(revise_plan=plan, revise_from=revise_from, prefill_settings=CROSSOVER)
    assert w.regimen() is None
    assert "part-way through the crossover" in w.regimen_page.in_force.text()
    assert w.plan().to_json() == revise(plan, revise_from, CROSSOVER).to_json()
    w.approach_page.crossover.setChecked(False)
    assert w.plan() is None and "keep crossover on" in w.approach_page.error.text()


def test_holds_read_as_holds_in_a_revision(wizard):
    plan = make_plan(LORAZEPAM_1_1, CROSSOVER)
    held = hold(plan, plan.steps[3].start + timedelta(days=2), 7, "withdrawal symptoms")
    revise_from = held.steps[8].start
    w = wizard(revise_plan=held, revise_from=revise_from, prefill_settings=CROSSOVER)
    assert w.plan().to_json() == revise(held, revise_from, CROSSOVER).to_json()
    model = w.review_page.model
    row = next(r for r in range(model.rowCount()) if model.step(r).kind == "hold")
    kind = model.column_of("kind")
    assert model.data(model.index(row, kind)) == "Hold"
    assert model.data(model.index(row, kind), Qt.ItemDataRole.ToolTipRole) == "Hold: withdrawal symptoms"
    assert model.data(model.index(row + 1, kind)) == "Continue"  # the rest of the held step: no cut
    assert "for 7 days: withdrawal symptoms" in w.review_page.summary.text()


# -- behaviour -------------------------------------------------------------------------
def test_each_change_plans_once(wizard):
    w = wizard()
    enter(w, "lorazepam", morning=1, night=1)
    for change in (
        lambda: w.regimen_page.drug.setEditText("lorazepam "),
        lambda: w.approach_page.crossover.setChecked(True),  # also moves the Dispensing page to diazepam
        lambda: w.approach_page.method_radio["fixed"].setChecked(True),
        lambda: w.approach_page.interval.setValue(21),
        lambda: w.dispensing_page.set_split("quarter"),
        lambda: w.dispensing_page.set_market("UK"),
        lambda: w.regimen_page.doses["midday"].setValue(0.5),
    ):
        before = w.replan_count
        change()
        assert w.replan_count == before + 1


def test_crossover_suggested_for_short_acting_drugs_only(wizard):
    w = wizard()
    enter(w, "lorazepam", night=1)
    suggestion = w.approach_page.suggestion
    assert suggestion.text() == (
        "lorazepam is short-acting: a gradual crossover to diazepam can be considered"
        " (Ashton; Joint Guideline 2025 Rec 7)."
    )
    enter(w, "chlordiazepoxide", night=10)
    assert suggestion.text() == "" and w.approach_page.crossover.isEnabled()
    enter(w, "diazepam", night=10)
    assert not w.approach_page.crossover.isEnabled()


def test_dispensing_starts_from_the_clinic_and_keeps_this_patients_changes(wizard):
    clinic = (DrugStock("diazepam", (5.0, 10.0), "none", False, "UK"), DrugStock("lorazepam", None, "half"))
    w = wizard(clinic_stock=clinic)
    enter(w, "lorazepam", morning=1, night=1)
    w.approach_page.crossover.setChecked(True)
    page = w.dispensing_page
    assert page.drug == "diazepam"
    assert page.stock_for("diazepam") == clinic[0]
    assert w.settings().stock == clinic
    page.set_strength(2.0, True)
    page.set_split("half")
    edited = DrugStock("diazepam", (2.0, 5.0, 10.0), "half", False, "UK")
    assert w.settings().stock == (edited, clinic[1])
    w.approach_page.crossover.setChecked(False)
    assert page.drug == "lorazepam"
    w.approach_page.crossover.setChecked(True)
    assert page.stock_for("diazepam") == edited  # kept while the wizard is open
    page.reset.click()
    assert w.settings().stock == clinic


def test_no_liquid_in_the_catalogue_disables_the_box(wizard):
    w = wizard()
    enter(w, "alprazolam", night=0.5)
    go_to(w, DISPENSING_PAGE)
    assert not w.dispensing_page.liquid.isEnabled()
    assert "no oral liquid of alprazolam" in w.dispensing_page.liquid_note.text()


def test_notes_and_keyboard(wizard):
    w = wizard()
    w.regimen_page.months.setValue(18)
    w.regimen_page.notes.setPlainText("Tried stopping twice.")
    assert w.notes() == "Taken for 18 months.\nTried stopping twice."
    for page in w.pages():
        for label in page.findChildren(QLabel):
            if "&" in label.text() and "<" not in label.text():
                assert label.buddy() is not None, label.text()
    assert w.regimen_page.drug.completer().caseSensitivity() == Qt.CaseSensitivity.CaseInsensitive


def test_mnemonics_are_unique_on_each_page(wizard):
    w = wizard()
    enter(w, "lorazepam", morning=1, night=1)
    w.approach_page.crossover.setChecked(True)
    for page_id in range(4):
        go_to(w, page_id)
        texts = [label.text() for label in w.findChildren(QLabel) if label.isVisible() and "<" not in label.text()]
        texts += [b.text() for b in w.findChildren(QAbstractButton) if b.isVisible()]
        keys = [m.lower() for t in texts for m in re.findall(r"&([^&\s])", t)]
        assert len(keys) == len(set(keys)), (page_id, sorted(keys))


def test_a_drug_the_clinics_table_does_not_cover(wizard):
    w = wizard(table="vadod")
    enter(w, "nitrazepam", night=5)  # VA/DoD (ASAM Table 7) gives no value for nitrazepam
    assert not can_go_on(w)
    assert "no value for nitrazepam" in w.regimen_page.error.text()
    enter(w, "lorazepam", night=1)
    assert can_go_on(w) and w.plan().equivalence_table == "vadod"


def test_a_drug_with_no_products_says_so(wizard):
    w = wizard()
    enter(w, "bromazepam", night=6)
    assert "The catalogue lists no bromazepam products" in w.regimen_page.drug_info.text()
    assert not can_go_on(w)


def test_revising_from_outside_the_plan_is_refused_on_page_one(wizard):
    plan = make_plan(LORAZEPAM_1_1, CROSSOVER)
    w = wizard(revise_plan=plan, revise_from=plan.end + timedelta(days=30), prefill_settings=CROSSOVER)
    assert not can_go_on(w) and "outside the plan" in w.regimen_page.error.text()
    assert w.plan() is None
