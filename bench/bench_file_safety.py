"""Issue 12's figures around the clinic file, measured the way the issue measured
them (run: .venv/bin/python bench/bench_file_safety.py [--kills 60]):

- acknowledged writes lost after the file is deleted while open (40 writes, the
  file deleted after the 10th; before: 30 of 30 acknowledged and lost);
- files world- or group-readable after a clinic's usual work (open, daily and
  manual backups, exports, a handout, restore);
- SIGKILL trials: a child writes symptom entries and prints each id once
  committed; it is killed at a random moment; every printed id must be in the
  file afterwards (before: 0 of 7,768 lost over 60 trials)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import signal
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

from taperdesk import storage
from taperdesk.app import main
from taperdesk.storage import clinicians, errors

WRITER = """
import datetime as dt, sys
from taperdesk import storage
storage.open_database(sys.argv[1], auto_backup=False, quick_check=False)
for i in range(100000):
    entry = storage.add_symptom_entry(patient_id=1, date=dt.date(2026, 1, 1), scale="daily",
                                      items={"severity": i % 11, "sleep": 5}, author=1)
    print(entry.id, flush=True)
"""


def deletion(root: Path) -> tuple[int, int]:
    path = root / "deleted.sqlite"
    storage.open_database(path, create=True)
    doctor = storage.add_clinician(name="Dr A", role="clinician", password="long enough")
    patient = storage.add_patient(name="P One", born=dt.date(1970, 1, 1), identifier="P1", author=doctor)
    acknowledged_after = attempted_after = 0
    for i in range(40):
        if i == 10:
            path.unlink()
        try:
            storage.add_symptom_entry(patient_id=patient.id, date=dt.date(2026, 1, 1) + dt.timedelta(days=i),
                                      scale="daily", items={"severity": 3, "sleep": 5}, author=doctor)
            if i >= 10:
                acknowledged_after += 1
        except errors.ClinicFileChangedError:
            pass
        attempted_after += i >= 10
    storage.close_database()
    return acknowledged_after, attempted_after


def readable_files(root: Path) -> tuple[int, int, list[str]]:
    demo = storage.make_demo(root / "clinic" / "clinic.sqlite")
    storage.close_database()
    os.environ["TAPERDESK_PASSWORD"] = demo.password
    db = ["--db", str(demo.path)]
    out = root / "exports"
    out.mkdir()
    for argv in (["backup", *db], ["backup", *db, "--to", str(root / "usb" / "backups")],
                 ["export-patient", *db, "--id", "DEMO-003", "--clinician", "demo", "--out", str(out / "p.json")],
                 ["export-csv", *db, "--patient", "DEMO-003", "--clinician", "demo", "--out", str(out / "p.csv")],
                 ["export-ics", *db, "--patient", "DEMO-003", "--clinician", "demo", "--out", str(out / "p.ics")],
                 ["handout", *db, "--patient", "DEMO-003", "--clinician", "demo", "--out", str(out / "p.pdf")]):
        assert main(argv) == 0, argv
    storage.open_database(demo.path, today=dt.date.today() + dt.timedelta(days=1))  # a daily backup
    storage.close_database()
    backup = sorted((demo.path.parent / "backups").iterdir())[0]
    assert main(["restore", str(backup), *db]) == 0
    made = [p for p in root.rglob("*") if p.is_file()]
    loose = [str(p.relative_to(root)) for p in made if stat.S_IMODE(p.stat().st_mode) & 0o077]
    folders = [p for p in root.rglob("*") if p.is_dir() and p != out]  # `exports` was made by the user
    loose += [str(p.relative_to(root)) + "/" for p in folders if stat.S_IMODE(p.stat().st_mode) & 0o077]
    return len(made), len(loose), loose


def kills(root: Path, trials: int) -> tuple[int, int]:
    path = root / "killed.sqlite"
    storage.open_database(path, create=True)
    doctor = storage.add_clinician(name="Dr A", role="clinician", password="long enough")
    storage.add_patient(name="P One", born=dt.date(1970, 1, 1), identifier="P1", author=doctor)
    storage.close_database()
    rng = random.Random(12)
    acknowledged, lost = 0, 0
    for _ in range(trials):
        child = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True)
        reported = [int(child.stdout.readline()) for _ in range(rng.randint(20, 200))]
        child.send_signal(signal.SIGKILL)
        reported += [int(line) for line in child.stdout.read().split()]
        child.wait()
        child.stdout.close()
        storage.open_database(path, auto_backup=False)
        stored = {e.id for e in storage.symptom_entries(patient_id=1)}
        storage.close_database()
        acknowledged += len(reported)
        lost += len(set(reported) - stored)
    return acknowledged, lost


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--kills", type=int, default=60)
    args = parser.parse_args()
    clinicians.ARGON2 = clinicians.CHEAP_ARGON2  # the password hash is not what is measured
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        acked, attempted = deletion(root)
        print(f"deleted while open: {acked} of {attempted} writes after the deletion acknowledged (lost)")
        made, loose, which = readable_files(root / "files")
        print(f"files and folders readable by others: {loose} of {made} files made {which or ''}")
        acknowledged, lost = kills(root, args.kills)
        print(f"SIGKILL: {lost} of {acknowledged} acknowledged writes lost over {args.kills} trials")
