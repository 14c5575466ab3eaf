"""The taper wizard: four pages, one plan, re-planned on every change.

There is no Apply button: any change to a planning input re-plans at once
(planning takes about a millisecond), and exactly once, so every page and
the review always show the engine's answer to what is on screen. The
wizard holds the one current result; the pages only read their fields and
show what the result says about them. It touches no database: the caller
saves what `plan()`, `settings()` and `notes()` return."""

from __future__ import annotations

from datetime import date
from typing import Mapping

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWizard

from taperdesk.core.catalogue import Catalogue, load_catalogue
from taperdesk.core.clinic_defaults import DEFAULT_PACE
from taperdesk.core.dispensing import DrugStock
from taperdesk.core.plan import Plan
from taperdesk.core.regimen import Regimen
from taperdesk.core.settings import PlanSettings
from taperdesk.ui.wizard import planning
from taperdesk.ui.wizard.approach_page import ApproachPage
from taperdesk.ui.wizard.dispensing_page import DispensingPage
from taperdesk.ui.wizard.regimen_page import RegimenPage
from taperdesk.ui.wizard.review_page import ReviewPage

REGIMEN_PAGE, APPROACH_PAGE, DISPENSING_PAGE, REVIEW_PAGE = range(4)


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
        parent=None,
    ):
        super().__init__(parent)
        if (revise_plan is None) != (revise_from is None):
            raise ValueError("revising needs both revise_plan and revise_from")
        catalogue = catalogue or load_catalogue()
        start = start or date.today()
        revising = revise_plan is not None
        self.replan_count = 0
        self._clinic_stock = tuple(clinic_stock)
        self._prefill = prefill_settings
        if prefill_settings is not None:
            base = prefill_settings
        else:
            base = PlanSettings(start=revise_from or start, table=revise_plan.equivalence_table if revising else table)
        self._ctx = planning.Context(catalogue, base, revise_plan, revise_from)
        self._outcome = planning.Outcome()

        self.setWindowTitle("Revise the taper plan" if revising else "New taper plan")
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.HaveHelpButton, False)
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Save plan")
        self.regimen_page = RegimenPage(catalogue, base.table, revising=revising)
        self.approach_page = ApproachPage(revising=revising)
        self.dispensing_page = DispensingPage(catalogue, self._default_stock)
        self.review_page = ReviewPage()
        for page_id, page in enumerate(self.pages()):
            self.setPage(page_id, page)

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
