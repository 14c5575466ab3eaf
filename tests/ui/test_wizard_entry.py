"""What a person types into the wizard is what the plan uses, and saving is
never an accident: doses typed every way people write them, dates typed
whole, a far-off start asked about, the patient named on every page, and a
Review page that ends in "Save as draft" and "Start plan…" (asking once,
naming the first change) that a double press of Next cannot reach."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QWizard

from taperdesk.core.edits import revise
from taperdesk.core.planner import make_plan
from taperdesk.core.regimen import Regimen
from taperdesk.core.settings import PlanSettings
from taperdesk.ui.wizard.wizard import APPROACH_PAGE, DISPENSING_PAGE, REGIMEN_PAGE, REVIEW_PAGE
from tests.ui.test_wizard import CROSSOVER, LORAZEPAM_1_1, START, enter, go_to, wizard  # noqa: F401 (fixture)

PATIENT = "Zoë Łukasiewicz (TD-0001)"


def focus(qtbot, widget) -> None:
    widget.window().activateWindow()
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)


def key(qtbot, ch: str) -> None:
    """One key typed into the focused widget (any character: '½' and '⅓' too)."""
    target = QApplication.focusWidget()
    if ord(ch) < 128:
        qtbot.keyClick(target, ch)
        return
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(target, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def type_over(qtbot, field, text: str) -> None:
    """Select all (Ctrl+A) and type, key by key, then Tab away: as a person does."""
    focus(qtbot, field)
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    for ch in text:
        key(qtbot, ch)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)


class Answers:
    """Stands in for the person answering the wizard's questions."""

    def __init__(self, *replies: bool):
        self.replies, self.asked = list(replies), []

    def __call__(self, box: QMessageBox) -> bool:
        self.asked.append(box.text())
        assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
        return self.replies.pop(0)


def test_the_wizard_names_the_patient_on_every_page(wizard):
    w = wizard(patient=PATIENT)
    assert PATIENT in w.windowTitle()
    assert all(PATIENT in page.title() for page in w.pages())


@pytest.mark.parametrize("typed, mg", [("0.5", 0.5), (".5", 0.5), ("0,5", 0.5), ("0.5mg", 0.5), ("0.5 mg", 0.5),
                                       ("½", 0.5), ("1½", 1.5), ("0.25", 0.25), ("2", 2.0)])
def test_a_dose_typed_over_one_mg_is_the_dose_typed(qtbot, wizard, typed, mg):
    w = wizard()
    enter(w, "lorazepam", morning=1, night=1)
    spin = w.regimen_page.doses["morning"]
    type_over(qtbot, spin, typed)
    assert spin.value() == mg and spin.text() == f"{mg:g} mg"
    assert w.regimen() == Regimen("lorazepam", (("morning", mg), ("night", 1.0)))


@pytest.mark.parametrize("typed", ["abc", "-1", "⅓", "mg"])
def test_a_dose_that_cannot_be_read_never_becomes_no_dose(qtbot, wizard, typed):
    w = wizard()
    enter(w, "lorazepam", morning=1, night=1)
    spin = w.regimen_page.doses["morning"]
    type_over(qtbot, spin, typed)
    assert spin.value() == 1.0 and w.regimen() == LORAZEPAM_1_1


def test_no_dose_is_still_typed_as_zero(qtbot, wizard):
    w = wizard()
    enter(w, "lorazepam", morning=1, night=1)
    type_over(qtbot, w.regimen_page.doses["morning"], "0")
    assert w.regimen_page.doses["morning"].text() == "no dose"
    assert w.regimen() == Regimen("lorazepam", (("night", 1.0),))


def test_a_typed_start_date_is_the_date_typed_and_far_ahead_is_asked(qtbot, wizard):
    w = wizard()
    enter(w, "diazepam", night=10)
    go_to(w, APPROACH_PAGE)
    type_over(qtbot, w.approach_page.start, "2099-01-01")
    assert w.approach_page.values().start == date(2099, 1, 1)
    assert w.plan().start == date(2099, 1, 1)
    w.ask = Answers(False, True)
    w.button(QWizard.WizardButton.NextButton).click()
    assert w.currentId() == APPROACH_PAGE  # "no": stays, to correct the date
    assert "Thursday 1 January 2099" in w.ask.asked[0] and "from today" in w.ask.asked[0]
    w.button(QWizard.WizardButton.NextButton).click()
    assert w.currentId() == DISPENSING_PAGE and len(w.ask.asked) == 2
    w.button(QWizard.WizardButton.BackButton).click()
    w.button(QWizard.WizardButton.NextButton).click()  # the same date is not asked about twice
    assert w.currentId() == DISPENSING_PAGE and len(w.ask.asked) == 2


def test_a_start_within_90_days_is_not_asked_about(qtbot, wizard):
    w = wizard()
    enter(w, "diazepam", night=10)
    go_to(w, APPROACH_PAGE)
    type_over(qtbot, w.approach_page.start, (START + timedelta(days=90)).isoformat())
    w.ask = Answers()
    go_to(w, REVIEW_PAGE)
    assert w.ask.asked == []


def test_review_ends_in_draft_and_start_and_next_never_lands_on_start(qtbot, wizard):
    w = wizard(patient=PATIENT)
    enter(w, "diazepam", night=10)
    w.ask = Answers()
    go_to(w, DISPENSING_PAGE)
    next_button = w.button(QWizard.WizardButton.NextButton)
    next_button.click()
    next_button.click()  # a second quick press
    assert w.currentId() == REVIEW_PAGE and w.isVisible() and w.result() == 0
    assert next_button.isVisible() and not next_button.isEnabled()
    assert not w.button(QWizard.WizardButton.FinishButton).isVisible()
    page = w.review_page
    assert page.draft_button.text().replace("&", "") == "Save as draft"
    assert page.start_button.text().replace("&", "") == "Start plan…"
    assert page.draft_button.isVisible() and page.start_button.isVisible()
    assert not page.draft_button.geometry().intersects(page.start_button.geometry())
    assert next_button.mapToGlobal(next_button.rect().center()) not in (
        b.mapToGlobal(b.rect().center()) for b in (page.draft_button, page.start_button))
    for _ in range(2):  # Enter, twice, wherever the focus is
        qtbot.keyClick(QApplication.focusWidget() or w, Qt.Key.Key_Return)
    assert w.isVisible() and w.result() == 0 and w.ask.asked == []


def test_start_asks_once_naming_the_first_change(wizard):
    w = wizard()
    enter(w, "diazepam", night=10)
    go_to(w, REVIEW_PAGE)
    w.ask = Answers(False, True)
    w.review_page.start_button.click()
    assert w.result() == 0 and w.isVisible()  # "Cancel": nothing happens
    question = w.ask.asked[0]
    assert question.startswith("Start the plan? It starts today.")
    first_cut = w.plan().cut_dates()[0]
    assert first_cut == date(2026, 12, 15)
    assert "The first change is on Tuesday 15 December 2026: Your night dose changes from 10 mg to 9 mg" \
           " diazepam today." in question
    w.review_page.start_button.click()
    assert w.result() == 1 and not w.saved_as_draft() and len(w.ask.asked) == 2


def test_start_names_a_crossovers_first_switch(wizard):
    w = wizard()
    enter(w, "lorazepam", morning=1, night=1)
    w.approach_page.crossover.setChecked(True)
    go_to(w, REVIEW_PAGE)
    w.ask = Answers(True)
    w.review_page.start_button.click()
    assert "The first change is on Tuesday 1 December 2026: Your night dose changes from lorazepam 1 mg" \
           " to diazepam" in w.ask.asked[0]


def test_save_as_draft_asks_nothing_and_says_draft(wizard):
    w = wizard()
    enter(w, "diazepam", night=10)
    go_to(w, REVIEW_PAGE)
    w.ask = Answers()
    w.review_page.draft_button.click()
    assert w.result() == 1 and w.saved_as_draft()


def test_nothing_to_save_keeps_both_buttons_disabled(wizard):
    w = wizard()
    enter(w, "diazepam", night=10)
    go_to(w, REVIEW_PAGE)
    w.regimen_page.doses["night"].setValue(0)
    assert not w.review_page.draft_button.isEnabled() and not w.review_page.start_button.isEnabled()


def test_revising_shows_the_drug_in_force_and_the_date_is_chosen_on_page_one(qtbot, wizard):
    plan = make_plan(LORAZEPAM_1_1, CROSSOVER)
    first = plan.steps[4].start
    w = wizard(revise_plan=plan, revise_from=first, prefill_settings=CROSSOVER, patient=PATIENT)
    page = w.regimen_page
    assert page.revise_from.isVisible() and page.revise_from.day() == first
    assert "Drug in force: <b>diazepam</b>" in page.in_force.text()
    later = first + timedelta(days=20)
    type_over(qtbot, page.revise_from, later.isoformat())
    assert w.plan().to_json() == revise(plan, later, CROSSOVER).to_json()
    assert str(later) in page.in_force.text() and str(later - timedelta(days=1)) in page.in_force.text()
    assert w.approach_page.start.day() == later
    go_to(w, REVIEW_PAGE)
    assert not w.review_page.draft_button.isVisible()
    assert w.review_page.start_button.text().replace("&", "") == "Save revision…"
    w.ask = Answers()
    w.review_page.start_button.click()  # the reason dialog follows in the workspace
    assert w.result() == 1 and w.ask.asked == []


def test_revising_part_way_through_a_crossover_names_both_drugs(wizard):
    plan = make_plan(LORAZEPAM_1_1, CROSSOVER)
    w = wizard(revise_plan=plan, revise_from=plan.start + timedelta(days=2), prefill_settings=CROSSOVER)
    assert "Drug in force: <b>lorazepam and diazepam</b>" in w.regimen_page.in_force.text()


def test_tab_leaves_the_review_table_for_the_warnings_and_the_buttons(qtbot, wizard):
    w = wizard()
    enter(w, "diazepam", night=10)
    go_to(w, REVIEW_PAGE)
    focus(qtbot, w.review_page.table)
    seen = []
    for _ in range(4):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    assert w.review_page.warnings in seen and w.review_page.draft_button in seen
    assert w.review_page.start_button in seen
