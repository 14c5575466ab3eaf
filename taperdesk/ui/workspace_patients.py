"""The workspace's ways to a patient: find one, choose one in the list, go back
to Today, open a patient at the tab a Today line answers; add a patient, edit
one, bring an archived one back. A mixin of Workspace, which provides
clinician, patients, table, search, today_view, the tabs, show_patient,
run_dialog, show_status and _guarded; split out so the window's module keeps
to building and showing the workspace."""

from __future__ import annotations

from taperdesk import storage
from taperdesk.clinic import records as clinic_records


class PatientActions:
    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _row_selected(self, row: int) -> None:
        patient = self.patients.patient(row)
        self.show_patient(patient.id if patient else None)

    def _reselect(self) -> None:
        if self.patient_id is not None and (row := self.patients.row_of(self.patient_id)) >= 0:
            self.table.selectRow(row)

    def select_patient(self, patient_id: int) -> None:
        row = self.patients.row_of(patient_id)
        if row < 0:
            self.search.setText("")
            row = self.patients.row_of(patient_id)
        if row >= 0:
            self.table.selectRow(row)
        else:
            self.show_patient(patient_id)

    def show_today(self) -> None:
        """Back to the landing page, brought up to date."""
        self.table.clearSelection()
        self.show_patient(None)
        self.today_view.refresh()
        self.today_view.tree.setFocus()

    def open_patient_at(self, patient_id: int, tab: str) -> None:
        """From the Today view: the patient's page at the tab that answers the line."""
        self.select_patient(patient_id)
        if self.patient_id != patient_id:
            self.show_patient(patient_id)
        pages = {"plan": self.plan_tab, "symptoms": self.symptoms_host, "history": self.history_tab}
        self.tabs.setCurrentWidget(pages.get(tab, self.plan_tab))

    def new_patient(self) -> None:
        from taperdesk.ui.patient_dialog import PatientDialog

        dialog = PatientDialog(self, author=self.clinician)
        if self.run_dialog(dialog) and (patient := dialog.saved_patient()):
            self.patients.refresh()
            self.select_patient(patient.id)
            self.show_status(f"Added {patient.name}.")

    def unarchive_selected(self) -> bool:
        """The list's Unarchive: the selected archived patient comes back to the list."""
        if self.patient_id is None:
            return False
        patient = storage.get_patient(patient_id=self.patient_id)
        if not patient.archived:
            return False
        done = self._guarded("The patient was not unarchived", lambda: clinic_records.set_patient_archived(
            patient_id=patient.id, archived=False, author=self.clinician))
        if done:
            self.patients.refresh()
            self.show_patient(patient.id)
            self.show_status(f"Unarchived {patient.name}.")
        return bool(done)

    def edit_patient(self) -> None:
        from taperdesk.ui.patient_dialog import PatientDialog

        if self.patient_id is None:
            return
        dialog = PatientDialog(self, patient=storage.get_patient(patient_id=self.patient_id), author=self.clinician)
        dialog.archived_changed.connect(lambda *_: self.patients.refresh())
        if self.run_dialog(dialog):
            self.patients.refresh()
            self.show_patient(self.patient_id)
            self.show_status("Patient details saved.")
