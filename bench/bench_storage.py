"""Time the storage operations a clinic feels, on the synthetic clinic from
make_clinic.py: opening the file, a name-prefix search, and loading one
patient's whole history (plans, revisions, symptom entries). Target: each under
50 ms median. The first open of a day also runs quick_check and the daily backup;
that one-off cost is reported separately.

    python bench/make_clinic.py && python bench/bench_storage.py [--db bench/out/clinic.sqlite]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

from taperdesk import storage
from taperdesk.storage.backup import list_backups
from taperdesk.storage.paths import default_backup_dir

PREFIXES = ("an", "gar", "mül", "chen", "o'b", "kow", "sm", "lop", "ha", "kenji", "p-0012", "jul nov", "ma")


def _timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        out.append((time.perf_counter() - began) * 1000)
    return out


def _report(label: str, ms: list[float], note: str = "") -> None:
    ms = sorted(ms)
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    verdict = "ok" if statistics.median(ms) < 50 else "OVER 50 ms"
    print(f"{label:<44} median {statistics.median(ms):7.2f} ms   p95 {p95:7.2f} ms   max {ms[-1]:7.2f} ms"
          f"   ({len(ms)} runs) {verdict}{note}")


def _largest_record() -> int:
    from taperdesk.storage.models import db

    sql = "SELECT patient_id FROM symptom_entry GROUP BY patient_id ORDER BY count(*) DESC LIMIT 1"
    return db.execute_sql(sql).fetchone()[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="bench/out/clinic.sqlite")
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args(argv)
    path = storage.resolve_db_path(args.db)  # a clinic file, or a clinic server's postgresql:// URL
    if not path.exists():
        print(f"{path} does not exist: run bench/make_clinic.py first", file=sys.stderr)
        return 2
    rng = random.Random(7)
    if isinstance(path, Path):
        for old in list_backups(default_backup_dir(path)):  # make this run's first open the day's first
            old.unlink()
        began = time.perf_counter()
        first = storage.open_database(path)
        first_ms = (time.perf_counter() - began) * 1000
        storage.close_database()
        print(f"file {path}: {path.stat().st_size / 1e6:.0f} MB")
        print(f"{'first open of the day (quick_check + backup)':<44} {first_ms:7.0f} ms   "
              f"(checked={first.checked}, backup={first.backup is not None})")
    else:
        print(f"clinic server {path}")

    def open_close():
        storage.open_database(path)
        storage.close_database()

    opens = []
    for _ in range(args.runs):
        began = time.perf_counter()
        storage.open_database(path)
        opens.append((time.perf_counter() - began) * 1000)
        storage.close_database()
    _report("open (later opens the same day)", opens)
    _report("open + close", _timed(open_close, args.runs))

    storage.open_database(path)
    try:
        found = {}

        def search():
            text = rng.choice(PREFIXES)
            found[text] = len(storage.search_patients(text=text, limit=200))

        _report("name-prefix search (limit 200)", _timed(search, args.runs * 4))
        print("   hits:", ", ".join(f"{k!r}={v}" for k, v in sorted(found.items())))
        n = len(storage.search_patients(text="", limit=1_000_000))
        sizes = {}

        def history():
            h = storage.patient_history(patient_id=rng.randint(1, n))
            sizes.setdefault("entries", []).append(len(h.entries))
            sizes.setdefault("revisions", []).append(sum(len(p.revisions) for p in h.plans))

        _report("one patient's full history (random patient)", _timed(history, args.runs * 4),
                f"  [median {statistics.median(sizes['entries']):.0f} entries, "
                f"{statistics.median(sizes['revisions']):.0f} revisions]")
        biggest = _largest_record()
        h = storage.patient_history(patient_id=biggest)
        _report("full history of the largest record", _timed(lambda: storage.patient_history(patient_id=biggest), args.runs),
                f"  [{len(h.entries)} entries]")
    finally:
        storage.close_database()
    return 0


if __name__ == "__main__":
    sys.exit(main())
