"""The workspace's clinic-wide actions: clinic and supervision settings, a backup
now (on a worker, with a busy indicator in the status bar), the daily check of
every record (marks in the list, a dialog when it finds problems), locking the
screen (sign out and in again), About. A mixin of Workspace, which provides
clinician, catalogue, patient_id, patients, poll_timer, idle, run_dialog,
show_patient, show_status, report and _guarded; split out so the window's
module keeps to building and showing the workspace."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from taperdesk.clinic import settings as clinic_settings
from taperdesk.ui.background import StatusBarJob
from taperdesk.ui.record_check import RecordCheck, problems_by_patient

BACKING_UP = "Backing up…"


class ClinicActions:
    def clinic_settings(self) -> None:
        from taperdesk.ui.settings_dialog import ClinicSettingsDialog

        if self.run_dialog(ClinicSettingsDialog(self, author=self.clinician, catalogue=self.catalogue)):
            self.show_status("Clinic settings saved.")

    def supervision_settings(self) -> None:
        from taperdesk.ui.supervision_settings import SupervisionSettingsDialog

        self.run_dialog(SupervisionSettingsDialog(self, author=self.clinician))
        if self.patient_id is not None:  # thresholds or scales may have changed what is flagged
            self.patients.refresh()
            self.show_patient(self.patient_id)

    def backup_now(self) -> None:
        """On a worker: a large clinic file takes seconds to copy, and the window stays usable."""
        if getattr(self, "backup_job", None) is None:
            self.backup_job = StatusBarJob(self, BACKING_UP)
            self.backup_job.finished.connect(lambda path: self.show_status(f"Backed up to {path}."))
            self.backup_job.failed.connect(lambda exc: self.report(f"The backup failed: {exc}"))
        author = self.clinician
        if not self.backup_job.start(lambda: clinic_settings.backup_now(author=author, close_connection=True)):
            self.show_status("A backup is already running.")

    def lock(self) -> None:
        from taperdesk.ui.signin import SignInDialog

        self.centralWidget().setVisible(False)
        self.poll_timer.stop()
        self.let_go_of_patients()  # signed out: the others may edit this patient meanwhile
        dialog = SignInDialog(self, locked=True)
        if self.run_dialog(dialog) and dialog.clinician:
            self.clinician = dialog.clinician
            if self.clinician.must_change_password and not self.change_password_dialog(forced=True):
                self.close()
                return
            if self._symptoms is not None:
                self._symptoms.set_author(self.clinician)
            self.centralWidget().setVisible(True)
            self.poll_timer.start()
            self.show_patient(self.patient_id)  # held again (or shown as in use elsewhere)
            self.idle.restart()
            self.show_status(f"Signed in as {self.clinician.name}.")
        else:
            self.close()

    def about(self) -> None:
        QMessageBox.about(self, "About TaperDesk", "TaperDesk: supervised benzodiazepine tapering for small clinics.")

    def start_record_check(self) -> None:
        """The daily check of every record, in the background (ui.record_check)."""
        self.record_check = RecordCheck(self)
        self.record_check.checked.connect(self.apply_record_check)
        self.record_check.failed.connect(lambda exc: self.show_status(f"The record check could not run: {exc}"))
        self.record_check.start()

    def apply_record_check(self, report) -> None:
        """Mark the patients the check found problems with; say so if it found any."""
        self.patients.set_flagged(problems_by_patient(report))
        self.show_patient(self.patient_id)
        if report.ok:
            self.show_status(f"Record check passed: {report.summary()}.")
        else:
            clinic_wide = [f.line for f in report.findings if f.patient_id is None]
            n = len(report.patient_ids)
            self.report(f"The record check found {len(report.findings)} problem(s)"
                        + (f" in {n} patient record(s), marked ⚠ in the list" if n else "")
                        + (": " + "; ".join(clinic_wide[:3]) if clinic_wide else "")
                        + ". Nothing for a marked patient is printed until it is put right: run "
                          "`taperdesk verify` and restore the newest backup that passes it.",
                        title="TaperDesk record check")
