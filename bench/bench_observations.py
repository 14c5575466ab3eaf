"""Time `recent_observations` (storage/symptoms.py) over the whole synthetic
clinic (make_clinic.py): every patient's current entries of the last four
weeks, as the flare rule reads them. The entries' scores are stored when they
are written (storage.scores), so this is one query and no JSON. Prints target,
median, max and pass/fail.

    python bench/bench_observations.py --db bench/out/clinic.sqlite [--runs 7] [--days 28]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

from taperdesk import storage

TARGET_MS = {"whole clinic": 1000.0, "one screen (200 patients)": 25.0}


def report(what: str, times: list[float], target_ms: float) -> bool:
    median, worst = statistics.median(times), max(times)
    ok = median <= target_ms
    print(f"{what:<52} target <= {target_ms:<7g} ms  median {median:8.1f} ms  max {worst:8.1f} ms  "
          f"{'pass' if ok else 'FAIL'}")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="bench/out/clinic.sqlite")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--days", type=int, default=28)
    args = parser.parse_args(argv)
    path = Path(args.db)
    if not path.exists():
        print(f"{path} does not exist: run bench/make_clinic.py first", file=sys.stderr)
        return 2
    storage.open_database(path, read_only=True)
    try:
        from taperdesk.storage.connection import reading
        from taperdesk.storage.models import db

        with reading():
            ids = [r[0] for r in db.execute_sql("SELECT id FROM patient ORDER BY id")]
            last = db.execute_sql("SELECT max(date) FROM symptom_entry").fetchone()[0]
        since = dt.date.fromisoformat(last) - dt.timedelta(days=args.days - 1)
        counted = storage.recent_observations(patient_ids=ids, since=since)
        entries = sum(len(v) for v in counted.values())
        print(f"{len(ids)} patients, {entries} current entries since {since.isoformat()}")
        ok = True
        for what, chosen in (("whole clinic", ids), ("one screen (200 patients)", ids[::max(1, len(ids) // 200)][:200])):
            times = []
            for _ in range(args.runs):
                began = time.perf_counter()
                storage.recent_observations(patient_ids=chosen, since=since)
                times.append((time.perf_counter() - began) * 1000)
            ok &= report(f"recent_observations, {what}", times, TARGET_MS[what])
    finally:
        storage.close_database()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
