"""Who needs the clinician today, kept current instead of recomputed.

Working out one patient's attention means parsing a plan and reading months of
symptom entries: a few milliseconds, which is 40 s for a 10,000-patient clinic.
So each patient's answer is kept in `patient_attention` (schema 9):

- every write that can change it (a symptom entry, a correction or retraction,
  a plan, a revision, a status change) calls `refresh` for that patient inside
  its own transaction, so the table never lags a write;
- the answer also moves with the calendar (a step change comes within a week,
  a review falls overdue, a flare window closes). Each row says until when it
  holds: `valid_until` is the first day whose answer differs, found by asking
  the core day by day up to HORIZON_DAYS ahead. The daily `roll` recomputes
  only the rows that have run out, a small share of the clinic on any day;
- a change of flare rule or of a scale definition changes everyone's answer:
  `invalidate_all` empties the table in that transaction and the next roll
  refills it.

`recompute` gives the same rows from scratch without the table; `taperdesk
verify` and the tests compare the two. How a row is worked out is
storage/attention_rows.py; what the day list asks of the table is
storage/day_list.py."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable

from taperdesk.storage.attention_rows import (  # noqa: F401 (Attention, FAR, HORIZON_DAYS: this module's words too)
    CHUNK, FAR, FIELDS, HORIZON_DAYS, Attention, compute, from_tuple, texts, to_tuple)
from taperdesk.storage.models import db


def today() -> dt.date:
    """The clinic's today (local date); one place for tests to move the clock."""
    return dt.date.today()


def _connection():
    from taperdesk.storage import connection  # connection imports this module for flush()

    return connection


def _kept_list():
    from taperdesk.storage import day_list_kept  # it reads this module's rows

    return day_list_kept


# -- keeping the table -----------------------------------------------------------------
def store(rows: Iterable[Attention]) -> None:
    marks = ", ".join("?" * len(FIELDS))
    fresh = ", ".join(f"{f} = excluded.{f}" for f in FIELDS if f != "patient_id")
    db.cursor().executemany(  # an upsert both SQLite and PostgreSQL take
        f"INSERT INTO patient_attention ({', '.join(FIELDS)}) VALUES ({marks}) "
        f"ON CONFLICT (patient_id) DO UPDATE SET {fresh}",
        [to_tuple(r) for r in rows])


_local = threading.local()  # each thread's own marked patients: a worker's roll never flushes another's write


def _pending() -> set[int]:
    if not hasattr(_local, "pending"):
        _local.pending = set()
    return _local.pending


def refresh(patient_ids: Iterable[int]) -> None:
    """Mark these patients' rows to be replaced for today. Call inside the write's
    transaction: `writing()` replaces them just before its outermost transaction
    commits (an import or the demo clinic's thousand entries: once per patient)."""
    _pending().update(patient_ids)


def flush() -> None:
    """Replace the marked rows now, in the open transaction (called by `writing()`)."""
    pending = _pending()
    if pending:
        ids = sorted(pending)
        pending.clear()
        marks = ", ".join("?" * len(ids))
        existing = [r[0] for r in db.execute_sql(f"SELECT id FROM patient WHERE id IN ({marks})", ids)]
        store(compute(existing, today()).values())
        _kept_list().replace_patients(existing, today())


def discard_pending() -> None:
    """A write failed and rolled back: nothing to replace."""
    _pending().clear()


def invalidate_all() -> None:
    """Every answer may have changed (flare rule, a scale definition): the next roll recomputes."""
    db.execute_sql("DELETE FROM patient_attention")
    db.execute_sql("DELETE FROM attention_roll")
    _kept_list().forget()


def stale_ids(day: dt.date) -> list[int]:
    """Patients whose row does not hold on `day` (or who have none)."""
    rows = db.execute_sql(
        "SELECT p.id FROM patient p LEFT JOIN patient_attention a ON a.patient_id = p.id "
        "WHERE a.patient_id IS NULL OR a.as_of > ? OR a.valid_until <= ? ORDER BY p.id",
        (day.isoformat(), day.isoformat()))
    return [r[0] for r in rows]


def roll(day: dt.date | None = None) -> int:
    """The daily roll: recompute the rows that have run out for `day` (today by
    default) and store them; return how many. Cheap when nothing ran out."""
    day = day or today()
    done = db.execute_sql("SELECT day FROM attention_roll WHERE id = 1").fetchone()
    if done is not None and done[0] == day.isoformat() and day == today():
        return 0  # rolled today already; every write since kept its own rows for today
    with _connection().writing():
        stale = stale_ids(day)
        if stale:
            store(compute(stale, day).values())
        if day == today():
            db.execute_sql("INSERT INTO attention_roll (id, day) VALUES (1, ?) "
                           "ON CONFLICT (id) DO UPDATE SET day = excluded.day", (day.isoformat(),))
            _kept_list().rebuild_for_roll(day)  # the day list's lines for the new day, in this transaction
    return len(stale)


def rows_for(day: dt.date | None = None) -> dict[int, Attention]:
    """Every patient's row for `day`. For today on a writable file the roll runs
    first and its results are kept; otherwise (another day, a read-only file) the
    stale rows are computed for this answer only and nothing is written."""
    day = day or today()
    if day == today() and not _connection().current().read_only:
        roll(day)
    with _connection().reading():
        rows = db.execute_sql(f"SELECT {', '.join(FIELDS)} FROM patient_attention "
                              "WHERE as_of <= ? AND valid_until > ?", (day.isoformat(), day.isoformat()))
        found = {r[0]: from_tuple(r) for r in rows}
        found.update(compute([pid for pid in stale_ids(day) if pid not in found], day))
    return found


def recompute(day: dt.date | None = None) -> dict[int, Attention]:
    """Every patient's row from scratch, ignoring the table (for verify and tests)."""
    day = day or today()
    with _connection().reading():
        ids = [r[0] for r in db.execute_sql("SELECT id FROM patient ORDER BY id")]
        return compute(ids, day)


def differences(day: dt.date | None = None) -> list[tuple[int, str]]:
    """Where the kept table and a full recomputation disagree on `day`: (patient
    id, what differs). Rows not claimed for `day` are skipped (the roll redoes them)."""
    day = day or today()
    with _connection().reading():
        rows = db.execute_sql(f"SELECT {', '.join(FIELDS)} FROM patient_attention", ()).fetchall()
    kept = {r[0]: from_tuple(r) for r in rows}
    fresh = recompute(day)
    names = ("reasons", "evidence", "plan", "status", "drug", "next change", "last day", "paused since",
             "last review", "plan start")
    out = []
    for pid, row in fresh.items():
        mine = kept.get(pid)
        if mine is None or not mine.as_of <= day < mine.valid_until:
            continue
        for name, a, b in zip(names, mine.content()[1:], row.content()[1:]):
            if a != b:
                out.append((pid, f"{name}: kept {a!r}, recomputed {b!r}"))
    return out


def reasons_for(patient_ids: Iterable[int], day: dt.date | None = None) -> dict[int, tuple[str, ...]]:
    """The kept reasons of these patients on `day` (one query per 500); any row
    not good for `day` is worked out for this answer (the roll, on a worker at
    start-up, keeps it for the next). The patient list's column and its 'needs
    attention' filter read this on every keystroke."""
    day = day or today()
    ids = sorted(set(patient_ids))
    out: dict[int, tuple[str, ...]] = {}
    with _connection().reading():
        for n in range(0, len(ids), CHUNK):
            chunk = ids[n:n + CHUNK]
            marks = ", ".join("?" * len(chunk))
            for pid, text in db.execute_sql(
                    f"SELECT patient_id, reasons FROM patient_attention WHERE patient_id IN ({marks}) "
                    "AND as_of <= ? AND valid_until > ?", (*chunk, day.isoformat(), day.isoformat())):
                out[pid] = texts(text)
        missing = [pid for pid in ids if pid not in out]
        out.update({pid: row.reasons for pid, row in compute(missing, day).items()})
    return out


def pending_roll(day: dt.date | None = None) -> int:
    """How many rows today's roll would redo (0 once it has run today)."""
    day = day or today()
    with _connection().reading():
        done = db.execute_sql("SELECT day FROM attention_roll WHERE id = 1").fetchone()
        if done is not None and done[0] == day.isoformat():
            return 0
        return len(stale_ids(day))


def roll_in_worker() -> int:
    """`roll` from a worker thread, closing that thread's own connection after."""
    try:
        return roll()
    finally:
        db.close()
