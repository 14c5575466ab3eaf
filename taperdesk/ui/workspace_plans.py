"""The workspace's plan actions: a new plan through the wizard, a hold, a
revision, a status change. Each goes through a named operation with the
signed-in clinician as author; a refusal is reported and nothing is written.
A mixin of Workspace, which provides current, patient_id, clinician, today,
catalogue, plan_tab, run_dialog, report, _guarded and _plan_changed."""

from __future__ import annotations

from datetime import date

from taperdesk import storage
from taperdesk.core.in_force import STATUS_LABELS
from taperdesk.core.clinic_defaults import pace_from_mapping, stock_from_mapping
from taperdesk.clinic import plans as operations
from taperdesk.clinic.interactions import plan_findings
from taperdesk.core.in_force import STATUS_LABELS
from taperdesk.clinic.starting import start_question
from taperdesk.ui.supervision_dialogs import HoldDialog, RevisionReasonDialog, StatusDialog

STATUS_ACTIONS = {
    "pause": ("paused", "Pause", "The plan stops moving on: the dose of today continues and there are no further"
                                 " cuts until it is resumed."),
    "resume": ("active", "Resume", "The plan carries on from where it is: the days paused become a hold and every"
                                   " later step moves on by as many days."),
    "complete": ("completed", "Complete", "The taper is finished (the patient stopped, or stays on the target dose)."),
    "stop": ("stopped", "End taper", "End the taper here: the patient keeps taking the dose of today, with no more"
                                     " cuts (the medicine is not stopped). The plan stays in the history."),
}
# Each status action's menu text and keys (shown beside it in the Plan menu).
STATUS_MENU = {"pause": ("P&ause…", "Ctrl+Shift+A"), "resume": ("Res&ume…", "Ctrl+Shift+R"),
               "complete": ("&Complete…", "Ctrl+Shift+C"), "stop": ("&End taper…", "Ctrl+Shift+E")}


class PlanActions:
    def _clinic(self) -> storage.ClinicSettings:
        return storage.get_clinic_settings()

    def make_wizard(self, *, revise_from: date | None = None):
        from taperdesk.ui.wizard import TaperWizard

        clinic = self._clinic()
        revising = revise_from is not None and self.current is not None
        patient = storage.get_patient(patient_id=self.patient_id)
        wizard = TaperWizard(
            patient=f"{patient.name} ({patient.identifier})",
            interactions=lambda plan, pid=patient.id: plan_findings(patient_id=pid, plan=plan),
            catalogue=self.catalogue,
            clinic_stock=stock_from_mapping(clinic.stock),
            default_pace=pace_from_mapping(clinic.default_pace),
            table=clinic.equivalence_table,
            start=self.today,
            revise_plan=self.current.plan if revising else None,
            revise_from=revise_from if revising else None,
            prefill_settings=self.current.settings() if revising else None,
            parent=self,
        )
        if not revising:  # the plan's prescriber and supply period: a small box of its own on the approach page
            from taperdesk.storage.paper_records import paper_settings
            from taperdesk.ui.paper_choice import PaperChoice

            wizard.paper_choice = PaperChoice(tuple(clinic.prescribers), paper_settings().supply_days)
            wizard.approach_page.layout().addWidget(wizard.paper_choice, 4, 0, 1, 2)
        return wizard

    def new_plan(self) -> None:
        if self.patient_id is None:
            return
        wizard = self.make_wizard()
        if self.run_dialog(wizard):
            if self.save_new_plan(wizard.plan(), wizard.settings(), wizard.notes(), draft=wizard.saved_as_draft()) \
                    and getattr(wizard, "paper_choice", None) is not None:
                self.save_plan_paper(*wizard.paper_choice.values())
        wizard.deleteLater()  # a wizard holds a plot scene: free it now, not with the window

    def save_new_plan(self, plan, settings, notes: str = "", *, draft: bool = False) -> bool:
        done = self._guarded("The plan was not saved", lambda: operations.start_plan(
            patient_id=self.patient_id, plan=plan, settings=settings, author=self.clinician, notes=notes,
            draft=draft))
        if done:
            self._plan_changed(f"Saved the {plan.drug} plan as a draft: nothing is in force until it is started."
                               if draft else f"Saved and started the {plan.drug} plan ({len(plan.steps)} steps).")
        return bool(done)

    def save_plan_paper(self, prescriber: str, supply_days: int) -> bool:
        from taperdesk.clinic.paper import choose_plan_paper

        if self.current is None:
            return False
        plan_id = self.current.record.id
        return bool(self._guarded("The prescriber was not saved", lambda: choose_plan_paper(
            plan_id=plan_id, prescriber=prescriber, supply_days=supply_days, author=self.clinician)) is not None)

    def review_dialog(self) -> None:
        from taperdesk.ui.paper_choice import ReviewDateDialog

        if self.patient_id is None:
            return
        dialog = ReviewDateDialog(self, current=storage.review_date(patient_id=self.patient_id), today=self.today)
        if self.run_dialog(dialog):
            self.save_review_date(dialog.value())

    def save_review_date(self, review_on: date | None) -> bool:
        from taperdesk.clinic.paper import set_next_review

        patient_id = self.patient_id
        done = self._guarded("The review date was not saved", lambda: set_next_review(
            patient_id=patient_id, review_on=review_on, author=self.clinician))
        if done is not None:
            self.show_status(f"Next review: {review_on.isoformat() if review_on else 'none booked'}.")
        return done is not None

    def start_draft(self) -> bool:
        """Start a draft plan, after one question that names its first dose change."""
        if self.current is None or self.current.record.status != "draft":
            return False
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Question, "Start the plan?",
                          start_question(self.current.plan, self.today),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.button(QMessageBox.StandardButton.Yes).setText("Start plan")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        if not self.run_dialog(box):
            return False
        return self.apply_status("active", "Plan started")

    def hold_dialog(self, *, start: date | None = None, days: int = 14, reason: str = "") -> bool:
        """Ask for a hold (pre-filled when the flare banner asks) and save it; True once saved."""
        if self.current is None:
            return False
        plan = self.current.plan
        start = start or self.plan_tab.calendar.selected_date()
        start = min(max(start, plan.start), plan.end)
        dialog = HoldDialog(self, start=start, earliest=plan.start, latest=plan.end, days=days, reason=reason)
        return bool(self.run_dialog(dialog) and self.apply_hold(*dialog.values()))

    def apply_hold(self, from_date: date, days: int, reason: str) -> bool:
        done = self._guarded("The hold was not saved", lambda: operations.hold_plan(
            plan_id=self.current.record.id, from_date=from_date, days=days, reason=reason, author=self.clinician))
        if done:
            self._plan_changed(f"Held for {days} days from {from_date.isoformat()}; later steps moved back.")
            self.show_day(from_date)  # the calendar moves to the hold's first day
        return bool(done)

    def revise_dialog(self) -> None:
        if self.current is None:
            return
        on = self.plan_tab.calendar.selected_date()
        on = on if self.current.plan.start <= on <= self.current.plan.end else self.today
        wizard = self.make_wizard(revise_from=on)
        accepted = self.run_dialog(wizard)
        wizard.deleteLater()
        if not accepted:
            return
        reason = RevisionReasonDialog(self)
        if self.run_dialog(reason):
            self.apply_revision(wizard.plan(), wizard.settings(), reason.value())

    def apply_revision(self, plan, settings, reason: str) -> bool:
        done = self._guarded("The revision was not saved", lambda: operations.revise_plan(
            plan_id=self.current.record.id, plan=plan, settings=settings, author=self.clinician, reason=reason))
        if done:
            self._plan_changed(f"Saved revision {done.number}.")
        return bool(done)

    def status_dialog(self, key: str) -> None:
        status, label, explanation = STATUS_ACTIONS[key]
        dialog = StatusDialog(self, action=label, explanation=explanation)
        if self.run_dialog(dialog):
            self.apply_status(status, dialog.value())

    def apply_status(self, status: str, reason: str) -> bool:
        done = self._guarded("The status was not changed", lambda: operations.change_status(
            plan_id=self.current.record.id, status=status, author=self.clinician, reason=reason))
        if done:
            self._plan_changed(f"The plan is now: {STATUS_LABELS.get(status, status)}.")
        return bool(done)
