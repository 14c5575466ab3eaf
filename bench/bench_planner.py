"""Planning speed: the wizard re-plans on every change, so a plan must take
well under a frame. Times a thousand varied plans (every stocked drug, all
methods, with and without crossover and liquid) and one three-year plan.

    .venv/bin/python bench/bench_planner.py
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import date

from taperdesk.core.catalogue import load_catalogue
from taperdesk.core.dispensing import DrugStock, dispenser_for
from taperdesk.core.planner import make_plan
from taperdesk.core.quantity import Q
from taperdesk.core.regimen import TIMES, PlanInputError, Regimen
from taperdesk.core.settings import PlanSettings


def varied_inputs(n: int, seed: int = 7):
    rng = random.Random(seed)
    catalogue = load_catalogue()
    drugs = [d.name for d in catalogue.drugs if catalogue.formulations_for(d.name)]
    out = []
    while len(out) < n:
        drug = rng.choice(drugs)
        liquid = rng.random() < 0.3
        stock = DrugStock(drug, None, rng.choice(("none", "half", "quarter")), liquid)
        disp = dispenser_for(catalogue, stock)
        factor = catalogue.drug(drug).diazepam_factor("ashton")
        times = rng.sample(TIMES, rng.randint(1, 3))
        doses = []
        for t in times:
            q = disp.floor(int(rng.uniform(2, 20) / float(factor) * Q))
            if q > 0:
                doses.append((t, q / Q))
        if not doses:
            continue
        ceiling = catalogue.drug(drug).max_daily_mg
        if ceiling and sum(mg for _, mg in doses) > ceiling:
            continue  # above the drug's maximum: refused (R11), not a plan to time
        method = rng.choice(("proportional", "fixed", "stepwise"))
        kwargs = {"cut_percent": rng.choice((5, 10))} if method != "stepwise" else {}
        crossover = rng.random() < 0.3
        stocks = (stock,) + ((DrugStock("diazepam", liquid=liquid),) if crossover else ())
        settings = PlanSettings(start=date(2026, 12, 1), method=method, crossover=crossover, stock=stocks, **kwargs)
        out.append((Regimen(drug, tuple(doses)), settings))
    return catalogue, out


def main() -> None:
    catalogue, inputs = varied_inputs(1000)
    make_plan(*inputs[0], catalogue)  # warm the catalogue and dispenser caches
    times, steps, refused = [], [], 0
    for regimen, settings in inputs:
        t0 = time.perf_counter()
        try:
            plan = make_plan(regimen, settings, catalogue)
        except PlanInputError:
            refused += 1
            continue
        times.append((time.perf_counter() - t0) * 1000)
        steps.append(len(plan.steps))
    times.sort()
    print(f"1000 varied plans: median {statistics.median(times):.2f} ms, p95 {times[int(len(times) * 0.95)]:.2f} ms,"
          f" max {times[-1]:.2f} ms; median {statistics.median(steps):.0f} steps; {refused} refused")

    long_regimen = Regimen("diazepam", (("morning", 20.0), ("night", 20.0)))
    long_settings = PlanSettings(start=date(2026, 12, 1), cut_percent=5, stock=(DrugStock("diazepam", liquid=True),))
    runs = []
    for _ in range(20):
        t0 = time.perf_counter()
        plan = make_plan(long_regimen, long_settings, catalogue)
        runs.append((time.perf_counter() - t0) * 1000)
    years = ((plan.end - plan.start).days + 1) / 365.25
    print(f"one {years:.1f}-year plan ({len(plan.steps)} steps, diazepam 40 mg, 5%, liquid): median {statistics.median(runs):.2f} ms")


if __name__ == "__main__":
    main()
