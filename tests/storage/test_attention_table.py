"""The kept attention table (storage/attention.py) against a full recomputation.

Random sequences of the writes a clinic makes (entries, corrections,
retractions, holds, pauses and resumes, completions, new plans, days passing,
a new flare rule, and what else the day list reads: a booked review, a
pharmacy order, a supply period, archiving) must leave the table saying
exactly what recomputing from the clinical tables says, its reasons exactly
what the clinic layer's `attention_for` says for the same patients on the same
day, and the day list's SQL (storage/day_list.py) what its rules say patient
by patient (tests/storage/test_day_list.py's reference)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taperdesk import storage
from taperdesk.clinic import plans as clinic_plans
from taperdesk.core.planner import make_plan
from taperdesk.core.regimen import Regimen
from taperdesk.core.settings import PlanSettings
from taperdesk.storage import attention, day_list_kept
from taperdesk.storage.models import db
from tests.conftest import examples

TODAY = dt.date.today()
SERIAL = itertools.count()
CIWA_KEYS = ("irritable", "fatigued", "tense", "concentration", "appetite", "numbness", "heart_racing",
             "head_full", "muscle_aches", "anxious", "upset", "sleep_restful", "weak", "enough_sleep",
             "visual", "fearful", "worrying", "restlessness", "tremor", "sweating")


@cache
def _plan(days_before: int, interval: int):
    settings = PlanSettings(start=TODAY - dt.timedelta(days=days_before), interval_days=interval)
    return make_plan(Regimen("diazepam", (("night", 10.0),)), settings), settings


class Clock:
    def __init__(self, monkeypatch):
        self.day = TODAY
        monkeypatch.setattr(attention, "today", lambda: self.day)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def _daily(value: int, falls: int = 0) -> dict[str, int]:
    return {"severity": value, "sleep": 5, **({"falls": falls, "drowsy": 1} if falls else {})}


def _ciwa(value: int) -> dict[str, int]:
    return {k: value if n < 12 else 0 for n, k in enumerate(CIWA_KEYS)}


def _current_entries(patient_id: int) -> list[storage.SymptomEntry]:
    return storage.symptom_entries(patient_id=patient_id)


def _reference(day: dt.date) -> dict[int, tuple[str, ...]]:
    """The clinic layer's answer, the way the patient list asks it."""
    ids = [r[0] for r in db.execute_sql("SELECT id FROM patient")]
    plans = clinic_plans.current_plans(patient_ids=ids)
    got = clinic_plans.attention_recomputed(plans={pid: plans.get(pid) for pid in ids}, today=day)
    return {pid: tuple(reasons) for pid, reasons in got.items()}


def _check(day: dt.date) -> None:
    kept = attention.rows_for(day)
    fresh = attention.recompute(day)
    assert {p: r.content() for p, r in kept.items()} == {p: r.content() for p, r in fresh.items()}
    assert all(r.as_of <= day < r.valid_until for r in kept.values())
    reference = _reference(day)
    assert {p: r.reasons for p, r in kept.items() if p in reference} == reference
    plans = clinic_plans.current_plans(patient_ids=list(reference))
    fast = clinic_plans.attention_for(plans={pid: plans.get(pid) for pid in reference}, today=day)
    assert {p: tuple(r) for p, r in fast.items()} == reference  # what the patient list reads
    assert attention.differences(day) == []
    from tests.storage import test_day_list as day_list

    got = storage.day_list_items(day, day_list._rules())
    with storage.connection.reading():
        want = day_list._reference(day)
        # the lines were read from the kept list (rebuilt by the roll, replaced by each write since)
        assert day_list_kept.holds(day, day_list._rules())
        assert day_list_kept.differences(day) == []
    assert Counter(day_list._as_stored(i) for i in got) == Counter(want)


OPS = st.one_of(
    st.tuples(st.just("entry"), st.integers(0, 2), st.integers(0, 30), st.sampled_from(["daily", "ciwa-b"]),
              st.integers(0, 4)),
    st.tuples(st.just("fall"), st.integers(0, 2), st.integers(0, 30), st.integers(1, 3)),
    st.tuples(st.just("correct"), st.integers(0, 2), st.integers(0, 4)),
    st.tuples(st.just("retract"), st.integers(0, 2)),
    st.tuples(st.just("hold"), st.integers(0, 2), st.integers(0, 10), st.integers(3, 20)),
    st.tuples(st.just("status"), st.integers(0, 2), st.sampled_from(["paused", "active", "completed"])),
    st.tuples(st.just("new plan"), st.integers(0, 2), st.integers(0, 60)),
    st.tuples(st.just("days pass"), st.integers(1, 9)),
    st.tuples(st.just("rule"), st.integers(1, 4)),
    st.tuples(st.just("review"), st.integers(0, 2), st.one_of(st.none(), st.integers(-10, 20))),
    st.tuples(st.just("pharmacy"), st.integers(0, 2)),
    st.tuples(st.just("supply"), st.integers(0, 2), st.sampled_from([7, 14, 28])),
    st.tuples(st.just("archive"), st.integers(0, 2), st.booleans()),
    st.tuples(st.just("rename"), st.integers(0, 2), st.sampled_from(["Ann Zed", "Bob Able", "Cy Moss", "al Lower"])),
    st.tuples(st.just("clinic supply"), st.sampled_from([7, 14, 28])),
)


def _apply(op, patients, doctor, clock) -> None:
    kind, *args = op
    if kind == "days pass":
        clock.day += dt.timedelta(days=args[0])
        return
    if kind == "rule":
        current = storage.get_clinic_settings()
        import dataclasses

        storage.save_clinic_settings(settings=dataclasses.replace(current, supervision={"daily_rise": float(args[0])}),
                                     author=doctor)
        return
    if kind == "clinic supply":  # the clinic's windows change: the kept day list no longer holds
        storage.save_paper_settings(settings=storage.PaperSettings(supply_days=args[0]), author=doctor)
        return
    pid = patients[args[0]]
    info = clinic_plans.current_plan(patient_id=pid)
    before = db.execute_sql("SELECT COUNT(*) FROM audit_event").fetchone()[0]
    try:
        if kind == "entry":
            day = min(clock.day, TODAY) - dt.timedelta(days=args[1])
            value = args[3]
            items = _daily(value * 2) if args[2] == "daily" else _ciwa(value)
            storage.add_symptom_entry(patient_id=pid, date=day, scale=args[2], items=items, author=doctor)
        elif kind == "fall":  # a daily record with falls (a correction below may take them away)
            day = min(clock.day, TODAY) - dt.timedelta(days=args[1])
            storage.add_symptom_entry(patient_id=pid, date=day, scale="daily", items=_daily(3, args[2]),
                                      author=doctor)
        elif kind == "correct":
            entries = _current_entries(pid)
            if entries:
                e = entries[-1]
                items = _daily(args[1] * 2) if e.scale == "daily" else _ciwa(args[1])
                storage.correct_symptom_entry(entry_id=e.id, items=items, author=doctor, note="typo")
        elif kind == "retract":
            entries = _current_entries(pid)
            if entries:
                storage.retract_symptom_entry(entry_id=entries[0].id, reason="wrong patient", author=doctor)
        elif kind == "hold" and info is not None and info.record.status == "active":
            clinic_plans.hold_plan(plan_id=info.record.id, from_date=clock.day - dt.timedelta(days=args[1]),
                                   days=args[2], reason="flare", author=doctor)
        elif kind == "status" and info is not None:
            clinic_plans.change_status(plan_id=info.record.id, status=args[1], author=doctor, reason="seen",
                                       today=clock.day)
        elif kind == "review":
            on = None if args[1] is None else clock.day + dt.timedelta(days=args[1])
            storage.set_review_date(patient_id=pid, review_on=on, author=doctor)
        elif kind == "pharmacy" and info is not None:
            storage.record_handout(revision_id=info.revision.id, kind="pharmacy", pdf=b"%PDF-1.4 test", author=doctor)
        elif kind == "supply" and info is not None:
            storage.set_plan_paper(plan_id=info.record.id, prescriber="Dr Test", supply_days=args[1], author=doctor)
        elif kind == "archive":
            storage.set_patient_archived(patient_id=pid, archived=args[1], author=doctor)
        elif kind == "rename":  # the day list's lines carry the name and sort by it
            storage.update_patient(patient_id=pid, name=args[1], author=doctor)
        elif kind == "new plan" and (info is None or info.record.status not in clinic_plans.OPEN_STATUSES):
            plan, settings = _plan(args[1], 7)
            clinic_plans.start_plan(patient_id=pid, plan=plan, settings=settings, author=doctor)
    except (clinic_plans.OperationError, storage.StorageError):
        return  # refused writes change nothing; the comparison below still runs
    if kind in ("entry", "correct", "retract", "hold", "status", "new plan") and \
            db.execute_sql("SELECT COUNT(*) FROM audit_event").fetchone()[0] > before:
        # kept in the same transaction as the write: the patient's row holds for today without a roll
        row = db.execute_sql("SELECT as_of, valid_until FROM patient_attention WHERE patient_id = ?",
                             (pid,)).fetchone()
        assert row is not None and row[0] <= clock.day.isoformat() < row[1]


@settings(max_examples=examples(12, 500), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(ops=st.lists(OPS, min_size=1, max_size=14), starts=st.lists(st.integers(0, 70), min_size=3, max_size=3))
def test_random_writes_leave_the_table_equal_to_a_recomputation(doctor, clock, ops, starts):
    clock.day = TODAY
    # the examples share one clinic and each starts the clock again at TODAY: an earlier example's
    # roll on a later day would otherwise pass for this example's roll (time never runs back in a clinic)
    with storage.connection.writing():
        db.execute_sql("DELETE FROM attention_roll")
        db.execute_sql("DELETE FROM day_list_kept")
    patients = []
    for n, start in enumerate(starts):
        p = storage.add_patient(name=f"Pat {n}", born=dt.date(1970, 1, 1),
                                identifier=f"R-{next(SERIAL)}", author=doctor)
        if n < 2:
            plan, settings = _plan(start, 7)
            clinic_plans.start_plan(patient_id=p.id, plan=plan, settings=settings, author=doctor)
        patients.append(p.id)
    for op in ops:
        _apply(op, patients, doctor, clock)
    _check(clock.day)


def test_a_flare_is_kept_with_its_evidence_and_the_roll_moves_it_on(doctor, clock):
    plan, settings = _plan(10, 7)  # cuts 3 days ago, then in 4 days
    p = storage.add_patient(name="Flo Flare", born=dt.date(1970, 1, 1), identifier="F-1", author=doctor)
    clinic_plans.start_plan(patient_id=p.id, plan=plan, settings=settings, author=doctor)
    cut = max(d for d in plan.cut_dates() if d <= TODAY)
    for n in range(1, 8):
        storage.add_symptom_entry(patient_id=p.id, date=cut - dt.timedelta(days=n), scale="daily",
                                  items=_daily(2), author=doctor)
    storage.add_symptom_entry(patient_id=p.id, date=cut + dt.timedelta(days=1), scale="daily",
                              items=_daily(7), author=doctor)
    row = attention.rows_for(TODAY)[p.id]
    assert row.reasons[0].startswith("Flare after the cut on")
    assert row.evidence and row.evidence[0].startswith("Daily rating 7 on")
    assert row.as_of == TODAY and row.valid_until > TODAY
    # after the flare window the roll recomputes the row; no write was needed
    clock.day = cut + dt.timedelta(days=20)
    assert attention.stale_ids(clock.day) == [p.id]
    assert attention.roll() == 1
    assert not any(r.startswith("Flare") for r in attention.rows_for(clock.day)[p.id].reasons)
    _check(clock.day)


def test_the_roll_only_recomputes_rows_that_ran_out(doctor, clock):
    plan, settings = _plan(3, 28)
    ids = []
    for n in range(4):
        p = storage.add_patient(name=f"Calm {n}", born=dt.date(1970, 1, 1), identifier=f"C-{n}", author=doctor)
        clinic_plans.start_plan(patient_id=p.id, plan=plan, settings=settings, author=doctor)
        ids.append(p.id)
    assert attention.roll() == 0  # every row was written with its patient's plan
    rows = attention.rows_for(TODAY)
    first_end = min(r.valid_until for r in rows.values())
    clock.day = first_end - dt.timedelta(days=1)
    assert attention.roll() == 0
    clock.day = first_end
    assert attention.roll() == 4  # the same plan: they all run out the same day
    _check(clock.day)


def test_verify_compares_the_kept_table_with_a_recomputation(doctor, clock):
    from taperdesk.storage.verify import verify_clinic

    plan, settings = _plan(10, 7)
    p = storage.add_patient(name="Vera Verify", born=dt.date(1970, 1, 1), identifier="V-1", author=doctor)
    clinic_plans.start_plan(patient_id=p.id, plan=plan, settings=settings, author=doctor)
    assert verify_clinic(attention=True).ok
    # a row changed behind the app's back (the table is derived, so nothing stops a hand edit)
    db.execute_sql("UPDATE patient_attention SET reasons = '[]', next_change = NULL WHERE patient_id = ?", (p.id,))
    assert verify_clinic().ok  # the app's daily background check leaves the table out
    lines = [f.line for f in verify_clinic(attention=True).findings]
    assert any(line.startswith("Vera Verify (V-1): the day list's kept attention row differs") and "next change" in line
               for line in lines), lines


def test_verify_finds_a_kept_day_list_line_that_no_longer_matches(doctor, clock):
    from taperdesk.storage.verify import verify_clinic

    plan, settings = _plan(6, 7)  # the next cut is tomorrow: a "changes" line
    p = storage.add_patient(name="Dana Daylist", born=dt.date(1970, 1, 1), identifier="D-1", author=doctor)
    clinic_plans.start_plan(patient_id=p.id, plan=plan, settings=settings, author=doctor)
    found = storage.day_list_items(TODAY, clinic_today_rules())
    assert [i.group for i in found if i.patient_id == p.id] == ["changes"]
    assert verify_clinic(attention=True).ok
    db.execute_sql("UPDATE day_list_item SET whenever = '1999-01-01' WHERE patient_id = ?", (p.id,))
    lines = [f.line for f in verify_clinic(attention=True).findings]
    assert any(line.startswith("Dana Daylist (D-1): the kept day list differs") and "kept but not worked out" in line
               for line in lines), lines
    assert any("worked out but not kept: changes" in line for line in lines), lines


def clinic_today_rules():
    from taperdesk.clinic.today import _rules

    return _rules()


def test_an_attention_for_a_patient_does_not_depend_on_the_others_on_screen(doctor, clock):
    """A CIWA-B from long before the last cut is no baseline (lookback); before
    this was fixed, a neighbour with an earlier look-back day made it one."""
    plan, settings = _plan(10, 7)  # cut 3 days ago
    old, _ = _plan(400, 7)  # long finished: its look-back day is a year back
    a = storage.add_patient(name="Ann", born=dt.date(1970, 1, 1), identifier="L-1", author=doctor)
    b = storage.add_patient(name="Bob", born=dt.date(1970, 1, 1), identifier="L-2", author=doctor)
    clinic_plans.start_plan(patient_id=a.id, plan=plan, settings=settings, author=doctor)
    cut = max(d for d in plan.cut_dates() if d <= TODAY)
    storage.add_symptom_entry(patient_id=a.id, date=cut - dt.timedelta(days=200), scale="ciwa-b",
                              items=_ciwa(0), author=doctor)
    storage.add_symptom_entry(patient_id=a.id, date=cut, scale="ciwa-b", items=_ciwa(3), author=doctor)
    alone = clinic_plans.attention_recomputed(plans={a.id: clinic_plans.current_plan(patient_id=a.id)}, today=TODAY)
    clinic_plans.start_plan(patient_id=b.id, plan=old, settings=settings, author=doctor)
    both = clinic_plans.attention_recomputed(plans={pid: clinic_plans.current_plan(patient_id=pid) for pid in (a.id, b.id)},
                                      today=TODAY)
    assert both[a.id] == alone[a.id]
    assert not any(r.startswith("Flare") for r in alone[a.id])
    # the old CIWA-B is no baseline, but a fresh one before the cut is
    storage.add_symptom_entry(patient_id=a.id, date=cut - dt.timedelta(days=5), scale="ciwa-b",
                              items=_ciwa(0), author=doctor)
    again = clinic_plans.attention_recomputed(plans={a.id: clinic_plans.current_plan(patient_id=a.id)}, today=TODAY)
    assert again[a.id][0] == f"Flare after the cut on {cut.day} {cut.strftime('%b')}"
    assert attention.rows_for(TODAY)[a.id].reasons == tuple(again[a.id])


@pytest.mark.sqlite_only  # storage/day_list.py (the Today list) is written in SQLite's SQL: not on the server yet
def test_a_fall_raises_the_patient_until_it_is_a_fortnight_old(doctor, clock):
    plan, settings = _plan(3, 28)
    p = storage.add_patient(name="Fay Fall", born=dt.date(1940, 1, 1), identifier="FALL-1", author=doctor)
    clinic_plans.start_plan(patient_id=p.id, plan=plan, settings=settings, author=doctor)
    day = TODAY - dt.timedelta(days=2)
    storage.add_symptom_entry(patient_id=p.id, date=day, scale="daily", items=_daily(2, falls=1), author=doctor)
    words = f"Fall recorded on {day.day} {day.strftime('%b')}"
    assert words in attention.rows_for(TODAY)[p.id].reasons
    _check(TODAY)
    clock.day = day + dt.timedelta(days=13)  # the 14th day of its window
    attention.roll()
    assert words in attention.rows_for(clock.day)[p.id].reasons
    clock.day = day + dt.timedelta(days=14)  # the roll takes it off; no write was needed
    attention.roll()
    assert not any(r.startswith("Fall") for r in attention.rows_for(clock.day)[p.id].reasons)
    _check(clock.day)


@pytest.mark.sqlite_only  # storage/day_list.py (the Today list) is written in SQLite's SQL: not on the server yet
def test_a_fall_corrected_away_leaves_the_list_at_once(doctor, clock):
    plan, settings = _plan(3, 28)
    p = storage.add_patient(name="Sam Slip", born=dt.date(1940, 1, 1), identifier="FALL-2", author=doctor)
    clinic_plans.start_plan(patient_id=p.id, plan=plan, settings=settings, author=doctor)
    entry = storage.add_symptom_entry(patient_id=p.id, date=TODAY, scale="daily", items=_daily(2, falls=2),
                                      author=doctor)
    assert any(r.startswith("Fall recorded on") for r in attention.rows_for(TODAY)[p.id].reasons)
    storage.correct_symptom_entry(entry_id=entry.id, items=_daily(2), author=doctor, note="no fall: misheard")
    assert not any(r.startswith("Fall") for r in attention.rows_for(TODAY)[p.id].reasons)
    _check(TODAY)
