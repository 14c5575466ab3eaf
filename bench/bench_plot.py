"""Symptom plot speed: a redraw (set_data) on ten years of daily entries must
take under 50 ms. Builds a long plan (diazepam 40 mg, 3% cuts every 28 days,
liquid: about 14 years) with two holds, three series of 3,650 daily scores
each, shows the plot offscreen and times set_data twenty times, alternating
two data sets so every call really redraws. Also times set_data followed by a
paint (processEvents: what the user waits for), and zooming into one month
and back (the reset view paints 10,950 points).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_plot.py
"""

from __future__ import annotations

import os
import random
import statistics
import time
from datetime import date, timedelta

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from taperdesk.core.dispensing import DrugStock  # noqa: E402
from taperdesk.core.edits import hold  # noqa: E402
from taperdesk.core.planner import make_plan  # noqa: E402
from taperdesk.core.regimen import Regimen  # noqa: E402
from taperdesk.core.scales import load_scales  # noqa: E402
from taperdesk.core.settings import PlanSettings  # noqa: E402
from taperdesk.ui.symptoms.plot import DAY_SECONDS, Series, SymptomPlot, day_x  # noqa: E402

START = date(2026, 12, 1)
DAYS = 3650
RUNS = 20


def series_set(seed: int) -> list[Series]:
    rng = random.Random(seed)
    days = [START + timedelta(days=i) for i in range(DAYS)]
    bands = load_scales()["ciwa-b"].bands
    return [
        Series("daily", "Daily rating", tuple((d, rng.randint(0, 10)) for d in days), 0, 10, ()),
        Series("ciwa-b", "CIWA-B", tuple((d, rng.randint(0, 80)) for d in days), 0, 80, bands),
        Series("bwsq", "BWSQ", tuple((d, rng.randint(0, 40)) for d in days), 0, 40, ()),
    ]


def timed(fn) -> list[float]:
    runs = []
    for i in range(RUNS):
        t0 = time.perf_counter()
        fn(i)
        runs.append((time.perf_counter() - t0) * 1000)
    return sorted(runs)


def fmt(runs: list[float]) -> str:
    return f"median {statistics.median(runs):.1f} ms, max {runs[-1]:.1f} ms"


def main() -> None:
    app = QApplication.instance() or QApplication([])
    plan = make_plan(
        Regimen("diazepam", (("morning", 20.0), ("night", 20.0))),
        PlanSettings(start=START, cut_percent=4, interval_days=28, stock=(DrugStock("diazepam", liquid=True),)),
    )
    plan = hold(plan, date(2028, 3, 1), 28, "benchmark hold")
    plan = hold(plan, date(2031, 6, 1), 42, "benchmark hold")
    years = ((plan.end - plan.start).days + 1) / 365.25
    data = [series_set(1), series_set(2)]

    plot = SymptomPlot()
    plot.resize(1100, 560)
    plot.show()
    plot.set_data(plan, data[1])
    app.processEvents()

    set_only = timed(lambda i: plot.set_data(plan, data[i % 2]))

    def with_paint(i: int) -> None:
        plot.set_data(plan, data[i % 2])
        app.processEvents()  # lays out and paints the plot once

    painted = timed(with_paint)

    month = (day_x(date(2030, 1, 1)), day_x(date(2030, 2, 1)))

    def zoom(i: int) -> None:
        if i % 2:
            plot.reset_view()
        else:
            plot.dose_view.setXRange(*month, padding=0)
        app.processEvents()

    zoomed = timed(zoom)
    points = sum(len(s.points) for s in data[0])
    print(
        f"symptom plot, {years:.1f}-year plan ({len(plan.steps)} steps, {len(plan.cut_dates())} cuts,"
        f" {len(plan.holds())} holds), {len(data[0])} series x {DAYS} daily points ({points} in all),"
        f" {RUNS} runs each:\n"
        f"  set_data                  {fmt(set_only)} (target < 50 ms)\n"
        f"  set_data + paint          {fmt(painted)}\n"
        f"  zoom to a month / reset view, + paint  {fmt(zoomed)}"
    )
    assert plot.series_data("daily")[0][0] == day_x(START) + DAY_SECONDS / 2
    plot.close()
    plot.deleteLater()
    app.processEvents()


if __name__ == "__main__":
    main()
