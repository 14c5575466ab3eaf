"""Pictures of the side effects and the advice page (`python scripts/screenshots_safety.py`
under Xvfb): the Symptoms tab of a demo patient whose daily record has side effects
and a fall (the plot's side-effect rows, the day list's "Fall recorded"), and the
patient handout's advice pages for two patients with different support and
substances, as PNG pages (pdftoppm). Written to docs/screenshots."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtWidgets import QApplication

from taperdesk import storage

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
TODAY = date.today()  # entries may not be dated after the real today


def settle(app: QApplication) -> None:
    for _ in range(8):
        app.processEvents()


def advice_pngs(pdf: bytes, name: str) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "h.pdf"
        path.write_bytes(pdf)
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        pages = text.split("\f")
        first = next(i for i, p in enumerate(pages) if p.lstrip().startswith("Staying safe")) + 1
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(first), "-l", str(first + 1), str(path),
                        str(Path(tmp) / name)], check=True)
        written = []
        for n, png in enumerate(sorted(Path(tmp).glob(f"{name}-*.png")), 1):  # stable names: -1, -2
            png.replace(OUT / f"{name}-{n}.png")
            written.append(f"{name}-{n}.png")
    return written


def main() -> int:
    from taperdesk.clinic.paper import build_handout
    from taperdesk.clinic.plans import current_plan
    from taperdesk.ui.workspace import Workspace

    app = QApplication(sys.argv[:1])
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    demo = storage.make_demo(Path(tempfile.mkdtemp()) / "demo.sqlite", today=TODAY)
    storage.open_database(demo.path, auto_backup=False)
    clinician = storage.verify_password(name=demo.clinician, password=demo.password)
    jose = storage.search_patients(text="José")[0]
    days = sorted(e.date for e in storage.symptom_entries(patient_id=jose.id, scale="daily"))
    recent = [d for d in days if d > TODAY - timedelta(days=60)]
    for n, entry in enumerate(e for e in storage.symptom_entries(patient_id=jose.id, scale="daily")
                              if e.date in recent):
        items = {**entry.items, "drowsy": 2 if n < len(recent) // 2 else 1, "memory": 1 if n % 3 else 2}
        if entry.date == recent[-3]:
            items["falls"] = 1
        storage.correct_symptom_entry(entry_id=entry.id, items=items, author=clinician,
                                      note="side effects asked at the review")
    OUT.mkdir(parents=True, exist_ok=True)
    written = []
    window = Workspace(clinician=clinician, today=TODAY)
    window.resize(1366, 768)
    window.show()
    settle(app)
    window.show_today()
    settle(app)
    window.grab().save(str(OUT / "today-fall-1366x768.png"))
    window.select_patient(jose.id)
    window.tabs.setCurrentWidget(window.symptoms_host)
    settle(app)
    window.symptoms_tab.plot.reset_view()
    settle(app)
    window.grab().save(str(OUT / "symptoms-side-effects-1366x768.png"))
    written += ["today-fall-1366x768.png", "symptoms-side-effects-1366x768.png"]
    window.close()
    # two patients, two advice pages: support agreed differs (and what else they take, once recorded)
    margaret = storage.search_patients(text="Margaret")[0]
    storage.agree_support(patient_id=jose.id, keys=["cbt_insomnia", "exercise"], author=clinician)
    storage.agree_support(patient_id=margaret.id, keys=["sleep_hygiene", "support_group"], author=clinician,
                          plan_id=current_plan(patient_id=margaret.id).record.id)
    for who, name in ((jose, "advice-jose"), (margaret, "advice-margaret")):
        pdf, _ = build_handout(patient_id=who.id, kind="patient", printed_on=TODAY, invariant=True)
        written += advice_pngs(pdf, name)
    print(f"wrote {', '.join(written)} to {OUT}")
    storage.close_database()
    return 0


if __name__ == "__main__":
    sys.exit(main())
