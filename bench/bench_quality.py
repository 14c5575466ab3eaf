"""Schedule-quality report: the fixed cases of bench/quality_cases.py run
through `taperdesk plan` in-process, measured from the plan JSON, and set
beside the previous engine's figures (bench/quality_baseline.json, written by
`--write-baseline` from the engine before issue 10's second pass).

    .venv/bin/python bench/bench_quality.py
"""

from __future__ import annotations

import contextlib
import io
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import taperdesk.cli.plan as cli_plan  # noqa: E402
from quality_cases import CASES, START, measures  # noqa: E402
from taperdesk.cli import run_command  # noqa: E402

BASELINE = Path(__file__).with_name("quality_baseline.json")
KEYS = ("max_pieces", "unequal_days", "whole_week_share", "fast_cuts", "days_to_stop", "mixed_doses", "last_dose_eq")


def run_cases() -> tuple[dict[str, dict], list[float]]:
    timings: list[float] = []
    real = cli_plan.make_plan

    def timed(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            timings.append((time.perf_counter() - t0) * 1000)

    cli_plan.make_plan = timed
    out: dict[str, dict] = {}
    try:
        for name, args in CASES:
            buf, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(err):
                code = run_command(["plan", "--start", START, *args])
            out[name] = measures(json.loads(buf.getvalue())) if code == 0 else {"refused": err.getvalue().strip()}
    finally:
        cli_plan.make_plan = real
    return out, timings


def summary(results: dict[str, dict]) -> dict:
    ok = [r for r in results.values() if "refused" not in r]
    return {
        "cases planned": len(ok),
        "max pieces in one dose (worst case)": max(r["max_pieces"] for r in ok),
        "cases with a dose of 5+ pieces": sum(r["max_pieces"] >= 5 for r in ok),
        "days with unequal doses (all cases)": sum(r["unequal_days"] for r in ok),
        "cases with unequal-dose days": sum(r["unequal_days"] > 0 for r in ok),
        "whole-week steps (mean share)": round(statistics.mean(r["whole_week_share"] for r in ok), 3),
        "cuts faster than the pace (all cases)": sum(r["fast_cuts"] for r in ok),
        "doses mixing tablets and liquid": sum(r["mixed_doses"] for r in ok),
        "days to stop (median)": statistics.median(r["days_to_stop"] for r in ok),
    }


def main() -> None:
    results, timings = run_cases()
    if "--write-baseline" in sys.argv:
        BASELINE.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
        print(f"baseline written: {BASELINE}")
        return
    base = json.loads(BASELINE.read_text())
    print(f"Schedule quality over {len(CASES)} fixed cases (start {START}); previous engine -> now")
    head = f"{'case':34} {'pieces':>8} {'unequal d':>11} {'wk share':>11} {'fast':>7} {'days':>11} {'mixed':>7} {'last eq':>13}"
    print(head)
    for name, _ in CASES:
        b, n = base.get(name, {}), results[name]
        if "refused" in n or "refused" in b:
            print(f"{name:34} previous: {b.get('refused', 'planned')} / now: {n.get('refused', 'planned')}")
            continue
        cells = [f"{b[k]}->{n[k]}" for k in KEYS]
        print(f"{name:34} {cells[0]:>8} {cells[1]:>11} {cells[2]:>11} {cells[3]:>7} {cells[4]:>11} {cells[5]:>7} {cells[6]:>13}")
    print()
    sb, sn = summary(base), summary(results)
    for key in sb:
        print(f"  {key:40} {sb[key]!s:>8} -> {sn[key]!s}")
    timings.sort()
    print(f"\nplanner time over these cases, first run (cold stock caches): median {statistics.median(timings):.2f} ms,"
          f" max {timings[-1]:.2f} ms")
    _, warm = run_cases()  # the wizard re-plans the same stock on every change: caches warm
    warm.sort()
    print(f"planner time over these cases, again (warm): median {statistics.median(warm):.2f} ms, max {warm[-1]:.2f} ms")


if __name__ == "__main__":
    main()
