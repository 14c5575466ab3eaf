"""The .ics export parses back (icalendar) into the plan's own dates: the start,
each change of dose (the plan's cut dates), holds and the stop day; reminders
repeat daily until their step ends; the same plan gives the same bytes."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from icalendar import Calendar

from taperdesk.core.catalogue import load_catalogue
from taperdesk.core.edits import hold
from taperdesk.core.planner import make_plan
from taperdesk.core.regimen import Regimen
from taperdesk.core.settings import PlanSettings
from taperdesk.export.ics import DEFAULT_DOSE_TIMES, plan_ics

NAME = "Zoë Łukasiewicz"


@pytest.fixture(scope="module")
def plan():
    base = make_plan(Regimen("diazepam", (("morning", 5.0), ("night", 10.0))),
                     PlanSettings(start=date(2026, 12, 1)), load_catalogue())
    return hold(base, date(2027, 2, 3), 10, "flare after the cut")


def _events(data: bytes) -> list:
    return list(Calendar.from_ical(data).walk("VEVENT"))


def _kind(event) -> str:
    cats = event.get("categories")
    return [str(c) for c in cats.cats][-1]


def test_day_events_are_the_plans_dates(plan):
    events = _events(plan_ics(plan, patient_name=NAME))
    by_kind: dict[str, list[date]] = {}
    for e in events:
        by_kind.setdefault(_kind(e), []).append(e.get("dtstart").dt)
        assert e.get("dtend").dt == e.get("dtstart").dt + timedelta(days=1)
    assert by_kind["start"] == [plan.start]
    assert sorted(by_kind["new-dose"] + by_kind["stop"]) == plan.cut_dates()
    assert by_kind["stop"] == [plan.end] and plan.steps[-1].kind == "stop"
    assert by_kind["hold"] == [h.start for h in plan.holds()]
    assert all(isinstance(d, date) and not isinstance(d, datetime) for ds in by_kind.values() for d in ds)


def test_summaries_say_the_doses_in_words(plan):
    events = {e.get("dtstart").dt: e for e in _events(plan_ics(plan, patient_name=NAME))}
    first_cut = plan.cut_dates()[0]
    summary = str(events[first_cut].get("summary"))
    assert summary.startswith("New dose: ") and "tablet" in summary
    assert "flare after the cut" in str(events[plan.holds()[0].start].get("summary"))
    assert str(events[plan.end].get("summary")).startswith("Stop day")
    cal = Calendar.from_ical(plan_ics(plan, patient_name=NAME))
    assert NAME in str(cal.get("x-wr-calname"))


def test_reminders_repeat_until_the_step_ends(plan):
    times = {"night": time(21, 30)}
    events = [e for e in _events(plan_ics(plan, patient_name=NAME, reminders=True, dose_times=times))
              if _kind(e) == "reminder"]
    expected = {(s.start, d.time): s for s in plan.steps for d in s.doses}
    assert len(events) == len(expected)
    for e in events:
        start = e.get("dtstart").dt
        at = time(21, 30) if start.time() == time(21, 30) else DEFAULT_DOSE_TIMES["morning"]
        assert start.time() == at
        step = plan.step_on(start.date())
        assert step.start == start.date()
        until = e.get("rrule")["UNTIL"][0]
        assert e.get("rrule")["FREQ"] == ["DAILY"]
        assert until == datetime.combine(step.end, at)
        assert e.walk("VALARM")


def test_same_plan_same_bytes(plan):
    one = plan_ics(plan, patient_name=NAME, reminders=True)
    assert one == plan_ics(plan, patient_name=NAME, reminders=True)
    uids = [str(e.get("uid")) for e in _events(one)]
    assert len(uids) == len(set(uids))
    assert all(e.get("dtstamp").dt == datetime(2026, 12, 1, tzinfo=e.get("dtstamp").dt.tzinfo) for e in _events(one))


def test_unknown_time_of_day_is_refused(plan):
    with pytest.raises(ValueError, match="bedtime"):
        plan_ics(plan, patient_name=NAME, reminders=True, dose_times={"bedtime": time(22)})
