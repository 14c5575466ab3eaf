"""Calendar speed: switching month must take well under 100 ms, even on a
three-year plan. Builds the long plan (diazepam 40 mg, 5% cuts, liquid), shows
the calendar offscreen and times go_next_month() fifty times, each followed
by processEvents() and a synchronous repaint (so the painting is counted).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_calendar.py
"""

from __future__ import annotations

import os
import statistics
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


def main() -> None:
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

    runs = []
    for _ in range(50):
        t0 = time.perf_counter()
        cal.go_next_month()
        app.processEvents()
        cal.repaint()
        runs.append((time.perf_counter() - t0) * 1000)
    runs.sort()
    print(
        f"calendar on a {years:.1f}-year plan ({len(plan.steps)} steps, {(plan.end - plan.start).days + 1} days):"
        f" set_plan {set_plan_ms:.1f} ms;"
        f" go_next_month x50 median {statistics.median(runs):.2f} ms,"
        f" p95 {runs[int(len(runs) * 0.95)]:.2f} ms, max {runs[-1]:.2f} ms (target < 100 ms)"
    )
    cal.close()


if __name__ == "__main__":
    main()
