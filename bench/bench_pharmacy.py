"""Pharmacy order and dose-box sheet speed: each under 500 ms for a one-year plan.

The same plan as bench_handout.py (lorazepam 1 mg twice daily switched to
diazepam, 10% every two weeks, a ten-week hold: 365 days), supplies of 28 days.
Median of 10 runs each.

    .venv/bin/python bench/bench_pharmacy.py
"""

from __future__ import annotations

import io
import statistics
import time
from datetime import date

from pypdf import PdfReader

from taperdesk.core.edits import hold
from taperdesk.core.planner import make_plan
from taperdesk.core.regimen import Regimen
from taperdesk.core.settings import PlanSettings
from taperdesk.export.dose_box import dose_box_pdf
from taperdesk.export.handout_data import HandoutClinic, HandoutPatient
from taperdesk.export.pharmacy_order import pharmacy_order_pdf

TARGET_MS = 500.0
RUNS = 10


def _time(label: str, make) -> None:
    times, cpu, pdf = [], [], b""
    for _ in range(RUNS):
        t0, c0 = time.perf_counter(), time.process_time()
        pdf = make()
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    median = statistics.median(times)
    print(f"{label}, {pages} pages, {len(pdf) / 1024:.0f} KiB: median {median:.0f} ms of {RUNS}"
          f" (best {min(times):.0f} ms, CPU median {statistics.median(cpu):.0f} ms); target < {TARGET_MS:.0f} ms: {'OK' if median < TARGET_MS else 'TOO SLOW'}")


def main() -> None:
    start = date(2026, 12, 1)
    plan = make_plan(Regimen("lorazepam", (("morning", 1.0), ("night", 1.0))), PlanSettings(start=start, crossover=True))
    plan = hold(plan, date(2027, 3, 1), 72, "benchmark hold")
    days = (plan.end - plan.start).days + 1
    patient = HandoutPatient("Zoë Łukasiewicz", date(1970, 3, 3), "TD-0042")
    clinic = HandoutClinic("Harbour Street Clinic", "12 Harbour Street", "023 9200 0100", "Dr Ines Okafor",
                           "Harbour Street Clinic", "A4")
    kw = dict(plan=plan, patient=patient, clinic=clinic, revision=1, printed_on=start)
    _time(f"pharmacy order, {days}-day plan, 28-day supplies", lambda: pharmacy_order_pdf(**kw, supply_days=28))
    _time(f"dose-box sheet, {days}-day plan", lambda: dose_box_pdf(**kw))


if __name__ == "__main__":
    main()
