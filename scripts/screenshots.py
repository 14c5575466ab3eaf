"""Write the README's screenshots from a fresh demo clinic (`make screenshots`
runs this under Xvfb): the main window, the calendar, the history."""

from __future__ import annotations

import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtWidgets import QApplication

from taperdesk import storage

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


def settle(app: QApplication) -> None:
    for _ in range(5):
        app.processEvents()


def main() -> int:
    app = QApplication(sys.argv[:1])
    app.setOrganizationName("TaperDesk-screenshots")
    app.setApplicationName("TaperDesk")
    demo = storage.make_demo(Path(tempfile.mkdtemp()) / "demo.sqlite", today=date(2026, 11, 27))
    storage.open_database(demo.path, auto_backup=False)
    clinician = storage.verify_password(name=demo.clinician, password=demo.password)
    from taperdesk.clinic import plans as operations
    from taperdesk.ui.workspace import Workspace

    window = Workspace(clinician=clinician, today=date(2026, 11, 27))
    window.resize(1400, 900)
    window.show()
    settle(app)
    held = next(p for p in storage.search_patients(text="") if (info := window.patients.plan_of(p.id))
                and info.plan.holds() and info.plan.crossover_to)
    window.select_patient(held.id)
    window.plan_tab.calendar.select_date(window.today)
    settle(app)
    OUT.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(OUT / "main-window.png"))
    window.plan_tab.calendar.grab().save(str(OUT / "calendar.png"))
    window.tabs.setCurrentWidget(window.symptoms_host)
    settle(app)
    window.symptoms_tab.plot.reset_view()
    settle(app)
    window.grab().save(str(OUT / "symptoms.png"))
    flagged = [p for p in storage.search_patients(text="") if operations.patient_flare(
        info=window.patients.plan_of(p.id), today=window.today)]
    print("patients with a flare today:", ", ".join(p.name for p in flagged) or "none")
    window.tabs.setCurrentWidget(window.history_tab)
    settle(app)
    window.grab().save(str(OUT / "history.png"))
    window.tabs.setCurrentWidget(window.plan_tab)
    wizard = window.make_wizard(revise_from=window.today + timedelta(days=7))
    wizard.resize(1200, 820)
    wizard.show()
    while wizard.nextId() != -1:
        wizard.next()
        settle(app)
    settle(app)
    wizard.grab().save(str(OUT / "wizard-review.png"))
    wizard.close()
    print(f"wrote {', '.join(sorted(p.name for p in OUT.glob('*.png')))} to {OUT}")
    storage.close_database()
    return 0


if __name__ == "__main__":
    sys.exit(main())
