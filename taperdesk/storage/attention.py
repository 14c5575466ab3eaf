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
verify` and the tests compare the two. The reasons are exactly the core's
`attention(...)` for the patient's current plan (what the patient list shows)."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

from taperdesk.storage.models import db

HORIZON_DAYS = 35  # how far ahead a row's validity is worked out; a calm row rolls at least this often
FAR = dt.date(9999, 12, 31)  # "until something is written": a patient with no plan in progress
_CHUNK = 500
_CURRENT = ("retracted = 0 AND NOT EXISTS (SELECT 1 FROM symptom_entry n "
            "WHERE n.supersedes_id = symptom_entry.id)")
_FIELDS = ("patient_id", "as_of", "valid_until", "reasons", "evidence", "plan_id", "status", "drug",
           "next_change", "change_words", "change_dose", "last_day", "paused_since", "last_review", "plan_start")


def today() -> dt.date:
    """The clinic's today (local date); one place for tests to move the clock."""
    return dt.date.today()


@dataclass(frozen=True)
class Attention:
    """One patient's row: why they need the clinician, and the dates the day list uses."""

    patient_id: int
    as_of: dt.date
    valid_until: dt.date
    reasons: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    plan_id: int | None = None
    status: str | None = None
    drug: str | None = None
    next_change: dt.date | None = None  # the first day on or after as_of whose doses change
    change_words: tuple[str, ...] = ()  # what to tell the patient about it (core.in_force's words)
    change_dose: str = ""               # the daily dose from that day ('diazepam 4.5 mg')
    last_day: dt.date | None = None     # the last day of a plan that ends (None: a dose continues)
    paused_since: dt.date | None = None
    last_review: dt.date | None = None
    plan_start: dt.date | None = None

    def content(self) -> tuple:
        """Everything but the validity window: what a recomputation must agree on."""
        return (self.patient_id, self.reasons, self.evidence, self.plan_id, self.status, self.drug,
                self.next_change, self.change_words, self.change_dose, self.last_day, self.paused_since,
                self.last_review, self.plan_start)


def _connection():
    from taperdesk.storage import connection  # connection imports this module for flush()

    return connection


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _texts(text: str) -> tuple[str, ...]:
    return () if text == "[]" else tuple(json.loads(text))  # most rows have none: no parse


def _from_tuple(t: tuple) -> Attention:
    return Attention(t[0], _day(t[1]), _day(t[2]), _texts(t[3]), _texts(t[4]), t[5], t[6],
                     t[7], _day(t[8]), _texts(t[9]), t[10], _day(t[11]), _day(t[12]), _day(t[13]),
                     _day(t[14]))


def _to_tuple(a: Attention) -> tuple:
    return (a.patient_id, a.as_of.isoformat(), a.valid_until.isoformat(),
            json.dumps(list(a.reasons), ensure_ascii=False), json.dumps(list(a.evidence), ensure_ascii=False),
            a.plan_id, a.status, a.drug, _iso(a.next_change), json.dumps(list(a.change_words), ensure_ascii=False),
            a.change_dose, _iso(a.last_day), _iso(a.paused_since), _iso(a.last_review), _iso(a.plan_start))


# -- computing rows ------------------------------------------------------------------
# (revision id, its text) -> parsed Plan: revisions never change, and the text in
# the key keeps two clinic files (same ids, other plans) apart
_PLANS: OrderedDict[tuple[int, str], object] = OrderedDict()
_PLANS_MAX = 2048


def _plan(revision_id: int, text: str):
    from taperdesk.core.plan import Plan

    key = (revision_id, text)
    found = _PLANS.get(key)
    if found is None:
        found = Plan.from_json(text)
        _PLANS[key] = found
        if len(_PLANS) > _PLANS_MAX:
            _PLANS.popitem(last=False)
    else:
        _PLANS.move_to_end(key)
    return found


def _observations(patient_ids: list[int], since: dict[int, dt.date]) -> dict[int, list]:
    """Current entries from each patient's own look-back day, as the core's
    Observations: the stored series value (scored the old way only for entries
    written before schema 9), the band by the scale's current definition."""
    from taperdesk.core.scales import ScaleError
    from taperdesk.core.supervision import Observation
    from taperdesk.storage import scales as scale_store

    out: dict[int, list] = {pid: [] for pid in patient_ids}
    if not patient_ids:
        return out
    versions = scale_store.all_versions()
    currents: dict[str, object] = {}
    for (key, version), definition in versions.items():
        if key not in currents or version > currents[key].version:
            currents[key] = definition
    first = min(since[pid] for pid in patient_ids)
    marks = ", ".join("?" * len(patient_ids))
    rows = db.execute_sql(
        f"SELECT patient_id, date, scale, series_value, items, total, scale_version FROM symptom_entry "
        f"WHERE patient_id IN ({marks}) AND date >= ? AND {_CURRENT} ORDER BY patient_id, date, id",
        (*patient_ids, first.isoformat()))
    for pid, day_text, scale, value, items_text, total, version in rows:
        day = dt.date.fromisoformat(day_text)
        if day < since[pid]:
            continue
        if value is None:
            definition = versions.get((scale, version))
            value = total
            if definition is not None:
                try:
                    value = definition.score(json.loads(items_text))
                except ScaleError:
                    value = total
        band_by = currents.get(scale)
        out[pid].append(Observation(day, scale, value, band_by.band_index(value) if band_by else None))
    return out


def _snapshot(plan, status: str, course, observations: list, review: dt.date | None, rule, day: dt.date) -> tuple:
    """What the day list needs of this patient on `day` (the part that moves with the calendar)."""
    from taperdesk.core.supervision import attention, find_flare, lookback

    start = lookback(plan, rule, day)
    seen = [o for o in observations if o.day >= start]
    reasons = tuple(attention(plan, status, seen, review, rule, day))
    evidence: tuple[str, ...] = ()
    if status == "active" and any(r.startswith("Flare") for r in reasons):
        flare = find_flare(plan, seen, rule, day)
        evidence = (flare.text,) if flare is not None else ()
    change = None
    if status == "active":
        found = course.next_change(day - dt.timedelta(days=1))
        if found is not None:
            change = (found.day, tuple(found.change_words), found.summary())
    return reasons, evidence, change


def _turning_days(plan, statuses, observations, review, rule, day: dt.date, until: dt.date) -> list[dt.date]:
    """The days after `day` (before `until`) on which this patient's answer can
    change with no write: between two of them `_snapshot` is constant. Each term
    is a date the core's `attention` compares today with: a step starting within
    `step_change_soon_days` (and the day after, for 'no symptoms since the cut'
    and the next change), a flare window closing, a review falling due, a
    dated entry coming into view, a status day, and 300 days after any date a
    sentence prints (format_day adds the year from then). The random-writes
    test checks the table against a recomputation on later days."""
    one = dt.timedelta(days=1)
    soon = dt.timedelta(days=rule.step_change_soon_days - 1)
    year = dt.timedelta(days=300)
    out: set[dt.date] = set()
    for step in plan.steps:
        out.update((step.start - soon, step.start, step.start + one))
    out.update((plan.end + one, plan.end + 2 * one))
    window = dt.timedelta(days=rule.window_days)
    for cut in plan.cut_dates():
        out.update((cut + window - one, cut + window, cut + window + one, cut + year))
    due_from = review or plan.start
    every = dt.timedelta(days=rule.review_every_days)
    out.update((due_from + every, due_from + every + one, due_from + year))
    for o in observations:
        out.update((o.day, o.day + one, o.day + year))
    for s in statuses:
        out.update((s.on, s.on + one))
    return sorted(d for d in out if day < d < until)


def compute(patient_ids: Iterable[int], day: dt.date) -> dict[int, Attention]:
    """Fresh rows for these patients on `day`, from the clinical tables (inside a transaction)."""
    from taperdesk.core.in_force import InForce, StatusChange
    from taperdesk.core.supervision import lookback
    from taperdesk.storage.clinic import flare_rule
    from taperdesk.storage.plans import current_plans, status_events
    from taperdesk.storage.symptoms import last_reviews

    ids = sorted(set(patient_ids))
    out: dict[int, Attention] = {}
    if not ids:
        return out
    rule = flare_rule()
    for n in range(0, len(ids), _CHUNK):
        chunk = ids[n:n + _CHUNK]
        plans = current_plans(patient_ids=chunk)
        events = status_events(plan_ids=[rec.id for rec, _rev in plans.values()])
        reviews = last_reviews(patient_ids=list(plans))
        parsed, since = {}, {}
        for pid, (rec, rev) in plans.items():
            try:
                parsed[pid] = _plan(rev.id, rev.plan_json)
            except (ValueError, KeyError, TypeError):  # a plan the core cannot read: shown as such, never hidden
                parsed[pid] = None
                continue
            if rec.status in ("active", "paused"):
                since[pid] = lookback(parsed[pid], rule, day)
        observations = _observations(list(since), since)
        for pid in chunk:
            if pid not in plans:
                out[pid] = Attention(pid, day, FAR)
                continue
            rec, rev = plans[pid]
            plan = parsed[pid]
            statuses = tuple(StatusChange.at(e.status, e.at, e.reason) for e in events[rec.id])
            if plan is None:
                out[pid] = Attention(pid, day, FAR, ("The stored plan could not be read: check its history",),
                                     (), rec.id, rec.status, rec.drug)
                continue
            course = InForce(plan, statuses)
            paused = statuses[-1].on if statuses and rec.status == "paused" else None
            fixed = dict(plan_id=rec.id, status=rec.status, drug=rec.drug, last_day=course.last_day(),
                         paused_since=paused, last_review=reviews.get(pid), plan_start=plan.start)
            if rec.status not in ("active", "paused"):
                out[pid] = Attention(pid, day, FAR, **fixed)
                continue
            obs = observations.get(pid, [])
            first = _snapshot(plan, rec.status, course, obs, reviews.get(pid), rule, day)
            until = day + dt.timedelta(days=HORIZON_DAYS + 1)
            for probe in _turning_days(plan, statuses, obs, reviews.get(pid), rule, day, until):
                if _snapshot(plan, rec.status, course, obs, reviews.get(pid), rule, probe) != first:
                    until = probe
                    break
            reasons, evidence, change = first
            when, words, dose = change or (None, (), "")
            out[pid] = Attention(pid, day, until, reasons, evidence, next_change=when, change_words=words,
                                 change_dose=dose, **fixed)
    return out


# -- keeping the table -----------------------------------------------------------------
def _store(rows: Iterable[Attention]) -> None:
    marks = ", ".join("?" * len(_FIELDS))
    db.cursor().executemany(
        f"INSERT OR REPLACE INTO patient_attention ({', '.join(_FIELDS)}) VALUES ({marks})",
        [_to_tuple(r) for r in rows])


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
        _store(compute(existing, today()).values())


def discard_pending() -> None:
    """A write failed and rolled back: nothing to replace."""
    _pending().clear()


def invalidate_all() -> None:
    """Every answer may have changed (flare rule, a scale definition): the next roll recomputes."""
    db.execute_sql("DELETE FROM patient_attention")
    db.execute_sql("DELETE FROM attention_roll")


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
            _store(compute(stale, day).values())
        if day == today():
            db.execute_sql("INSERT OR REPLACE INTO attention_roll (id, day) VALUES (1, ?)", (day.isoformat(),))
    return len(stale)


def rows_for(day: dt.date | None = None) -> dict[int, Attention]:
    """Every patient's row for `day`. For today on a writable file the roll runs
    first and its results are kept; otherwise (another day, a read-only file) the
    stale rows are computed for this answer only and nothing is written."""
    day = day or today()
    if day == today() and not _connection().current().read_only:
        roll(day)
    with _connection().reading():
        rows = db.execute_sql(f"SELECT {', '.join(_FIELDS)} FROM patient_attention "
                              "WHERE as_of <= ? AND valid_until > ?", (day.isoformat(), day.isoformat()))
        found = {r[0]: _from_tuple(r) for r in rows}
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
        rows = db.execute_sql(f"SELECT {', '.join(_FIELDS)} FROM patient_attention", ()).fetchall()
    kept = {r[0]: _from_tuple(r) for r in rows}
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


@dataclass(frozen=True)
class DayListRow:
    """A patient who may be on the day list, with what the list shows of them."""

    attention: Attention
    name: str
    identifier: str
    phone: str


def day_list_rows(day: dt.date, *, review_every_days: int, review_ahead_days: int = 7,
                  ending_within_days: int = 7) -> list[DayListRow]:
    """The rows that can be on `day`'s list, fetched by an indexed filter rather
    than read whole: someone with a reason, a dose change today or tomorrow, a
    paused plan, a plan ending soon, or a review due within `review_ahead_days`.
    Archived patients are left out (no longer under the clinic's care)."""
    kept = day == today() and not _connection().current().read_only
    rows = None if kept else rows_for(day)
    if kept:
        roll(day)
    d = day.isoformat()
    review_by = (day + dt.timedelta(days=review_ahead_days - 1) - dt.timedelta(days=review_every_days)).isoformat()
    sql = (f"SELECT {', '.join('a.' + f for f in _FIELDS)}, p.name, p.identifier, p.phone "
           "FROM patient_attention a JOIN patient p ON p.id = a.patient_id "
           "WHERE p.archived = 0 AND a.status IN ('active', 'paused') AND ("
           "a.reasons <> '[]' OR a.next_change BETWEEN ? AND ? OR a.status = 'paused' "
           "OR a.last_day BETWEEN ? AND ? OR COALESCE(a.last_review, a.plan_start) <= ?)")
    params = (d, (day + dt.timedelta(days=1)).isoformat(), d,
              (day + dt.timedelta(days=ending_within_days - 1)).isoformat(), review_by)
    if rows is None:  # today, kept current by the roll: only the table
        with _connection().reading():
            found = db.execute_sql(sql + " AND a.as_of <= ? AND a.valid_until > ?", (*params, d, d)).fetchall()
        return [DayListRow(_from_tuple(r[:len(_FIELDS)]), *r[len(_FIELDS):]) for r in found]
    # another day, or a file open read-only: rows computed for this answer, filtered the same way
    with _connection().reading():
        people = {r[0]: r[1:] for r in db.execute_sql("SELECT id, name, identifier, phone FROM patient WHERE archived = 0")}
    out = []
    for pid, a in sorted(rows.items()):
        if pid not in people or a.status not in ("active", "paused"):
            continue
        due_from = a.last_review or a.plan_start
        if (a.reasons or (a.next_change is not None and day <= a.next_change <= day + dt.timedelta(days=1))
                or a.status == "paused"
                or (a.last_day is not None and day <= a.last_day <= day + dt.timedelta(days=ending_within_days - 1))
                or (due_from is not None and due_from.isoformat() <= review_by)):
            out.append(DayListRow(a, *people[pid]))
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
        for n in range(0, len(ids), _CHUNK):
            chunk = ids[n:n + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            for pid, text in db.execute_sql(
                    f"SELECT patient_id, reasons FROM patient_attention WHERE patient_id IN ({marks}) "
                    "AND as_of <= ? AND valid_until > ?", (*chunk, day.isoformat(), day.isoformat())):
                out[pid] = _texts(text)
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


def booked_reviews() -> dict[int, tuple[dt.date, str, str, str]]:
    """Each non-archived patient's next review date as set in the app (schema 7's
    patient_review, the newest row counts; a cleared date is left out), with
    their name, identifier and phone."""
    with _connection().reading():
        rows = db.execute_sql(
            "SELECT r.patient_id, r.review_on, p.name, p.identifier, p.phone FROM patient_review r "
            "JOIN (SELECT patient_id, MAX(id) AS id FROM patient_review GROUP BY patient_id) newest ON newest.id = r.id "
            "JOIN patient p ON p.id = r.patient_id WHERE p.archived = 0 AND r.review_on IS NOT NULL").fetchall()
    return {pid: (dt.date.fromisoformat(on), name, ident, phone) for pid, on, name, ident, phone in rows}


def pharmacy_orders() -> list[tuple[int, dt.date, int | None, dt.date | None, str, str, str]]:
    """For each non-archived patient with an active plan and a printed pharmacy
    order for it: (patient id, the local date of the newest order, the plan's
    supply period if set (schema 7 plan_paper), the plan's last day, name,
    identifier, phone). The order lists supplies of that period from that day."""
    from taperdesk.storage.text import from_utc_text

    with _connection().reading():
        rows = db.execute_sql(
            "SELECT a.patient_id, MAX(h.created_at), "
            "(SELECT supply_days FROM plan_paper WHERE plan_id = a.plan_id ORDER BY id DESC LIMIT 1), "
            "a.last_day, p.name, p.identifier, p.phone FROM patient_attention a "
            "JOIN patient p ON p.id = a.patient_id JOIN plan_revision r ON r.plan_id = a.plan_id "
            "JOIN handout h ON h.revision_id = r.id AND h.kind = 'pharmacy' "
            "WHERE a.status = 'active' AND p.archived = 0 GROUP BY a.patient_id").fetchall()
    return [(pid, from_utc_text(at).astimezone().date(), days, _day(last), name, ident, phone)
            for pid, at, days, last, name, ident, phone in rows]
