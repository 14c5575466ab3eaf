"""The day list in SQL (storage/day_list.py, what the Today view and `taperdesk
today` read) against the rules written out plainly in Python over every
patient's attention row, on a small bench clinic (bench/make_clinic.py: calm
patients, a few flares, pauses, booked reviews, pharmacy orders), on today
(the kept table) and on the days around it (rows worked out for the answer).
Also: the opening (counts and first pages) and the pages add up to the list."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest

from taperdesk import storage
from taperdesk.clinic import today as clinic_today
from taperdesk.storage import attention
from taperdesk.storage.models import db
from taperdesk.storage.text import fold, from_utc_text

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import make_clinic  # noqa: E402

TODAY = dt.date.today()


@pytest.fixture(scope="module")
def clinic_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("daylist") / "clinic.sqlite"
    made = make_clinic.generate(path, 240, 6000, seed=7, today=TODAY, plan_every_days=9)
    return path, made


@pytest.fixture
def clinic(clinic_template, tmp_path, backend, request):
    """The bench clinic as a file, or moved onto the test server (the same rows, the same answers)."""
    path = tmp_path / "clinic.sqlite"
    shutil.copy(clinic_template[0], path)
    if backend == "postgresql":
        from taperdesk.storage.paths import ServerAddress
        from taperdesk.storage.server_move import move_to_server

        url = request.getfixturevalue("server_db")
        move_to_server(source=path, target=ServerAddress(url))
        return url
    return path


def _rules() -> storage.DayListRules:
    return clinic_today._rules()


def _reference(day: dt.date) -> list[tuple]:
    """Each line as (group, patient, when, what, more), by the day list's rules
    applied one patient at a time to rows from `attention.rows_for`."""
    rules = _rules()
    one = dt.timedelta(days=1)
    ahead = day + (rules.review_ahead_days - 1) * one
    people = {pid: (archived,) for pid, archived in db.execute_sql("SELECT id, archived FROM patient")}
    booked = {}
    for pid, on in db.execute_sql("SELECT patient_id, review_on FROM patient_review ORDER BY id"):
        booked[pid] = on  # the newest counts, a cleared date (None) included
    booked = {pid: dt.date.fromisoformat(on) for pid, on in booked.items() if on and not people[pid][0]}
    out = [("reviews", pid, on, "booked", None) for pid, on in booked.items() if on <= ahead]
    rows = attention.rows_for(day)
    for pid, a in rows.items():
        if people[pid][0] or a.status not in ("active", "paused"):
            continue
        for reason in a.reasons:
            if reason.startswith("Flare"):
                out.append(("flares", pid, None, reason, a.evidence))
            elif reason.startswith("Review overdue"):
                out.append(("reviews", pid, a.last_review, reason, None))
            elif reason.startswith("Step change") and a.next_change is not None and a.next_change <= day + one:
                continue
            else:
                out.append(("attention", pid, None if reason.startswith("No symptoms") else a.next_change, reason,
                            None))
        if a.next_change is not None and day <= a.next_change <= day + one:
            out.append(("changes", pid, a.next_change, a.change_words, a.change_dose))
        overdue = any(r.startswith("Review overdue") for r in a.reasons)
        due_from = a.last_review or a.plan_start
        if not overdue and due_from is not None and pid not in booked:
            due = due_from + rules.review_every_days * one
            if due <= ahead:
                out.append(("reviews", pid, due, "due", a.last_review))
        if a.status == "paused" and a.paused_since is not None and (day - a.paused_since).days > 28:
            out.append(("paused", pid, a.paused_since, None, None))
        if a.status == "active" and a.last_day is not None and day <= a.last_day <= day + 6 * one:
            out.append(("ending", pid, a.last_day, None, None))
    # supplies: the newest pharmacy order of the plan, its supply period from that day
    periods = dict(db.execute_sql("SELECT plan_id, supply_days FROM plan_paper ORDER BY id").fetchall())
    newest = {}
    for plan_id, at in db.execute_sql("SELECT r.plan_id, h.created_at FROM handout h JOIN plan_revision r "
                                      "ON r.id = h.revision_id WHERE h.kind = 'pharmacy'"):
        newest[plan_id] = max(newest.get(plan_id, at), at)
    for pid, a in rows.items():
        if people[pid][0] or a.status != "active" or a.plan_id not in newest:
            continue
        ordered = from_utc_text(newest[a.plan_id]).astimezone().date()
        period = periods.get(a.plan_id, rules.supply_days)
        if day <= ordered:
            continue
        start = ordered + dt.timedelta(days=-((ordered - day).days // period) * period)
        if start > day + one or (a.last_day is not None and start > a.last_day):
            continue
        out.append(("supplies", pid, start, period, ordered))
    return out


def _as_stored(item: storage.DayListItem) -> tuple:
    import json

    what, more = item.what, item.more
    if item.group == "flares":
        more = tuple(json.loads(more))
    elif item.group == "changes":
        what = tuple(json.loads(what))
    elif item.group == "supplies":
        what, more = int(what), dt.date.fromisoformat(more)
    elif item.group == "reviews" and what == "due":
        more = dt.date.fromisoformat(more) if more else None
    return (item.group, item.patient_id, item.when, what, more)


@pytest.mark.parametrize("offset", [0, -1, 1, 6])
def test_the_sql_day_list_follows_the_rules_patient_by_patient(clinic, offset, monkeypatch):
    day = TODAY + dt.timedelta(days=offset)
    storage.open_database(clinic, auto_backup=False)
    got = storage.day_list_items(day, _rules())
    with storage.connection.reading():
        want = _reference(day)
    assert Counter(_as_stored(i) for i in got) == Counter(want)
    # in the list's order: group by group, then by date (undated first), then by name
    names = dict(db.execute_sql("SELECT id, name FROM patient").fetchall())
    keys = [(make_clinic_group_rank(i.group), i.when or dt.date.min, fold(names[i.patient_id]), i.patient_id)
            for i in got]
    assert keys == sorted(keys)


def make_clinic_group_rank(group: str) -> int:
    return list(clinic_today.GROUPS).index(group)


def test_a_realistic_day_most_are_calm(clinic, clinic_template):
    made = clinic_template[1]
    storage.open_database(clinic, auto_backup=False)
    opening = clinic_today.today_opening(day=TODAY, per_group=5)
    counts = opening.counts()
    assert all(counts[g] > 0 for g in ("flares", "changes", "reviews", "attention", "supplies", "paused")), counts
    assert counts["flares"] <= 0.08 * made["patients"]  # a few flaring, not everyone
    assert opening.patients < 0.6 * made["patients"]
    flagged = sum(1 for r in attention.rows_for(TODAY).values() if any(x.startswith("Flare") for x in r.reasons))
    assert 0 < flagged <= 0.08 * made["patients"]


def test_the_opening_and_the_pages_add_up_to_the_whole_list(clinic):
    storage.open_database(clinic, auto_backup=False)
    whole = clinic_today.today_list(day=TODAY)
    opening = clinic_today.today_opening(day=TODAY, per_group=4)
    assert opening.counts() == whole.counts()
    assert opening.patients == whole.patients()
    for key in clinic_today.GROUPS:
        group = whole.group(key)
        assert opening.first[key] == group[:4]
        pages = []
        while len(pages) < len(group):
            page = clinic_today.today_items(group=key, day=TODAY, offset=len(pages), limit=7)
            assert page, key
            pages.extend(page)
        assert tuple(pages) == group


@pytest.fixture
def far_east(monkeypatch):
    """This workstation in UTC+14, where a morning's order in UTC is already the next day."""
    import time

    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_an_order_falls_on_the_workstations_local_day(clinic, far_east):
    storage.open_database(clinic, auto_backup=False)
    got = [i for i in storage.day_list_items(TODAY, _rules()) if i.group == "supplies"]
    with storage.connection.reading():
        want = [w for w in _reference(TODAY) if w[0] == "supplies"]
    assert got and Counter(_as_stored(i) for i in got) == Counter(want)
