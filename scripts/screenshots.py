"""Write the README's screenshots from a fresh demo clinic (`make screenshots`
runs this under Xvfb; `--out DIR` writes them elsewhere), at both sizes a clinic's screens have: 1366x768 and
1920x1080. For each: the patient list, the plan tab of a paused, a taper-ended
and a crossover patient, the symptoms tab, the history, and the wizard's
review page. Files are named name-WIDTHxHEIGHT.png in docs/screenshots."""

from __future__ import annotations

import sys
import tempfile
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from PySide6.QtWidgets import QApplication

from taperdesk import storage

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
TODAY = date(2026, 11, 27)
SIZES = ((1366, 768), (1920, 1080))


def settle(app: QApplication) -> None:
    for _ in range(8):
        app.processEvents()


def patient_named(window, name: str) -> int:
    return next(p.id for p in storage.search_patients(text=name))


def shoot(app, window, size: tuple[int, int]) -> list[str]:
    w, h = size
    tag = f"{w}x{h}"
    window.resize(w, h)
    window.tabs.setCurrentWidget(window.plan_tab)
    settle(app)
    written = []

    def save(widget, name: str) -> None:
        settle(app)
        path = OUT / f"{name}-{tag}.png"
        widget.grab().save(str(path))
        written.append(path.name)

    window.show_today()  # the landing page: who needs the clinician today
    save(window, "today")
    # the list, with a patient whose plan is in force selected
    window.select_patient(patient_named(window, "Sofía"))
    save(window, "patient-list")
    for who, name in (("Robert", "plan-paused"), ("Henrik", "plan-taper-ended"), ("Margaret", "plan-crossover")):
        window.select_patient(patient_named(window, who))
        window.tabs.setCurrentWidget(window.plan_tab)
        if name == "plan-crossover":  # the morning tablet's switch day, its words in "What to take"
            course = window.current.course
            window.plan_tab.calendar.select_date(course.next_change(course.plan.start).day)
        save(window, name)
    window.select_patient(patient_named(window, "José"))
    window.tabs.setCurrentWidget(window.symptoms_host)
    settle(app)
    window.symptoms_tab.plot.reset_view()
    save(window, "symptoms")
    window.tabs.setCurrentWidget(window.history_tab)
    save(window, "history")
    window.tabs.setCurrentWidget(window.plan_tab)
    window.select_patient(patient_named(window, "Margaret"))
    wizard = window.make_wizard(revise_from=window.today + timedelta(days=7))
    wizard.resize(min(1200, w), min(820, h))
    wizard.show()
    settle(app)
    while wizard.nextId() != -1 and not getattr(wizard.currentPage(), "is_review", False):
        wizard.next()
        settle(app)
    save(wizard, "wizard-review")
    wizard.close()
    wizard.deleteLater()
    return written


def main(argv: list[str] | None = None) -> int:
    global OUT
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--out"] and len(args) == 2:
        OUT = Path(args[1])
    app = QApplication(sys.argv[:1])
    app.setOrganizationName("TaperDesk-screenshots")
    app.setApplicationName("TaperDesk")
    from PySide6.QtCore import QSettings

    # settings (window geometry, the list's split) from a fresh folder: the same pictures every run
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    demo = storage.make_demo(Path(tempfile.mkdtemp()) / "demo.sqlite", today=TODAY)
    storage.open_database(demo.path, auto_backup=False)
    clinician = storage.verify_password(name=demo.clinician, password=demo.password)
    from taperdesk.clinic.plans import current_plan
    from taperdesk.ui.workspace import Workspace

    # a taper paused mid-way (the demo's own paused plan had already reached its stop day)
    paused = storage.search_patients(text="Robert")[0]
    storage.set_plan_status(plan_id=current_plan(patient_id=paused.id).record.id, status="paused", author=clinician,
                            reason="patient in hospital for a week", at=datetime.combine(
                                TODAY - timedelta(days=4), time(11), tzinfo=timezone.utc))
    OUT.mkdir(parents=True, exist_ok=True)
    window = Workspace(clinician=clinician, today=TODAY)
    window.show()
    settle(app)
    written = []
    for size in SIZES:
        written += shoot(app, window, size)
    print(f"wrote {', '.join(written)} to {OUT}")
    window.close()
    storage.close_database()
    return 0


if __name__ == "__main__":
    sys.exit(main())
