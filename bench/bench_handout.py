"""Patient handout speed: a one-year plan's handout must build in under 500 ms.

Lorazepam 1 mg twice daily switched to diazepam and tapered 10% every two
weeks with a ten-week hold (365 days, twelve months of calendar pages plus the front
table, four weeks of diary and the advice page). Median of 10 runs.

    .venv/bin/python bench/bench_handout.py
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
from taperdesk.export.handout_data import HandoutClinic, HandoutPatient
from taperdesk.export.patient_handout import patient_handout_pdf

TARGET_MS = 500.0
RUNS = 10


def main() -> None:
    start = date(2026, 12, 1)
    plan = make_plan(Regimen("lorazepam", (("morning", 1.0), ("night", 1.0))), PlanSettings(start=start, crossover=True))
    plan = hold(plan, date(2027, 3, 1), 72, "benchmark hold")  # 365 days in all
    days = (plan.end - plan.start).days + 1
    patient = HandoutPatient("Zoë Łukasiewicz", date(1970, 3, 3), "TD-0042")
    clinic = HandoutClinic("Harbour Street Clinic", "12 Harbour Street", "023 9200 0100", "Dr Ines Okafor",
                           "Harbour Street Clinic", "A4")
    times, cpu, size = [], [], 0
    for _ in range(RUNS):
        t0, c0 = time.perf_counter(), time.process_time()
        pdf = patient_handout_pdf(plan=plan, patient=patient, clinic=clinic, revision=1, printed_on=start)
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        size = len(pdf)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    median = statistics.median(times)
    print(f"patient handout, {days}-day plan ({len(plan.steps)} steps), {pages} pages, {size / 1024:.0f} KiB:"
          f" median {median:.0f} ms of {RUNS} (first {times[0]:.0f} ms, best {min(times):.0f} ms);"
          f" CPU median {statistics.median(cpu):.0f} ms; target < {TARGET_MS:.0f} ms: {'OK' if median < TARGET_MS else 'TOO SLOW'}")


if __name__ == "__main__":
    main()
