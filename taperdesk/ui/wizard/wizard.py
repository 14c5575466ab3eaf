"""The taper wizard: four pages, one plan, re-planned on every change.

There is no Apply button: any change to a planning input re-plans at once
(planning takes about a millisecond), and exactly once, so every page and
the review always show the engine's answer to what is on screen. The
wizard holds the one current result; the pages only read their fields and
show what the result says about them. It touches no database: the caller
saves what `plan()`, `settings()` and `notes()` return, as a draft when
`saved_as_draft()`.

Saving is never one press away from Next: the wizard's own button row has no
Finish button; the Review page ends in two buttons of its own, "Save as
draft" and "Start plan…" (the latter asks once, naming the first dose change),
and Next stays in its place, disabled, on the last page, so a second quick
press of Next or Enter lands on nothing. A start more than 90 days away is
asked about when leaving the Approach page."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Mapping

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMessageBox, QWizard

from taperdesk.clinic.starting import long_day, start_question

from taperdesk.core.catalogue import Catalogue, load_catalogue
from taperdesk.core.clinic_defaults import DEFAULT_PACE
from taperdesk.core.dispensing import DrugStock
from taperdesk.core.plan import Plan
from taperdesk.core.regimen import Regimen
from taperdesk.core.settings import PlanSettings
from taperdesk.ui.wizard import planning
from taperdesk.ui.wizard.common import quiet
from taperdesk.ui.wizard.approach_page import ApproachPage
from taperdesk.ui.wizard.dispensing_page import DispensingPage
from taperdesk.ui.wizard.regimen_page import RegimenPage
from taperdesk.ui.wizard.review_page import ReviewPage

REGIMEN_PAGE, APPROACH_PAGE, DISPENSING_PAGE, REVIEW_PAGE = range(4)
FAR_START_DAYS = 90  # a start further off than this is asked about (a mistyped year, usually)


class TaperWizard(QWizard):
    replanned = Signal()  # after each re-plan (tests and the caller may listen)

    def __init__(
        self,
        catalogue: Catalogue | None = None,
        clinic_stock: tuple[DrugStock, ...] = (),
        default_pace: Mapping | None = None,
        table: str = "ashton",
        start: date | None = None,
        revise_plan: Plan | None = None,
        revise_from: date | None = None,
        prefill_settings: PlanSettings | None = None,
        patient: str = "",
        interactions=None,
        parent=None,
    ):
        super().__init__(parent)
        if (revise_plan is None) != (revise_from is None):
            raise ValueError("revising needs both revise_plan and revise_from")
        catalogue = catalogue or load_catalogue()
        start = start or date.today()
        revising = revise_plan is not None
        self.replan_count = 0
        self.today = start
        self.patient = patient
        self._draft = False
        self._far_start_ok: date | None = None
        self._clinic_stock = tuple(clinic_stock)
        self._prefill = prefill_settings
        if prefill_settings is not None:
            base = prefill_settings
        else:
            base = PlanSettings(start=revise_from or start, table=revise_plan.equivalence_table if revising else table)
        self._ctx = planning.Context(catalogue, base, revise_plan, revise_from)
        self._outcome = planning.Outcome()

        what = "Revise the taper plan" if revising else "New taper plan"
        self.setWindowTitle(f"{what} for {patient}" if patient else what)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.HaveHelpButton, False)
        self.setOption(QWizard.WizardOption.HaveNextButtonOnLastPage, True)  # Next stays put, disabled
        self.setButtonLayout([QWizard.WizardButton.Stretch, QWizard.WizardButton.BackButton,
                              QWizard.WizardButton.NextButton, QWizard.WizardButton.CancelButton])
        self.regimen_page = RegimenPage(catalogue, base.table, revising=revising)
        self.approach_page = ApproachPage(revising=revising)
        self.dispensing_page = DispensingPage(catalogue, self._default_stock)
        self.review_page = ReviewPage(revising=revising)
        self.review_page.interactions = interactions  # the patient's other medicines, checked on the review
        for page_id, page in enumerate(self.pages()):
            if patient:  # every page names the patient, so a plan is never made for the wrong one
                page.setTitle(f"{page.title()}: {patient}")
            self.setPage(page_id, page)
        self.review_page.draftRequested.connect(self.save_draft)
        self.review_page.startRequested.connect(self.start_plan)
        self.regimen_page.reviseFromChanged.connect(self.set_revise_from)

        if prefill_settings is not None:
            self.approach_page.set_values(prefill_settings.to_dict(), revise_from or prefill_settings.start)
        else:
            pace = {**DEFAULT_PACE, **(default_pace or {})}
            self.approach_page.set_values(pace, revise_from or start)
        for page in self.pages()[:3]:
            page.changed.connect(self.replan)
        self.resize(1000, 760)
        self.replan()

    def pages(self) -> tuple:
        return (self.regimen_page, self.approach_page, self.dispensing_page, self.review_page)

    # -- re-planning ---------------------------------------------------------------
    def _default_stock(self, drug: str) -> DrugStock:
        """The revision's stock of a drug if it has one, else the clinic's, else the catalogue's."""
        for source in ((self._prefill.stock if self._prefill else ()), self._clinic_stock):
            for s in source:
                if s.drug == drug:
                    return s
        return DrugStock(drug)

    def replan(self) -> None:
        """Read every page, plan once, and show the result on every page."""
        self.replan_count += 1
        approach = self.approach_page.values()
        out = planning.identify(self._ctx, self.regimen_page.values(), approach.crossover)
        if out.tapered is not None:
            self.dispensing_page.show_drug(out.tapered)
        out = planning.build(self._ctx, out, approach, self.dispensing_page.stock_for)
        self._outcome = out
        self.regimen_page.show_outcome(out, self._ctx.revise_from)
        self.approach_page.show_outcome(out)
        self.dispensing_page.show_outcome(out)
        self.review_page.show_outcome(out)
        self.replanned.emit()

    def outcome(self) -> planning.Outcome:
        return self._outcome

    def set_revise_from(self, day: date) -> None:
        """Revising: the day the revision takes effect, chosen on page 1."""
        if not self._ctx.revising or day == self._ctx.revise_from:
            return
        self._ctx = dataclasses.replace(self._ctx, revise_from=day)
        with quiet(self.approach_page.start):  # shown there read-only; a revision starts on this day
            self.approach_page.start.set_day(day)
        self.replan()

    # -- leaving pages, saving ------------------------------------------------------
    def ask(self, box: QMessageBox) -> bool:
        """Every question the wizard asks goes through here (tests answer it)."""
        return box.exec() == QMessageBox.StandardButton.Yes

    def _question(self, title: str, text: str, yes: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.button(QMessageBox.StandardButton.Yes).setText(yes)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)  # Enter or a space never says yes by accident
        return self.ask(box)

    def validateCurrentPage(self) -> bool:  # noqa: N802 (Qt's name)
        if not super().validateCurrentPage():
            return False
        if self.currentId() == APPROACH_PAGE and not self._ctx.revising:
            start = self.approach_page.values().start
            days = (start - self.today).days
            if days > FAR_START_DAYS and start != self._far_start_ok:
                if not self._question("A start far ahead", f"The plan starts on {long_day(start)}, {days} days"
                                      " from today. Is that the start you meant?", "Yes, that date"):
                    self.approach_page.start.setFocus()
                    return False
                self._far_start_ok = start
        return True

    def save_draft(self) -> None:
        if self.plan() is not None:
            self._draft = True
            self.accept()

    def start_plan(self) -> None:
        """Start (or, revising, save the revision): a new plan asks once first."""
        plan = self.plan()
        if plan is None:
            return
        if not self._ctx.revising and not self._question("Start the plan?", start_question(plan, self.today),
                                                         "Start plan"):
            return
        self._draft = False
        self.accept()

    def saved_as_draft(self) -> bool:
        return self._draft

    # -- what the caller reads --------------------------------------------------------
    def plan(self) -> Plan | None:
        """The planned result (a revision: edits.revise of the plan being revised); None while invalid."""
        return self._outcome.plan

    def settings(self) -> PlanSettings | None:
        return self._outcome.settings

    def regimen(self) -> Regimen | None:
        """The entered regimen; revising, the dose in force (None part-way through a crossover)."""
        return self._outcome.regimen

    def notes(self) -> str:
        return self.regimen_page.notes_text()
