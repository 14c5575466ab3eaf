"""The workspace's support actions: the clinic's list of non-drug support and
what is agreed with the open patient. A mixin of Workspace, which provides
current, patient_id, clinician, run_dialog and show_status."""

from __future__ import annotations

from taperdesk import storage


class SupportActions:
    def support_list(self) -> None:
        from taperdesk.ui.support_dialogs import SupportListDialog

        if self.run_dialog(SupportListDialog(self, author=self.clinician)):
            self.show_status("The support offered is saved (the earlier list is kept).")

    def agree_support(self) -> None:
        from taperdesk.ui.support_dialogs import AgreeSupportDialog

        if self.patient_id is None:
            return
        patient = storage.get_patient(patient_id=self.patient_id)
        plan_id = self.current.record.id if self.current is not None else None
        if self.run_dialog(AgreeSupportDialog(self, author=self.clinician, patient=patient, plan_id=plan_id)):
            agreed = storage.support_agreed(patient_id=patient.id)
            self.show_status("Support agreed: " + (", ".join(o.label for o in agreed) or "none") + ".")
