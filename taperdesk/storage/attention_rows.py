"""One patient's attention row, worked out from the clinical tables.

A row says why the patient needs the clinician on a day (the core's
`attention(...)` reasons for their current plan, with a flare's evidence), the
dates the day list sorts and groups by, and until when all that holds
(`valid_until`: the first later day whose answer differs, found by asking the
core on the days it can change). Working one out parses a plan and reads weeks
of symptom entries, a few milliseconds a patient: storage/attention.py keeps
the rows so that nothing on screen has to do this for the whole clinic."""

from __future__ import annotations

import datetime as dt
import json
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

from taperdesk.storage.models import db

HORIZON_DAYS = 35  # how far ahead a row's validity is worked out; a calm row rolls at least this often
FAR = dt.date(9999, 12, 31)  # "until something is written": a patient with no plan in progress
CHUNK = 500
_CURRENT = ("retracted = 0 AND NOT EXISTS (SELECT 1 FROM symptom_entry n "
            "WHERE n.supersedes_id = symptom_entry.id)")
FIELDS = ("patient_id", "as_of", "valid_until", "reasons", "evidence", "plan_id", "status", "drug",
          "next_change", "change_words", "change_dose", "last_day", "paused_since", "last_review", "plan_start")


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


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def texts(text: str) -> tuple[str, ...]:
    return () if text == "[]" else tuple(json.loads(text))  # most rows have none: no parse


def from_tuple(t: tuple) -> Attention:
    return Attention(t[0], _day(t[1]), _day(t[2]), texts(t[3]), texts(t[4]), t[5], t[6],
                     t[7], _day(t[8]), texts(t[9]), t[10], _day(t[11]), _day(t[12]), _day(t[13]),
                     _day(t[14]))


def to_tuple(a: Attention) -> tuple:
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
    from taperdesk.core.side_effects import falls_in
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
        out[pid].append(Observation(day, scale, value, band_by.band_index(value) if band_by else None,
                                    falls_in(scale, items_text)))
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
    from taperdesk.core.supervision import fall_changes

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
    out.update(fall_changes(observations, rule))
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
    for n in range(0, len(ids), CHUNK):
        chunk = ids[n:n + CHUNK]
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
