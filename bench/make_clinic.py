"""Generate a synthetic clinic for the benchmarks: 10,000 patients and
1,000,000 symptom entries (with their audit events), each patient with a plan of
1-3 revisions holding real plan JSON from the core planner.

Realistic on purpose: plans start on different days over the past 400 days, so
cuts fall on different days; daily ratings wander a point or so around each
patient's own level, and only about 3% of patients (FLARING) rate 4-5 points
higher after their latest cut; most had a CIWA-B at a visit within the review
interval. The day list then has a few flares, not 10,000. After the rows, the
first attention roll fills the kept table (its time is printed).

The schema comes from the app's own migrations (open_database); rows are then
written with executemany inside one transaction, which is what makes a million
rows take seconds rather than hours.

    python bench/make_clinic.py [--out bench/out/clinic.sqlite] [--patients N] [--entries N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sqlite3
import sys
import time
from pathlib import Path

from taperdesk.core.planner import make_plan
from taperdesk.core.regimen import Regimen
from taperdesk.core.settings import PlanSettings
from taperdesk.storage import add_clinician, chain, close_database, open_database
from taperdesk.storage.plans import plan_json_text
from taperdesk.storage.text import fold, to_utc_text, words

FIRST = ("Ana Ben Carla Dev Ella Farid Grace Hugo Ines Jonas Kofi Lena Marta Nils Olga Pavel Quinn Rosa "
         "Sami Tara Uma Victor Wen Xavier Yara Zoltan Amir Beatriz Chen Dorota Emeka Fatima Goran Hana "
         "Ivan Julia Kenji Leila Mateo Noor").split()
LAST = ("Smith García Müller Nowak Rossi Kowalski Okafor Chen Nguyen Silva Johansson Papadopoulos Dubois "
        "Ivanova Haddad Kim Tanaka Fernández López O'Brien Murphy Schmidt Novak Horvat Jensen Larsen Costa "
        "Pereira Yilmaz Kaya Ahmed Khan Singh Patel Das Mensah Otieno Banda Moyo Walker").split()
REGIMENS = (
    ("lorazepam", (("morning", 1.0), ("night", 1.0)), True),
    ("diazepam", (("night", 10.0),), False),
    ("alprazolam", (("morning", 0.5), ("evening", 0.5)), True),
    ("clonazepam", (("morning", 0.5), ("night", 0.5)), False),
    ("diazepam", (("morning", 5.0), ("night", 10.0)), False),
    ("temazepam", (("night", 20.0),), False),
    ("zopiclone", (("night", 7.5),), False),
    ("oxazepam", (("morning", 15.0), ("night", 15.0)), False),
)
STAMP = "2026-01-01T09:00:00.000000Z"
FLARING = 0.03
CIWA_KEYS = ("irritable", "fatigued", "tense", "concentration", "appetite", "numbness", "heart_racing",
             "head_full", "muscle_aches", "anxious", "upset", "sleep_restful", "weak", "enough_sleep",
             "visual", "fearful", "worrying", "restlessness", "tremor", "sweating")


def _plan_texts(start: dt.date) -> list[tuple[str, str, str]]:
    out = []
    for drug, doses, crossover in REGIMENS:
        settings = PlanSettings(start=start, crossover=crossover)
        plan = make_plan(Regimen(drug, doses), settings)
        out.append((drug, plan_json_text(plan), json.dumps(settings.to_dict(), sort_keys=True, separators=(",", ":"))))
    return out


def generate(path: Path, n_patients: int, n_entries: int, seed: int = 1, today: dt.date | None = None) -> None:
    from taperdesk.core.plan import Plan

    rng = random.Random(seed)
    today = today or dt.date.today()
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    open_database(path, create=True, auto_backup=False)
    add_clinician(name="Bench Clinician", role="clinician", password="bench password")
    close_database()

    starts = [today - dt.timedelta(days=d) for d in range(5, 400, 7)]
    plans_by_start = {start: _plan_texts(start) for start in starts}
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    patients, name_words = [], []
    for pid in range(1, n_patients + 1):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        ident = f"P-{pid:06d}"
        born = dt.date(1935, 1, 1) + dt.timedelta(days=rng.randrange(25000))
        patients.append((pid, name, fold(name), born.isoformat(), ident, fold(ident), STAMP))
        name_words.extend((pid, w) for w in words(name))
    conn.executemany("INSERT INTO patient (id, name, name_key, born, identifier, identifier_key, created_at)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?)", patients)
    conn.executemany("INSERT INTO patient_name_word (patient_id, word) VALUES (?, ?)", name_words)

    plan_rows, rev_rows, event_rows = [], [], []
    drugs = {}
    last_cut: dict[int, dt.date | None] = {}
    cuts_of: dict[str, list[dt.date]] = {}
    for pid in range(1, n_patients + 1):
        plans = plans_by_start[starts[rng.randrange(len(starts))]]
        drug, text, settings = plans[rng.randrange(len(plans))]
        if text not in cuts_of:
            cuts_of[text] = Plan.from_json(text).cut_dates()
        past = [c for c in cuts_of[text] if c <= today]
        last_cut[pid] = past[-1] if past else None
        drugs[pid] = drug
        began = json.loads(settings)["start"] + "T09:00:00.000000Z"  # the plan saved on its first day
        plan_rows.append((pid, pid, drug, "active", began, 1))
        event_rows += [(pid, "draft", began, 1, "plan created"), (pid, "active", began, 1, "start")]
        for number in range(1, rng.randint(1, 3) + 1):
            rev_rows.append((pid, number, text, settings, 1, began, "first plan" if number == 1 else "hold"))
    conn.executemany("INSERT INTO plan (id, patient_id, drug, status, created_at, created_by_id)"
                     " VALUES (?, ?, ?, ?, ?, ?)", plan_rows)
    context = lambda row: (row[1], drugs[row[1]])  # noqa: E731 (plan id = patient id here)
    _insert_chained(conn, "plan_status_event", event_rows, context)
    _insert_chained(conn, "plan_revision", rev_rows, context)

    # entries: spread unevenly (some patients have many, some few), one a day from the start
    weights = [rng.random() ** 2 for _ in range(n_patients)]
    scale = n_entries / sum(weights)
    counts = [int(w * scale) for w in weights]
    for i in range(n_entries - sum(counts)):  # hand out the rounding remainder one by one
        counts[i % n_patients] += 1
    entry_id = 0

    flaring = {pid for pid in range(1, n_patients + 1) if rng.random() < FLARING}
    # a CIWA-B at the last visit: within the review interval for most, overdue for about 1 in 20
    visits = {pid: today - dt.timedelta(days=rng.randrange(1, 85) if rng.random() < 0.95 else rng.randrange(95, 200))
              for pid in range(1, n_patients + 1)}

    def entries():
        nonlocal entry_id
        for pid, count in enumerate(counts, 1):
            base = rng.randint(1, 4)
            for back in range(count, 0, -1):  # one a day, up to yesterday
                day = today - dt.timedelta(days=back)
                entry_id += 1
                severity = base + rng.choice((-1, 0, 0, 0, 1))
                if pid in flaring and last_cut[pid] is not None and day >= last_cut[pid]:
                    severity += rng.choice((4, 5))
                severity = max(0, min(10, severity))
                items = {"severity": severity, "sleep": rng.randrange(3, 8)}
                yield (entry_id, pid, day.isoformat(), "daily",
                       json.dumps(items, separators=(",", ":"), sort_keys=True), sum(items.values()), 1,
                       STAMP, "")
            entry_id += 1
            ciwa = {k: rng.choice((0, 0, 1)) for k in CIWA_KEYS}
            yield (entry_id, pid, visits[pid].isoformat(), "ciwa-b",
                   json.dumps(ciwa, separators=(",", ":"), sort_keys=True), sum(ciwa.values()), 1, STAMP,
                   "clinic visit")

    audit = []

    def entries_and_audit():
        for e in entries():
            audit.append((STAMP, 1, "create", "symptom_entry", e[0], f"{e[3]} {e[2]} total {e[5]}"))
            # (patient, date, scale, items, total, by, at, note, supersedes, retracted, reason, scale version),
            # then the stored score, not hashed: the daily rating's severity, the CIWA-B's total
            value = json.loads(e[4])["severity"] if e[3] == "daily" else e[5]
            yield (*e[1:], None, 0, "", 1, value)

    _insert_chained(conn, "symptom_entry", entries_and_audit(), extra=("series_value",))
    _insert_chained(conn, "audit_event", audit)
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()

    from taperdesk.storage import attention

    open_database(path, auto_backup=False)
    began = time.perf_counter()
    filled = attention.roll(today)  # rows written by hand have no attention rows yet: the first roll's work
    close_database()
    print(f"first attention roll ({filled} patients): {time.perf_counter() - began:.1f} s")


def _insert_chained(conn: sqlite3.Connection, table: str, rows, context=None, extra: tuple[str, ...] = ()) -> None:
    """Insert rows (every hashed field but the id, in storage.chain.FIELDS order,
    then the `extra` columns, which are not hashed) with their ids and chain
    hashes, linking on to the rows already there, as the app would have
    written them one by one."""
    fields = chain.FIELDS[table]
    last_id, previous = conn.execute(f"SELECT coalesce(max(id), 0), (SELECT chain_hash FROM {table} ORDER BY id "
                                     f"DESC LIMIT 1) FROM {table}").fetchone()
    previous = previous or chain.GENESIS

    def linked():
        nonlocal last_id, previous
        for row in rows:
            last_id += 1
            hashed, more = (last_id, *row[:len(row) - len(extra)]), row[len(row) - len(extra):]
            previous = chain.digest(table, hashed, previous, context(hashed) if context else ())
            yield (*hashed, previous, *more)

    marks = ", ".join("?" * (len(fields) + 1 + len(extra)))
    conn.executemany(f"INSERT INTO {table} ({', '.join((*fields, 'chain_hash', *extra))}) VALUES ({marks})",
                     linked())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="bench/out/clinic.sqlite")
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--entries", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    began = time.perf_counter()
    generate(Path(args.out), args.patients, args.entries)
    size = Path(args.out).stat().st_size / 1e6
    print(f"wrote {args.out}: {args.patients} patients, {args.entries} symptom entries, "
          f"{size:.0f} MB in {time.perf_counter() - began:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
