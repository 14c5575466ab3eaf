"""The plan as text a person reads (`taperdesk plan --format table`) and as
one CSV row per day: both read the plan's own day-by-day expansion."""

from __future__ import annotations

import csv
import io

from taperdesk.core.plan import Plan
from taperdesk.core.quantity import fmt_mg
from taperdesk.core.regimen import TIMES
from taperdesk.core.words import units_compact


def _dose_cells(step) -> dict[str, str]:
    cells = {}
    for d in step.doses:
        cells[d.time] = f"{fmt_mg(d.mg)} mg {d.drug} = {units_compact(d.units)}"
    return cells


def plan_table(plan: Plan) -> str:
    pace = plan.pace
    times = [t for t in TIMES if any(d.time == t for s in plan.steps for d in s.doses)]
    lines = [
        f"Taper of {plan.drug}"
        + (f" with crossover to {plan.crossover_to}" if plan.crossover_to else "")
        + f", {plan.method} method, {fmt_mg(pace.max_cut_percent)}% at most every {pace.interval_days} days"
        + (f" (fastest cut used: {fmt_mg(plan.fastest_rate_percent())}% per {pace.interval_days} days)" if pace.rules >= 2 else ""),
        f"Equivalence table: {plan.equivalence_table}; "
        + (f"cut order: {pace.cut_order}; stops from {fmt_mg(pace.final_dose_eq_mg)} mg diazepam-equivalent a day or less"
           + ("; NICE CKS end band" if pace.end_band == "nice" else "")
           if pace.rules >= 2 else
           f"end phase at or below {fmt_mg(pace.end_phase_eq_mg)} mg diazepam-equivalent,"
           f" cuts of at most {fmt_mg(pace.end_step_eq_mg)} mg there"),
        f"From {plan.start} to {plan.end}: {(plan.end - plan.start).days + 1} days,"
        f" {len(plan.cut_dates())} cuts" + (", then stop" if plan.stops else ", then stay on the last dose"),
        "",
    ]
    header = ["#", "from", "to", "days", "kind", *times, "diazepam-eq mg/day"]
    rows = []
    for step in plan.steps:
        cells = _dose_cells(step)
        kind = step.kind + (f" ({step.reason})" if step.reason else "")
        rows.append([str(step.index), str(step.start), str(step.end), str(step.days), kind,
                     *[cells.get(t, "-") for t in times], fmt_mg(step.diazepam_eq_mg)])
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    if plan.warnings:
        lines += ["", "Warnings:"] + [f"  - {w}" for w in plan.warnings]
    if plan.sources:
        lines += ["", "Sources:"] + [f"  - {s}" for s in plan.sources]
    return "\n".join(lines) + "\n"


def plan_csv(plan: Plan) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["date", "step", "kind", *[f"{t}_mg" for t in TIMES], *[f"{t}_units" for t in TIMES], "drugs", "diazepam_eq_mg"])
    for day, step in plan.days():
        by_time = {d.time: d for d in step.doses}
        writer.writerow(
            [
                day.isoformat(),
                step.index,
                step.kind,
                *[fmt_mg(by_time[t].mg) if t in by_time else "" for t in TIMES],
                *[units_compact(by_time[t].units) if t in by_time else "" for t in TIMES],
                "+".join(sorted({d.drug for d in step.doses})),
                fmt_mg(step.diazepam_eq_mg),
            ]
        )
    return out.getvalue()
