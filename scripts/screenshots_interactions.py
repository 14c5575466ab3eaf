"""Write the README's pictures of other medicines and interaction warnings (under
Xvfb: `xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python
scripts/screenshots_interactions.py`): a fresh clinic with a patient on diazepam
who also takes oxycodone and drinks 20 units a week (plan tab, patient dialog,
clinician summary and handout pages) and one on alprazolam given clarithromycin
(the wizard's review page). Screens at 1366x768; paper pages via pdftoppm at 60 dpi."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QApplication

from taperdesk import storage

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
TODAY = date(2026, 12, 1)


def settle(app: QApplication) -> None:
    for _ in range(8):
        app.processEvents()


def main() -> int:
    app = QApplication(sys.argv[:1])
    app.setOrganizationName("TaperDesk-screenshots")
    app.setApplicationName("TaperDesk")
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    folder = Path(tempfile.mkdtemp())
    storage.open_database(folder / "clinic.sqlite", create=True, auto_backup=False)
    doctor = storage.add_clinician(name="Dr Ada Ngozi", role="clinician", password="long enough password")
    from taperdesk.clinic.paper import build_handout
    from taperdesk.clinic.plans import start_plan
    from taperdesk.core.planner import make_plan
    from taperdesk.core.regimen import Regimen
    from taperdesk.core.settings import PlanSettings
    from taperdesk.ui.patient_dialog import PatientDialog
    from taperdesk.ui.wizard.wizard import REVIEW_PAGE
    from taperdesk.ui.workspace import Workspace

    sofia = storage.add_patient(name="Sofía Herrera", born=date(1958, 4, 9), identifier="TD-0101", author=doctor)
    settings = PlanSettings(start=TODAY)
    start_plan(patient_id=sofia.id, plan=make_plan(Regimen("diazepam", (("morning", 5.0), ("night", 10.0))),
                                                    settings), settings=settings, author=doctor)
    storage.record_other_medicine(patient_id=sofia.id, name="oxycodone", dose="10 mg twice a day",
                                  since=date(2025, 3, 1), author=doctor)
    storage.record_other_medicine(patient_id=sofia.id, name="paracetamol", dose="1 g as needed", author=doctor)
    storage.set_alcohol_units(patient_id=sofia.id, units_week=20, author=doctor)
    omar = storage.add_patient(name="Omar Haddad", born=date(1966, 10, 2), identifier="TD-0102", author=doctor)
    storage.record_other_medicine(patient_id=omar.id, name="clarithromycin", dose="500 mg twice a day",
                                  since=date(2026, 11, 28), author=doctor)

    OUT.mkdir(parents=True, exist_ok=True)
    written = []

    def save(widget, name: str) -> None:
        settle(app)
        path = OUT / f"{name}.png"
        widget.grab().save(str(path))
        written.append(path.name)

    window = Workspace(clinician=doctor, today=TODAY)
    window.resize(1366, 768)
    window.show()
    window.select_patient(sofia.id)
    window.tabs.setCurrentWidget(window.plan_tab)
    save(window, "interactions-plan-tab-1366x768")

    dialog = PatientDialog(window, patient=storage.get_patient(patient_id=sofia.id), author=doctor)
    dialog.show()
    save(dialog, "interactions-patient-dialog")
    dialog.close()

    window.select_patient(omar.id)
    wizard = window.make_wizard()
    wizard.resize(1366, 768)
    wizard.show()
    wizard.regimen_page.drug.setEditText("alprazolam")
    wizard.regimen_page.doses["morning"].setValue(0.5)
    wizard.regimen_page.doses["night"].setValue(0.5)
    while wizard.currentId() < REVIEW_PAGE:
        wizard.next()
        settle(app)
    save(wizard, "interactions-wizard-review-1366x768")
    wizard.close()

    for kind, name in (("clinician", "interactions-summary"), ("patient", "interactions-handout")):
        pdf = folder / f"{name}.pdf"
        pdf.write_bytes(build_handout(patient_id=sofia.id, kind=kind, printed_on=TODAY, invariant=True)[0])
        for page in (1, 2):
            subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(page), "-l", str(page), "-singlefile", str(pdf),
                            str(OUT / f"{name}-{page}")], check=True)
            written.append(f"{name}-{page}.png")
    window.close()
    storage.close_database()
    print(f"wrote {', '.join(written)} to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
