"""Time the first open of the day against a normal open, as the app opens:
open the clinic file (ui.refusals.open_clinic), build and show the workspace.
On the first open the daily backup, its check and the record check then run
on a worker (ui.daily_upkeep): --background times them once, apart. Each open
is a fresh process that ends once its window shows; a first open is made one
by removing the file's backups.
Target: the window of a first open shows within 1.2 x a normal open's time
(medians). Prints target, median, max and pass/fail.

    QT_QPA_PLATFORM=offscreen python bench/bench_first_open.py --db bench/out/clinic.sqlite [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

TARGET_RATIO = 1.2

CHILD = """
import sys, time
from pathlib import Path
from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication
from taperdesk import storage
from taperdesk.ui import main as ui_main
from taperdesk.ui.refusals import open_clinic
from taperdesk.ui.workspace import Workspace
app = QApplication([])
began = time.perf_counter()
opened = open_clinic(Path(sys.argv[1]), read_only=False, new=False)
doc = storage.list_clinicians()[0]  # the password check is deliberately slow and timed apart
w = Workspace(clinician=doc)
w.show()
app.processEvents()
print("shown", (time.perf_counter() - began) * 1000, flush=True)
storage.close_database()
"""

TODAYS_BACKUP = """
import sys
from taperdesk import storage
storage.open_database(sys.argv[1])  # as the command line opens: the day's backup made there and then
storage.close_database()
"""

BACKGROUND = """
import sys, time
from taperdesk import storage
from taperdesk.storage.daily import daily_upkeep
from taperdesk.storage.verify import verify_clinic
storage.open_database(sys.argv[1], defer_daily=True)
began = time.perf_counter()
daily_upkeep(check_records=False)
print("backup", (time.perf_counter() - began) * 1000, flush=True)
began = time.perf_counter()
verify_clinic()
print("check", (time.perf_counter() - began) * 1000, flush=True)
storage.close_database()
"""


def _open(db: Path, code: str = CHILD) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-c", code, str(db)], check=True, capture_output=True, text=True)
    return {k: float(v) for k, v in (line.split() for line in done.stdout.splitlines() if line[:1].isalpha())}


def _backups(db: Path) -> list[Path]:
    from taperdesk.storage.backup import list_backups
    from taperdesk.storage.paths import default_backup_dir

    return list_backups(default_backup_dir(db), db_path=db)


def _forget_backups(db: Path) -> None:
    for old in _backups(db):
        old.unlink()


def _first_open(db: Path) -> float:
    """Open as on a new day: today's backups are moved aside for it, and back after."""
    aside = db.with_name(db.name + ".bench-aside")
    aside.mkdir(exist_ok=True)
    moved = [p.rename(aside / p.name) for p in _backups(db)]
    try:
        return _open(db)["shown"]
    finally:
        for p in moved:
            p.rename(db.parent / "backups" / p.name)
        aside.rmdir()


def report(what: str, ms: list[float], target: str = "", ok: bool | None = None) -> None:
    verdict = "" if ok is None else ("pass" if ok else "FAIL")
    print(f"{what:<48} {target:<16} median {statistics.median(ms):8.0f} ms  max {max(ms):8.0f} ms  {verdict}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="bench/out/clinic.sqlite")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--background", action="store_true", help="also time the worker's backup and record check")
    args = parser.parse_args(argv)
    db = Path(args.db)
    if not db.exists():
        print(f"{db} does not exist: run bench/make_clinic.py first", file=sys.stderr)
        return 2
    print(f"file {db}: {db.stat().st_size / 1e6:.0f} MB")
    _forget_backups(db)
    _open(db, TODAYS_BACKUP)  # today's backup (and any migration) out of the way: a normal open follows
    first, normal = [], []
    for _ in range(args.runs):  # interleaved, so a busy moment on the machine hits both kinds
        first.append(_first_open(db))
        normal.append(_open(db)["shown"])
    _forget_backups(db)
    ratio = statistics.median(first) / statistics.median(normal)
    report("normal open, window shown", normal)
    report("first open of the day, window shown", first)
    if args.background:
        got = _open(db, BACKGROUND)
        _forget_backups(db)
        report("  then on the worker: the backup, checked once", [got["backup"]])
        report("  then on the worker: the record check", [got["check"]])
    ok = ratio <= TARGET_RATIO
    print(f"{'first open / normal open (medians)':<48} {'target <= ' + format(TARGET_RATIO, 'g'):<16} "
          f"ratio {ratio:8.2f}{'':21}{'pass' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
