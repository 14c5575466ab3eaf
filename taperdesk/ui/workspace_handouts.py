"""The workspace's handout and export actions: a patient handout or clinician
summary made on a worker thread, recorded, previewed; a reprint byte for byte;
the calendar (.ics) and the doses (CSV) exported. A mixin of Workspace, which
provides current, patient_id, clinician, today, run_dialog, report and show_status."""

from __future__ import annotations

from pathlib import Path

from taperdesk import storage


PAPER_NAMES = {"patient": "patient handout", "clinician": "clinician summary", "pharmacy": "pharmacy order",
               "dosebox": "dose-box sheet"}


class HandoutActions:
    def make_handout(self, kind: str) -> None:
        """Build the PDF on a worker thread (a progress dialog shows), record it, preview it."""
        from taperdesk.clinic import handouts as operations_export
        from taperdesk.ui.background import Background

        if self.current is None:
            return
        patient_id, author, today = self.patient_id, self.clinician, self.today
        self.background = Background(self)
        self.background.finished.connect(lambda result: self._handout_ready(kind, result))
        self.background.failed.connect(lambda exc: self.report(f"The handout was not made: {exc}"))
        self.background.run(
            "Making the handout…",
            lambda: operations_export.make_handout(patient_id=patient_id, kind=kind, author=author, printed_on=today),
        )

    def _handout_ready(self, kind: str, result) -> None:
        pdf, record = result
        self.show_status(f"Made and recorded the {PAPER_NAMES.get(kind, kind)} ({len(pdf) // 1024} KB, SHA-256 {record.sha256[:12]}…).")
        self.history_tab.refresh()
        self.preview(pdf, kind)

    def preview(self, pdf: bytes, kind: str) -> None:
        from taperdesk.ui.handout_preview import HandoutPreview

        patient = storage.get_patient(patient_id=self.patient_id)
        name = f"{patient.identifier}-{kind}-{self.today.isoformat()}.pdf"
        self.run_dialog(HandoutPreview(self, pdf=pdf, title=f"{PAPER_NAMES.get(kind, kind).capitalize()}: {patient.name}", suggested_name=name))

    def reprint_dialog(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        from taperdesk.clinic import handouts as operations_export

        if self.current is None:
            return
        handouts = storage.handouts_for_revision(revision_id=self.current.revision.id)
        if not handouts:
            self.report("No handout has been printed for this revision yet.")
            return
        labels = [f"{h.kind} · {h.created_at:%Y-%m-%d %H:%M} · {h.sha256[:12]}" for h in handouts]
        dialog = QInputDialog(self)
        dialog.setWindowTitle("Reprint")
        dialog.setLabelText("Which printout? It is reprinted exactly as it was printed.")
        dialog.setComboBoxItems(labels)
        dialog.setTextValue(labels[-1])
        if self.run_dialog(dialog):
            chosen = handouts[labels.index(dialog.textValue())]
            try:
                pdf = operations_export.reprint(handout_id=chosen.id, author=self.clinician)
            except operations_export.OperationError as exc:  # its bytes or revision failed their check
                self.report(str(exc))
                return
            self.preview(pdf, chosen.kind)

    def export_file(self, kind: str) -> None:
        from PySide6.QtWidgets import QFileDialog

        if self.current is None:
            return
        suffix = {"ics": "Calendar (*.ics)", "csv": "CSV (*.csv)"}[kind]
        patient = storage.get_patient(patient_id=self.patient_id)
        path, _ = QFileDialog.getSaveFileName(self, "Export", f"{patient.identifier}-doses.{kind}", suffix)
        if path:
            self.export_to(kind, Path(path))

    def export_to(self, kind: str, path: Path) -> bool:
        from taperdesk.clinic import calendar_files
        from taperdesk.clinic import handouts as operations_export

        try:  # the stored revision and its status, verified just before it is written out
            if kind == "ics":
                data, _revision, _events = calendar_files.calendar_file(patient_id=self.patient_id, today=self.today,
                                                                              author=self.clinician)
            else:
                data = calendar_files.doses_csv(patient_id=self.patient_id, author=self.clinician)[0].encode("utf-8")
        except (operations_export.OperationError, operations_export.NoPlanError) as exc:
            self.report(str(exc))
            return False
        try:
            storage.write_private(path, data)  # 0600: a patient's plan, for their eyes and the clinic's
        except OSError as exc:
            self.report(f"Not exported: {exc.strerror or exc} ({path}). Choose another folder or free some space.")
            return False
        self.show_status(f"Exported {path.name}.")
        return True
