"""Generate a synthetic clinic for the benchmarks: by default 10,000 patients
and 1,000,000 symptom entries (100 per patient, with their audit events), each
patient under care with a plan of 1-3 revisions holding real plan JSON from the
core planner, stored compact as the app stores it.

Realistic on purpose, so the day list has what a clinic's day has and not
10,000 flares:
- plans start on every day of the past 400 days, so cuts fall on
  different days; daily ratings wander a point or so around each patient's own
  level, and only about 3% of patients (FLARING) rate 4-5 points higher after
  their latest cut;
- about 4% of plans are paused (since 3 to 80 days), 2% of patients have no
  plan yet, 1% are archived;
- most had a CIWA-B at a visit within the review interval, about 1 in 20 not
  (review overdue); about 1 in 10 has a next review booked in the app (a few
  of those booked dates already passed);
- about 40% of active plans had a pharmacy order printed (supply periods of 7,
  14 or 28 days, the plan's own or the clinic's 28), so some supplies fall due
  today or tomorrow.

The schema comes from the app's own migrations (open_database); rows are then
written with executemany inside one transaction, hash chains computed as they
stream in, which is what makes a million rows take seconds rather than hours.
After the rows, the first attention roll fills the kept table (its time is
printed; with --workers it is worked out in that many processes).

    python bench/make_clinic.py [--out bench/out/clinic.sqlite] [--patients N] [--entries N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
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
ENTRIES_PER_PATIENT = 100
FLARING = 0.03
PAUSED = 0.04
NO_PLAN = 0.02
ARCHIVED = 0.01
BOOKED = 0.10
PHARMACY = 0.40
CIWA_KEYS = ("irritable", "fatigued", "tense", "concentration", "appetite", "numbness", "heart_racing",
             "head_full", "muscle_aches", "anxious", "upset", "sleep_restful", "weak", "enough_sleep",
             "visual", "fearful", "worrying", "restlessness", "tremor", "sweating")
PDF = b"%PDF-1.4\n% bench pharmacy order\n%%EOF\n"  # the bytes are never read by the day list


def _plan_text(start: dt.date, regimen: int) -> tuple[str, str, str]:
    drug, doses, crossover = REGIMENS[regimen]
    settings = PlanSettings(start=start, crossover=crossover)
    plan = make_plan(Regimen(drug, doses), settings)
    return drug, plan_json_text(plan), json.dumps(settings.to_dict(), sort_keys=True, separators=(",", ":"))


def _local_noon_utc(day: dt.date) -> str:
    return to_utc_text(dt.datetime.combine(day, dt.time(12)).astimezone())


def generate(path: Path, n_patients: int, n_entries: int | None = None, seed: int = 1,
             today: dt.date | None = None, workers: int = 1, plan_every_days: int = 1) -> dict[str, int]:
    """Write the clinic; return how many of each kind of patient it has.
    `plan_every_days`: days between the pool's plan starts (tests use fewer plans)."""
    from taperdesk.core.plan import Plan

    rng = random.Random(seed)
    today = today or dt.date.today()
    n_entries = ENTRIES_PER_PATIENT * n_patients if n_entries is None else n_entries
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    open_database(path, create=True, auto_backup=False)
    add_clinician(name="Bench Clinician", role="clinician", password="bench password")
    close_database()

    # one plan a day over the past 400 days, the regimens in turn (16 ms a plan: a pool, not one per patient),
    # so on any day some patients' doses change today, some tomorrow
    pool = [_plan_text(today - dt.timedelta(days=d), n % len(REGIMENS))
            for n, d in enumerate(range(5, 400, plan_every_days))]
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -200000")
    conn.execute("BEGIN")
    patients, name_words = [], []
    archived = {pid for pid in range(1, n_patients + 1) if rng.random() < ARCHIVED}
    for pid in range(1, n_patients + 1):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        ident = f"P-{pid:06d}"
        born = dt.date(1935, 1, 1) + dt.timedelta(days=rng.randrange(25000))
        phone = f"07{rng.randrange(100, 1000)} {rng.randrange(100000, 1000000)}"
        patients.append((pid, name, fold(name), born.isoformat(), ident, fold(ident), phone,
                         int(pid in archived), STAMP))
        name_words.extend((pid, w) for w in words(name))
    conn.executemany("INSERT INTO patient (id, name, name_key, born, identifier, identifier_key, phone, archived,"
                     " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", patients)
    conn.executemany("INSERT INTO patient_name_word (patient_id, word) VALUES (?, ?)", name_words)

    plan_rows, rev_rows, event_rows = [], [], []
    drugs, plan_of, last_rev = {}, {}, {}
    last_cut: dict[int, dt.date | None] = {}
    cuts_of: dict[str, list[dt.date]] = {}
    paused: set[int] = set()
    for pid in range(1, n_patients + 1):
        if rng.random() < NO_PLAN:
            continue  # a new patient, seen once, no plan yet
        drug, text, settings = pool[rng.randrange(len(pool))]
        if text not in cuts_of:
            cuts_of[text] = Plan.from_json(text).cut_dates()
        past = [c for c in cuts_of[text] if c <= today]
        last_cut[pid] = past[-1] if past else None
        drugs[pid] = drug
        plan_id = len(plan_rows) + 1
        plan_of[pid] = plan_id
        start = dt.date.fromisoformat(json.loads(settings)["start"])
        began = start.isoformat() + "T09:00:00.000000Z"  # the plan saved on its first day
        status = "active"
        event_rows += [(plan_id, "draft", began, 1, "plan created"), (plan_id, "active", began, 1, "start")]
        if rng.random() < PAUSED:
            status = "paused"
            paused.add(pid)
            on = max(start + dt.timedelta(days=1), today - dt.timedelta(days=rng.randrange(3, 80)))
            event_rows.append((plan_id, "paused", _local_noon_utc(on), 1, "withdrawal symptoms: pause"))
        plan_rows.append((plan_id, pid, drug, status, began, 1))
        for number in range(1, rng.randint(1, 3) + 1):
            rev_rows.append((plan_id, number, text, settings, 1, began, "first plan" if number == 1 else "hold"))
            last_rev[pid] = len(rev_rows)
    conn.executemany("INSERT INTO plan (id, patient_id, drug, status, created_at, created_by_id)"
                     " VALUES (?, ?, ?, ?, ?, ?)", plan_rows)
    patient_of_plan = {plan_id: pid for pid, plan_id in plan_of.items()}
    context = lambda row: (patient_of_plan[row[1]], drugs[patient_of_plan[row[1]]])  # noqa: E731
    _insert_chained(conn, "plan_status_event", event_rows, context)
    _insert_chained(conn, "plan_revision", rev_rows, context)

    # next reviews booked in the app, and printed pharmacy orders with each plan's supply period
    booked = [(pid, (today + dt.timedelta(days=rng.randrange(-7, 60))).isoformat(), 1, STAMP)
              for pid in plan_of if rng.random() < BOOKED]
    conn.executemany("INSERT INTO patient_review (patient_id, review_on, author_id, created_at) VALUES (?, ?, ?, ?)",
                     booked)
    active = [pid for pid in plan_of if pid not in paused]
    ordered = [pid for pid in active if rng.random() < PHARMACY]
    conn.executemany("INSERT INTO plan_paper (plan_id, prescriber, supply_days, author_id, created_at)"
                     " VALUES (?, ?, ?, ?, ?)",
                     [(plan_of[pid], "Dr Bench", rng.choice((7, 14, 28)), 1, STAMP)
                      for pid in ordered if rng.random() < 0.5])
    digest = hashlib.sha256(PDF).hexdigest()
    _insert_chained(conn, "handout", [(last_rev[pid], "pharmacy", _local_noon_utc(today - dt.timedelta(
        days=rng.randrange(1, 90))), 1, digest, PDF) for pid in ordered], extra=("pdf",))

    # entries: spread unevenly (some patients have many, some few), one a day up to yesterday
    weights = [rng.random() ** 2 for _ in range(n_patients)]
    scale = n_entries / sum(weights)
    counts = [int(w * scale) for w in weights]
    for i in range(n_entries - sum(counts)):  # hand out the rounding remainder one by one
        counts[i % n_patients] += 1
    flaring = {pid for pid in active if rng.random() < FLARING}
    # a CIWA-B at the last visit: within the review interval for most, overdue for about 1 in 20
    visits = {pid: today - dt.timedelta(days=rng.randrange(1, 85) if rng.random() < 0.95 else rng.randrange(95, 200))
              for pid in range(1, n_patients + 1)}
    days = [(today - dt.timedelta(days=back)).isoformat() for back in range(max(counts) + 1)]
    wobble = (-1, 0, 0, 0, 1)
    audit = []

    def entries():
        entry_id = 0
        for pid, count in enumerate(counts, 1):
            base = rng.randint(1, 4)
            cut = last_cut.get(pid)
            flare_from = cut.isoformat() if pid in flaring and cut is not None else "9999"
            for back in range(count, 0, -1):
                day = days[back]
                entry_id += 1
                severity = base + wobble[rng.randrange(5)]
                if day >= flare_from:
                    severity += rng.choice((4, 5))
                severity = max(0, min(10, severity))
                sleep = rng.randrange(3, 8)
                total = severity + sleep
                audit.append((STAMP, 1, "create", "symptom_entry", entry_id, f"daily {day} total {total}"))
                # (patient, date, scale, items, total, by, at, note, supersedes, retracted, reason, version)
                # then the stored score (not hashed): the daily rating's severity
                yield (pid, day, "daily", f'{{"severity":{severity},"sleep":{sleep}}}', total, 1, STAMP, "",
                       None, 0, "", 1, severity)
            entry_id += 1
            ciwa = {k: rng.choice((0, 0, 1)) for k in CIWA_KEYS}
            total = sum(ciwa.values())
            audit.append((STAMP, 1, "create", "symptom_entry", entry_id, f"ciwa-b {visits[pid]} total {total}"))
            yield (pid, visits[pid].isoformat(), "ciwa-b", json.dumps(ciwa, separators=(",", ":"), sort_keys=True),
                   total, 1, STAMP, "clinic visit", None, 0, "", 1, total)  # the CIWA-B's score: its total

    _insert_chained(conn, "symptom_entry", entries(), extra=("series_value",))
    _insert_chained(conn, "audit_event", audit)
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()

    began = time.perf_counter()
    filled = first_roll(path, today, workers)
    print(f"first attention roll ({filled} patients): {time.perf_counter() - began:.1f} s")
    return {"patients": n_patients, "with a plan": len(plan_of), "paused": len(paused), "flaring": len(flaring),
            "archived": len(archived), "booked reviews": len(booked), "pharmacy orders": len(ordered),
            "entries": sum(counts) + n_patients}


def _rows_for(args):
    """A worker's share of the first roll: the rows, worked out read-only."""
    path, ids, today = args
    from taperdesk.storage import attention, connection

    open_database(path, auto_backup=False, read_only=True)
    try:
        with connection.reading():
            return list(attention.compute(ids, today).values())
    finally:
        close_database()


def first_roll(path: Path, today: dt.date, workers: int = 1) -> int:
    """Rows written by hand have no attention rows yet: the first roll's work,
    shared out over `workers` processes (each reads; this one writes)."""
    from taperdesk.storage import attention, connection

    if workers <= 1:
        open_database(path, auto_backup=False)
        try:
            return attention.roll(today)
        finally:
            close_database()
    import concurrent.futures
    import multiprocessing

    conn = sqlite3.connect(path)
    ids = [r[0] for r in conn.execute("SELECT id FROM patient ORDER BY id")]
    conn.close()
    shares = [(path, ids[n::workers], today) for n in range(workers)]
    with concurrent.futures.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        rows = [row for share in pool.map(_rows_for, shares) for row in share]
    open_database(path, auto_backup=False)
    try:
        with connection.writing():
            attention.store(rows)
            if today == attention.today():
                attention.db.execute_sql("INSERT OR REPLACE INTO attention_roll (id, day) VALUES (1, ?)",
                                         (today.isoformat(),))
    finally:
        close_database()
    return len(rows)


def _insert_chained(conn: sqlite3.Connection, table: str, rows, context=None, extra: tuple[str, ...] = ()) -> None:
    """Insert rows (every hashed field but the id, in storage.chain.FIELDS order,
    then the `extra` columns, which are not hashed) with their ids and chain
    hashes, linking on to the rows already there, as the app would have
    written them one by one."""
    fields = chain.FIELDS[table]
    last_id, previous = conn.execute(f"SELECT coalesce(max(id), 0), (SELECT chain_hash FROM {table} ORDER BY id "
                                     f"DESC LIMIT 1) FROM {table}").fetchone()
    previous = previous or chain.GENESIS
    dumps, sha = json.JSONEncoder(ensure_ascii=True, separators=(",", ":")).encode, hashlib.sha256
    # a million entries: chain.digest without its per-value conversion (these values are already as
    # stored, and the table has no JSON field hashed in canonical form), checked equal on a sample
    fast = table not in getattr(chain, "JSON_FIELDS", {})
    assert chain.digest(table, (1, "x"), "p", ("c",)) == sha(dumps([table, [1, "x"], ["c"], "p"]).encode()).hexdigest()
    cut = len(fields) - 1  # the hashed values after the id

    def linked():
        nonlocal last_id, previous
        for row in rows:
            last_id += 1
            hashed, more = (last_id, *row[:cut]), row[cut:]
            ctx = context(hashed) if context else ()
            previous = (sha(dumps([table, hashed, ctx, previous]).encode()).hexdigest() if fast
                        else chain.digest(table, hashed, previous, ctx))
            yield (*hashed, previous, *more)

    marks = ", ".join("?" * (len(fields) + 1 + len(extra)))
    conn.executemany(f"INSERT INTO {table} ({', '.join((*fields, 'chain_hash', *extra))}) VALUES ({marks})",
                     linked())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="bench/out/clinic.sqlite")
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--entries", type=int, default=None,
                        help=f"symptom entries in all (default {ENTRIES_PER_PATIENT} per patient)")
    parser.add_argument("--workers", type=int, default=1, help="processes for the first attention roll")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    made = generate(Path(args.out), args.patients, args.entries, workers=args.workers)
    size = Path(args.out).stat().st_size / 1e6
    used = os.times()  # CPU of this process and its roll workers: the wall time on a shared machine is mostly waiting
    print(f"wrote {args.out}: " + ", ".join(f"{k} {v}" for k, v in made.items()) +
          f"; {size:.0f} MB in {time.perf_counter() - began:.1f} s "
          f"(CPU {used.user + used.system + used.children_user + used.children_system:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
