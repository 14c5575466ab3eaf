"""The workspace's account actions (Clinicians, Change my password, Let
nurses hold) and what the signed-in account's roles allow: each action is
tied to its operation in core.roles, and one the role may not use is greyed
out with the reason as its tooltip. The clinic layer refuses it anyway.
A mixin of Workspace (clinician, current, patient_id, run_dialog, _guarded,
show_status, _plan_changed)."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog

from taperdesk.clinic import plans as operations
from taperdesk.clinic.permissions import why_not
from taperdesk.core import roles

# workspace action -> the operation it runs
ACTION_OPERATIONS = {
    "new_patient": "add_patient", "edit_patient": "edit_patient", "settings": "clinic_settings",
    "supervision": "scale_wording", "backup": "backup", "clinicians": "manage_accounts",
    "support_list": "support_list", "agree_support": "agree_support",
    "password": "change_own_password", "new_plan": "start_plan", "start": "change_status",
    "hold": "hold_plan", "revise": "revise_plan", "pause": "change_status", "resume": "change_status",
    "complete": "change_status", "stop": "change_status", "delegate": "delegate_holds",
    "review": "next_review", "handout": "make_handout", "summary": "make_handout", "pharmacy": "make_handout",
    "dosebox": "make_handout", "reprint": "reprint_handout", "export_ics": "export_calendar",
    "export_csv": "export_calendar", "record_symptoms": "record_symptoms",
}


class AccountActions:
    def role_refusal(self, action: str) -> str:
        """Why the signed-in account may not use `action` ('' when it may)."""
        operation = ACTION_OPERATIONS.get(action)
        return why_not(operation, self.clinician) if operation else ""

    def apply_roles(self) -> None:
        """Grey out (with the reason) what the roles do not allow; called after the
        usual enabling, so it only ever turns actions off."""
        for name, action in self.actions_by_name.items():
            why = self.role_refusal(name)
            if why:
                action.setEnabled(False)
            action.setToolTip(why or action.text().replace("&", "").rstrip("…"))
        hold = self.actions_by_name["hold"]
        if not self.role_refusal("hold") and self.current is not None and \
                roles.acting_role("hold_plan", self.clinician.roles) == roles.NURSE and \
                operations.nurse_holds(plan_id=self.current.record.id) is None:
            hold.setEnabled(False)
            hold.setToolTip("A nurse may hold this plan only when a prescriber lets nurses hold it "
                            "(Plan > Let nurses hold).")
        if not hold.isEnabled():
            self.flare_banner.hold.setEnabled(False)
        self.flare_banner.hold.setToolTip("" if hold.isEnabled() else hold.toolTip())

    def clinicians_dialog(self) -> bool:
        from taperdesk.ui.accounts import CliniciansDialog

        self.run_dialog(CliniciansDialog(self, author=self.clinician, run_dialog=self.run_dialog))
        return True

    def change_password_dialog(self, *, forced: bool = False) -> bool:
        from taperdesk.ui.accounts import PasswordDialog

        dialog = PasswordDialog(self, author=self.clinician, mode="forced" if forced else "own")
        if self.run_dialog(dialog) and dialog.saved:
            self.clinician = dialog.saved
            self.show_status("Your new password is saved.")
            return True
        return False

    def delegate_dialog(self) -> bool:
        """Let nurses hold this plan for up to N days at a time (0: no longer)."""
        if self.current is None:
            return False
        now = operations.nurse_holds(plan_id=self.current.record.id)
        dialog = QInputDialog(self)
        dialog.setWindowTitle("Let nurses hold this plan")
        dialog.setLabelText(f"A nurse may hold this plan for up to this many days at a time "
                            f"(0: nurses may not hold it; at most {roles.MAX_DELEGATED_HOLD_DAYS}):")
        dialog.setInputMode(QInputDialog.InputMode.IntInput)
        dialog.setIntRange(0, roles.MAX_DELEGATED_HOLD_DAYS)
        dialog.setIntValue(now.max_days if now else 14)
        if not self.run_dialog(dialog):
            return False
        days = dialog.intValue()
        done = self._guarded("Nurse holds were not changed", lambda: operations.delegate_holds(
            plan_id=self.current.record.id, max_days=days, author=self.clinician))
        self._plan_changed(f"Nurses may hold this plan for up to {days} days at a time." if days
                           else "Nurses may no longer hold this plan.")
        return done is not None or days == 0
