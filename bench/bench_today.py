"""Time the clinic's day on synthetic clinics (make_clinic.py): what the Today
view opens with (every group's count and first page, one query), the view
itself filled and laid out, a further page of a group, the whole list the
command and the printout read, the daily roll when it has nothing to do, one
write with its attention row in its transaction, tomorrow's roll, and, for
scale, the full recomputation the table replaces. Prints target, median, max
and pass/fail.

    python bench/bench_today.py --db bench/out/clinic.sqlite [--runs 15]
    python bench/bench_today.py --patients 1k,10k,50k     # the opening at each size, side by side

--patients uses bench/out/clinic1k.sqlite (built here if missing, about 20 s),
bench/out/clinic.sqlite (10k) and /work/benchdata/clinic50k.sqlite (50k, built
once with `make_clinic.py --patients 50000 --workers 2`); a missing one is
skipped with a line saying how to build it. The machine these runs share is
busy: medians are what to compare.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from taperdesk import storage
from taperdesk.clinic.today import GROUPS, today_items, today_list, today_opening
from taperdesk.storage import attention

SCALING = (("1k", "bench/out/clinic1k.sqlite", 1_000), ("10k", "bench/out/clinic.sqlite", 10_000),
           ("50k", "/work/benchdata/clinic50k.sqlite", 50_000))


class Times(list):
    """Wall-clock milliseconds per run, with this process's CPU milliseconds beside
    them: on a machine shared with other jobs the wall time is mostly waiting for a
    core, and the CPU time is what the work itself costs."""

    cpu: list[float]


def _timed(fn, runs: int) -> Times:
    out, cpu = Times(), []
    for _ in range(runs):
        began, began_cpu = time.perf_counter(), time.process_time()
        fn()
        out.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
    out.cpu = cpu
    return out


def report(what: str, times: list[float], target_ms: float | None) -> bool:
    median, worst = statistics.median(times), max(times)
    ok = target_ms is None or median <= target_ms
    goal = f"<= {target_ms:g} ms" if target_ms is not None else "(for scale)"
    cpu = getattr(times, "cpu", None)
    cpu_text = f"  (CPU median {statistics.median(cpu):7.1f} ms)" if cpu else ""
    print(f"{what:<58} target {goal:<12} median {median:9.1f} ms  max {worst:9.1f} ms  "
          f"{'pass' if ok else 'FAIL'}{cpu_text}")
    return ok


def _view_timing(runs: int, *, data_once: bool = False) -> list[float] | None:
    """The Today view filled from scratch and laid out (offscreen Qt), or None
    without PySide6. With data_once, the data is fetched once and handed back
    on every refresh: what the screen itself costs (its target is 40 ms, so
    that the whole stays under 100 ms with the data at 50,000 patients)."""
    try:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtWidgets import QApplication

        from taperdesk.ui import today_view
        from taperdesk.ui.today_view import TodayView
    except ImportError:
        return None
    app = QApplication.instance() or QApplication([])
    fetch = today_view.today_opening
    if data_once:
        opening = fetch(per_group=today_view.PAGE)
        today_view.today_opening = lambda **_kw: opening
    try:
        view = TodayView()
        view.resize(1366, 700)
        view.show()
        app.processEvents()

        def fill():
            view.refresh()
            app.processEvents()

        times = _timed(fill, runs)
        view.close()
    finally:
        today_view.today_opening = fetch
    return times


def bench_one(path: Path, runs: int, full: bool, writes: bool = True) -> bool:
    storage.open_database(path, auto_backup=False, quick_check=False)
    try:
        n = attention.db.execute_sql("SELECT COUNT(*) FROM patient").fetchone()[0]
        began = time.perf_counter()
        rolled = attention.roll()
        print(f"{path}: {n} patients; today's roll recomputed {rolled} rows in "
              f"{(time.perf_counter() - began) * 1000:.0f} ms (once a day, on the worker at start-up)")
        opening = today_opening(per_group=50)
        print(f"today: {opening.patients} patients on the list; " +
              ", ".join(f"{k} {v}" for k, v in opening.counts().items()))
        flagged = attention.db.execute_sql("SELECT COUNT(*) FROM patient_attention WHERE reasons <> '[]'").fetchone()[0]
        flares = attention.db.execute_sql(
            "SELECT COUNT(*) FROM patient_attention WHERE reasons LIKE '%\"Flare%'").fetchone()[0]
        print(f"patients with any attention reason: {flagged} of {n} ({100 * flagged / max(n, 1):.1f}%); "
              f"with a flare: {flares} ({100 * flares / max(n, 1):.1f}%)")
        ok = True
        ok &= report("Today view's data: counts + first page of every group", _timed(
            lambda: today_opening(per_group=50), runs), 100)
        view = _view_timing(max(3, runs // 3))
        if view is not None:
            ok &= report("Today view filled and laid out (offscreen Qt)", view, 100)
            ok &= report("  of which the screen alone (the data fetched once)", _view_timing(runs, data_once=True), 40)
        biggest = max(GROUPS, key=lambda k: opening.by_group[k])
        report(f"the next page of the longest group ({biggest})", _timed(
            lambda: today_items(group=biggest, offset=50, limit=50), runs), 100)
        report("the whole list (taperdesk today, the printout)", _timed(today_list, max(3, runs // 3)), None)
        ok &= report("daily roll with nothing to do", _timed(attention.roll, runs), 50)
        if writes:
            some = [r[0] for r in attention.db.execute_sql(
                "SELECT patient_id FROM patient_attention WHERE status = 'active' ORDER BY patient_id LIMIT ?",
                (runs,))]
            doc = storage.list_clinicians()[0]
            day = dt.date.today() - dt.timedelta(days=1)
            pick = iter(some)
            ok &= report("one symptom entry, attention row in its transaction",
                         _timed(lambda: storage.add_symptom_entry(patient_id=next(pick), date=day, scale="daily",
                                                                  items={"severity": 2, "sleep": 5}, author=doc),
                                min(runs, len(some))), 50)
            tomorrow = dt.date.today() + dt.timedelta(days=1)
            attention.today = lambda: tomorrow  # the clock moves on: tomorrow's first open
            began = time.perf_counter()
            rolled = attention.roll()
            report(f"tomorrow's daily roll ({rolled} of {n} rows ran out; on a worker)",
                   [(time.perf_counter() - began) * 1000], None)
            attention.today = lambda: dt.date.today()
        if full:
            report("full recomputation (what the table replaces)", _timed(attention.recompute, 1), None)
            print(f"table equals recomputation: {not attention.differences()}")
    finally:
        storage.close_database()
    return ok


def scaling(runs: int, sizes: list[str]) -> bool:
    """The Today view's opening at each size (1k, 10k, 50k patients); nothing is written but the roll."""
    ok = True
    rows = []
    for label, where, patients in SCALING:
        if label not in sizes:
            continue
        path = Path(where)
        if not path.exists() and patients == 1_000:
            import make_clinic

            make_clinic.generate(path, patients, workers=2)
        if not path.exists():
            print(f"{label}: no clinic at {path} (python bench/make_clinic.py --patients {patients} --out {path})")
            continue
        storage.open_database(path, auto_backup=False, quick_check=False)
        try:
            attention.roll()
            opening = _timed(lambda: today_opening(per_group=50), runs)
            view = _view_timing(max(3, runs // 3))
        finally:
            storage.close_database()
        rows.append((label, opening, view))
    print("\nscaling: the Today view's opening (target <= 100 ms at every size)")
    for label, opening, view in rows:
        ok &= report(f"{label}: counts + first pages", opening, 100)
        if view is not None:
            ok &= report(f"{label}: the view filled and laid out", view, 100)
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="bench/out/clinic.sqlite")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--full", action="store_true", help="also time a full recomputation (slow: minutes at 10k)")
    parser.add_argument("--patients", metavar="SIZES", help="the opening at these sizes, e.g. 1k,10k,50k")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    if args.patients:
        sizes = [x.strip() for x in args.patients.split(",")]
        unknown = [x for x in sizes if x not in {label for label, _, _ in SCALING}]
        if unknown:
            print(f"--patients {','.join(unknown)}: choose among 1k, 10k, 50k", file=sys.stderr)
            return 2
        return 0 if scaling(args.runs, sizes) else 1
    if storage.is_server(storage.resolve_db_path(args.db)):  # a clinic server (bench_server.py): used as it is
        return 0 if bench_one(storage.resolve_db_path(args.db), args.runs, args.full) else 1
    path = Path(args.db)
    if not path.exists():
        print(f"no clinic at {path}: run bench/make_clinic.py first", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:  # the writes go to a copy: the bench file stays as built
        copy = Path(folder) / path.name
        shutil.copy(path, copy)
        ok = bench_one(copy, args.runs, args.full)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
