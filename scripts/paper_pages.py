"""Page images of the papers for the README (docs/screenshots/paper-*.png):
a four-doses-a-day month, a crossover's start, CJK and Arabic names, a
120-character name, a paused plan's handout, the pharmacy order and the
dose-box sheet. Needs poppler-utils (pdftoppm).

    .venv/bin/python scripts/paper_pages.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import io
import subprocess
import tempfile
from datetime import date
from pathlib import Path

from pypdf import PdfReader

from taperdesk.core.edits import hold
from taperdesk.core.in_force import StatusChange
from taperdesk.core.planner import make_plan
from taperdesk.core.regimen import Regimen
from taperdesk.core.settings import PlanSettings
from taperdesk.export.dose_box import dose_box_pdf
from taperdesk.export.handout_data import HandoutClinic, HandoutPatient
from taperdesk.export.patient_handout import patient_handout_pdf
from taperdesk.export.pharmacy_order import pharmacy_order_pdf

START = date(2026, 12, 1)
CLINIC = HandoutClinic("Harbour Street Clinic", "12 Harbour Street\nPortsmouth", "023 9200 0100", "Dr Ines Okafor",
                       "Harbour Street Clinic\nMedicines Support Service", "A4")
ZOE = HandoutPatient("Zoë Łukasiewicz", date(1970, 3, 3), "TD-0042", next_review=date(2026, 12, 15))
FOUR = make_plan(Regimen("diazepam", (("morning", 5.0), ("midday", 5.0), ("evening", 5.0), ("night", 10.0))),
                 PlanSettings(start=START))
CROSS = hold(make_plan(Regimen("lorazepam", (("morning", 1.0), ("night", 1.0))), PlanSettings(start=START, crossover=True)),
             date(2027, 2, 1), 14, "Poor sleep after the last cut")
LONG = ("Maria-Antonietta Łukasiewicz-Fernández de la Cruz y Montenegro-Villalobos " * 2)[:120]


def page_with(pdf: bytes, words: str) -> int:
    for n, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, 1):
        if words in " ".join((page.extract_text() or "").split()):
            return n
    return 1


def png(pdf: bytes, page: int, out: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        src = Path(folder) / "p.pdf"
        src.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", "-f", str(page), "-l", str(page), str(src),
                        str(out.with_suffix(""))], check=True)


def handout(plan, patient=ZOE, **kw) -> bytes:
    return patient_handout_pdf(plan=plan, patient=patient, clinic=CLINIC, revision=2, printed_on=START,
                               invariant=True, **kw)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="docs/screenshots", type=Path)
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    four = handout(FOUR)
    png(four, 1, out / "paper-handout-page1.png")
    png(four, page_with(four, "December 2026 Tick"), out / "paper-four-doses.png")
    cross = handout(CROSS)
    png(cross, page_with(cross, "December 2026 Tick"), out / "paper-crossover-start.png")
    png(handout(FOUR, HandoutPatient("王小明 (Wang Xiaoming) 김민준 山田花子", ZOE.born, "TD-0051")), 1,
        out / "paper-cjk-name.png")
    png(handout(FOUR, HandoutPatient("فاطمة الزهراء", ZOE.born, "TD-0052")), 1, out / "paper-arabic-name.png")
    png(handout(FOUR, HandoutPatient(LONG, ZOE.born, "TD-0053")), 1, out / "paper-long-name.png")
    paused = (StatusChange("active", START), StatusChange("paused", date(2027, 1, 4), "flu"))
    png(patient_handout_pdf(plan=FOUR, patient=ZOE, clinic=CLINIC, revision=2, printed_on=date(2027, 1, 6),
                            statuses=paused, invariant=True), 1, out / "paper-paused.png")
    png(pharmacy_order_pdf(plan=CROSS, patient=ZOE, clinic=CLINIC, revision=2, printed_on=START, supply_days=28,
                           invariant=True), 1, out / "paper-pharmacy-order.png")
    png(dose_box_pdf(plan=CROSS, patient=ZOE, clinic=CLINIC, revision=2, printed_on=date(2026, 12, 7),
                     invariant=True), 1, out / "paper-dose-box.png")
    print(f"Wrote the paper pages to {out}.")


if __name__ == "__main__":
    main()
