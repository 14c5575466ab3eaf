"""Schedule-quality measures over a fixed set of varied `taperdesk plan` cases.

The measures are read from the plan JSON alone, the way a pharmacist reads a
schedule: how many pieces the patient handles in one dose, on how many days
doses of one drug differ between times of day, what share of steps last whole
weeks, how many cuts outrun the plan's own pace, and how long until the stop.
The cases use only flags both the previous and the current engine know, so the
stored baseline (bench/quality_baseline.json, made by the previous engine) and
today's figures compare like with like."""

from __future__ import annotations

import math
from datetime import date

START = "2026-01-05"

# (name, plan arguments) -- published and edge cases from issue 10 and the clinical reference
CASES: list[tuple[str, list[str]]] = [
    ("diazepam 20 bd", ["--drug", "diazepam", "--dose", "morning=10", "--dose", "night=10"]),
    ("diazepam 10 bd, 10 mg only, UK", ["--drug", "diazepam", "--dose", "morning=10", "--dose", "night=10", "--stock", "10", "--split", "none", "--market", "UK"]),
    ("diazepam 40 stepwise", ["--drug", "diazepam", "--dose", "morning=20", "--dose", "night=20", "--method", "stepwise"]),
    ("diazepam 20 stepwise", ["--drug", "diazepam", "--dose", "morning=10", "--dose", "night=10", "--method", "stepwise"]),
    ("diazepam 10 nightly, UK liquid", ["--drug", "diazepam", "--dose", "night=10", "--liquid", "--market", "UK"]),
    ("diazepam 10 nightly, US liquid", ["--drug", "diazepam", "--dose", "night=10", "--liquid", "--market", "US"]),
    ("diazepam 5 nightly", ["--drug", "diazepam", "--dose", "night=5"]),
    ("diazepam 2 nightly", ["--drug", "diazepam", "--dose", "night=2"]),
    ("diazepam 5 tds", ["--drug", "diazepam", "--dose", "morning=5", "--dose", "midday=5", "--dose", "night=5"]),
    ("diazepam 10 tds, 5%", ["--drug", "diazepam", "--dose", "morning=10", "--dose", "midday=10", "--dose", "night=10", "--cut-percent", "5"]),
    ("diazepam 20 fixed 2 mg", ["--drug", "diazepam", "--dose", "morning=10", "--dose", "night=10", "--method", "fixed", "--cut-mg", "2"]),
    ("diazepam 4 bd, quarters", ["--drug", "diazepam", "--dose", "morning=4", "--dose", "night=4", "--split", "quarter"]),
    ("diazepam 25 nightly, 28 days", ["--drug", "diazepam", "--dose", "night=25", "--interval-days", "28"]),
    ("diazepam 6 bd, 7 days 5%", ["--drug", "diazepam", "--dose", "morning=6", "--dose", "night=6", "--interval-days", "7", "--cut-percent", "5"]),
    ("lorazepam 1 bd crossover", ["--drug", "lorazepam", "--dose", "morning=1", "--dose", "night=1", "--crossover"]),
    ("lorazepam 1 bd", ["--drug", "lorazepam", "--dose", "morning=1", "--dose", "night=1"]),
    ("lorazepam 0.5 bd US", ["--drug", "lorazepam", "--dose", "morning=0.5", "--dose", "night=0.5", "--market", "US"]),
    ("lorazepam 2.5 nightly UK", ["--drug", "lorazepam", "--dose", "night=2.5", "--market", "UK"]),
    ("lorazepam 1 tds fixed 0.25 mg", ["--drug", "lorazepam", "--dose", "morning=1", "--dose", "midday=1", "--dose", "night=1", "--method", "fixed", "--cut-mg", "0.25", "--market", "US"]),
    ("alprazolam 0.5 tds crossover", ["--drug", "alprazolam", "--dose", "morning=0.5", "--dose", "midday=0.5", "--dose", "night=0.5", "--crossover"]),
    ("alprazolam 1 bd", ["--drug", "alprazolam", "--dose", "morning=1", "--dose", "night=1"]),
    ("alprazolam 2 bd crossover", ["--drug", "alprazolam", "--dose", "morning=2", "--dose", "night=2", "--crossover"]),
    ("clonazepam 0.5 tds liquid", ["--drug", "clonazepam", "--dose", "morning=0.5", "--dose", "midday=0.5", "--dose", "night=0.5", "--liquid"]),
    ("clonazepam 2 bd", ["--drug", "clonazepam", "--dose", "morning=2", "--dose", "night=2"]),
    ("clonazepam 1 nightly US", ["--drug", "clonazepam", "--dose", "night=1", "--market", "US"]),
    ("zolpidem 10 nightly", ["--drug", "zolpidem", "--dose", "night=10"]),
    ("zolpidem 5 nightly", ["--drug", "zolpidem", "--dose", "night=5"]),
    ("temazepam 30 nightly US", ["--drug", "temazepam", "--dose", "night=30", "--market", "US"]),
    ("temazepam 15 nightly US", ["--drug", "temazepam", "--dose", "night=15", "--market", "US"]),
    ("temazepam 20 nightly UK liquid", ["--drug", "temazepam", "--dose", "night=20", "--market", "UK", "--liquid"]),
    ("oxazepam 10 bd UK", ["--drug", "oxazepam", "--dose", "morning=10", "--dose", "night=10", "--market", "UK"]),
    ("oxazepam 30 tds US", ["--drug", "oxazepam", "--dose", "morning=30", "--dose", "midday=30", "--dose", "night=30", "--market", "US"]),
    ("nitrazepam 5 nightly", ["--drug", "nitrazepam", "--dose", "night=5"]),
    ("zopiclone 7.5 nightly", ["--drug", "zopiclone", "--dose", "night=7.5"]),
    ("chlordiazepoxide 10 tds", ["--drug", "chlordiazepoxide", "--dose", "morning=10", "--dose", "midday=10", "--dose", "night=10"]),
    ("eszopiclone 3 nightly", ["--drug", "eszopiclone", "--dose", "night=3"]),
]


def _days(step: dict) -> int:
    return (date.fromisoformat(step["end"]) - date.fromisoformat(step["start"])).days + 1


def pieces(dose: dict) -> int:
    """Things the patient handles: each whole or part tablet, and one measure per liquid."""
    return sum(1 if u["form"] == "liquid" else math.ceil(u["count"]) for u in dose["units"])


def measures(plan: dict) -> dict:
    steps = plan["steps"]
    interval = plan["interval_days"]
    max_pieces = max((pieces(d) for s in steps for d in s["doses"]), default=0)
    unequal_days = 0
    for s in steps:
        by_drug: dict[str, set] = {}
        for d in s["doses"]:
            by_drug.setdefault(d["drug"], set()).add(d["mg"])
        if any(len(v) > 1 for v in by_drug.values()):
            unequal_days += _days(s)
    timed = [s for s in steps if s["kind"] not in ("stop", "hold")]
    whole_weeks = sum(1 for s in timed if _days(s) % 7 == 0) / len(timed) if timed else 1.0
    fast, run = 0, 0
    for i, s in enumerate(steps):
        prev = steps[i - 1] if i else None
        run = run + _days(s) if prev and s["diazepam_eq_mg"] == prev["diazepam_eq_mg"] else _days(s)
        s["_run"] = run
    for i in range(1, len(steps)):
        old, new = steps[i - 1]["diazepam_eq_mg"], steps[i]["diazepam_eq_mg"]
        if new < old - 1e-9 and steps[i]["kind"] != "stop":
            rate = ((old - new) / old) / (steps[i - 1]["_run"] / interval)
            if rate > plan["max_cut_percent"] / 100 + 1e-5:
                fast += 1
    for s in steps:
        s.pop("_run", None)
    mixed = sum(1 for s in steps for d in s["doses"]
                if {u["form"] == "liquid" for u in d["units"]} == {True, False})
    last = steps[-1]
    before_stop = steps[-2] if last["kind"] == "stop" and len(steps) > 1 else last
    return {
        "max_pieces": max_pieces,
        "unequal_days": unequal_days,
        "whole_week_share": round(whole_weeks, 3),
        "fast_cuts": fast,
        "days_to_stop": (date.fromisoformat(last["end"]) - date.fromisoformat(steps[0]["start"])).days + 1,
        "mixed_doses": mixed,
        "last_dose_eq": before_stop["diazepam_eq_mg"],
    }
