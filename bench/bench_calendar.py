"""Calendar speed: switching month within a frame (16 ms, issue 13), even on a
four-year plan. Builds the long plan (diazepam 40 mg, 5% cuts, liquid), shows
the calendar offscreen and times go_next_month() fifty times, each followed
by processEvents() and a synchronous repaint (so the painting is counted).
Prints wall and CPU medians: on a machine shared with other jobs the wall
time is mostly waiting for a core, the CPU time what the switch itself costs.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_calendar.py
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import date

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from taperdesk.core.dispensing import DrugStock  # noqa: E402
from taperdesk.core.edits import hold  # noqa: E402
from taperdesk.core.planner import make_plan  # noqa: E402
from taperdesk.core.regimen import Regimen  # noqa: E402
from taperdesk.core.settings import PlanSettings  # noqa: E402
from taperdesk.ui.calendar import PlanCalendar  # noqa: E402


TARGET_MS = 16  # a frame at 60 Hz


def main() -> int:
    app = QApplication.instance() or QApplication([])
    plan = make_plan(
        Regimen("diazepam", (("morning", 20.0), ("night", 20.0))),
        PlanSettings(start=date(2026, 12, 1), cut_percent=5, stock=(DrugStock("diazepam", liquid=True),)),
    )
    plan = hold(plan, date(2027, 6, 1), 28, "benchmark hold")
    years = ((plan.end - plan.start).days + 1) / 365.25

    cal = PlanCalendar()
    cal.resize(900, 650)
    cal.show()
    app.processEvents()

    t0 = time.perf_counter()
    cal.set_plan(plan)
    app.processEvents()
    set_plan_ms = (time.perf_counter() - t0) * 1000
    cal.set_symptom_days({date(2027, 1, d) for d in range(1, 29, 3)})
    cal.go_start()
    app.processEvents()

    runs, cpu = [], []
    for _ in range(50):
        t0, c0 = time.perf_counter(), time.process_time()
        cal.go_next_month()
        app.processEvents()
        cal.repaint()
        runs.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    runs.sort()
    median = statistics.median(runs)
    print(
        f"calendar on a {years:.1f}-year plan ({len(plan.steps)} steps, {(plan.end - plan.start).days + 1} days):"
        f" set_plan {set_plan_ms:.1f} ms;"
        f" go_next_month x50 target <= {TARGET_MS} ms median {median:.2f} ms,"
        f" p95 {runs[int(len(runs) * 0.95)]:.2f} ms, max {runs[-1]:.2f} ms"
        f" {'pass' if median <= TARGET_MS else 'FAIL'} (CPU median {statistics.median(cpu):.2f} ms)"
    )
    cal.close()
    return 0 if median <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
