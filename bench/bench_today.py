"""Time the clinic's day on a synthetic clinic (make_clinic.py): whole-clinic
attention read from the kept table, the Today list (clinic.today.today_list,
what the Today view and `taperdesk today` show), the daily roll when it has
nothing to do, one write with its attention row, and, for scale, the full
recomputation the table replaces. Prints target, median, max and pass/fail.

The machine these runs share is busy: medians are what to compare.

    python bench/bench_today.py --db bench/out/clinic.sqlite [--runs 15]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

from taperdesk import storage
from taperdesk.clinic.today import today_list
from taperdesk.storage import attention


def _timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        out.append((time.perf_counter() - began) * 1000)
    return out


def report(what: str, times: list[float], target_ms: float | None) -> bool:
    median, worst = statistics.median(times), max(times)
    ok = target_ms is None or median <= target_ms
    goal = f"<= {target_ms:g} ms" if target_ms is not None else "(for scale)"
    print(f"{what:<52} target {goal:<12} median {median:9.1f} ms  max {worst:9.1f} ms  "
          f"{'pass' if ok else 'FAIL'}")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="bench/out/clinic.sqlite")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--full", action="store_true", help="also time a full recomputation (slow: minutes at 10k)")
    args = parser.parse_args(argv)
    path = Path(args.db)
    if not path.exists():
        print(f"no clinic at {path}: run bench/make_clinic.py first", file=sys.stderr)
        return 2
    storage.open_database(path, auto_backup=False)
    try:
        n = attention.db.execute_sql("SELECT COUNT(*) FROM patient").fetchone()[0]
        began = time.perf_counter()
        rolled = attention.roll()
        print(f"{path}: {n} patients; today's roll recomputed {rolled} rows in "
              f"{(time.perf_counter() - began) * 1000:.0f} ms (once a day, on the worker at start-up)")
        listing = today_list()
        print(f"today: {listing.patients()} patients on the list; " +
              ", ".join(f"{k} {v}" for k, v in listing.counts().items()))
        flagged = sum(1 for r in attention.rows_for().values() if r.reasons)
        print(f"patients with any attention reason: {flagged} of {n} ({100 * flagged / max(n, 1):.1f}%)")
        ok = True
        ok &= report("whole-clinic attention: the Today list (view, command)", _timed(today_list, args.runs), 100)
        report("every patient's kept row (for scale)", _timed(lambda: attention.rows_for(), args.runs), None)
        ok &= report("daily roll with nothing to do", _timed(attention.roll, args.runs), 50)
        some = [r[0] for r in attention.db.execute_sql(
            "SELECT patient_id FROM patient_attention WHERE status = 'active' ORDER BY patient_id LIMIT ?",
            (args.runs,))]
        doc = storage.list_clinicians()[0]
        day = dt.date.today() - dt.timedelta(days=1)
        writes = iter(some)
        ok &= report("one symptom entry, attention row in its transaction",
                     _timed(lambda: storage.add_symptom_entry(patient_id=next(writes), date=day, scale="daily",
                                                              items={"severity": 2, "sleep": 5}, author=doc),
                            min(args.runs, len(some))), 50)
        tomorrow = dt.date.today() + dt.timedelta(days=1)
        attention.today = lambda: tomorrow  # the clock moves on: tomorrow's first open
        began = time.perf_counter()
        rolled = attention.roll()
        report(f"tomorrow's daily roll ({rolled} of {n} rows ran out)", [(time.perf_counter() - began) * 1000], None)
        attention.today = lambda: dt.date.today()
        if args.full:
            report("full recomputation (what the table replaces)", _timed(attention.recompute, 1), None)
            print(f"table equals recomputation: {not attention.differences()}")
    finally:
        storage.close_database()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
