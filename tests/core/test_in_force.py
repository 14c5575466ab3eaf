"""The one answer to "what does this patient take on day D": properties over
random plans and random status histories, and the cases the clinic saw go wrong
(a stopped plan still showing a taper, a paused plan showing future cuts, a
crossover switch day unmarked, crossover day 1 called "Starting dose")."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import examples  # quick by default, long under `make soak`

from taperdesk.core.in_force import STATUS_LABELS, StatusChange, in_force
from taperdesk.core.planner import make_plan
from taperdesk.core.regimen import PlanInputError, Regimen
from taperdesk.core.settings import PlanSettings
from tests.core.strategies import CATALOGUE, plan_inputs

SOME = settings(max_examples=examples(100, 2500), deadline=None, suppress_health_check=[HealthCheck.too_slow])

# storage's transitions: draft -> active|stopped; active -> paused|completed|stopped; paused -> active|completed|stopped
NEXT = {"draft": ("active", "stopped"), "active": ("paused", "completed", "stopped"),
        "paused": ("active", "completed", "stopped"), "completed": (), "stopped": ()}


@st.composite
def histories(draw, start: date):
    """A status history as storage allows it, on days around the plan's start."""
    day = start + timedelta(days=draw(st.integers(-10, 5)))
    status = draw(st.sampled_from(("draft", "active")))
    out = [StatusChange(status, day)]
    for _ in range(draw(st.integers(0, 4))):
        if not NEXT[status]:
            break
        status = draw(st.sampled_from(NEXT[status]))
        day = day + timedelta(days=draw(st.integers(0, 120)))
        out.append(StatusChange(status, day))
    return out


def _plan(inputs):
    regimen, plan_settings = inputs
    try:
        return make_plan(regimen, plan_settings, CATALOGUE)
    except PlanInputError:
        return None


def _doses(answer):
    return {(d.time, d.drug, d.mg) for d in answer.doses}


@SOME
@given(st.data())
def test_every_day_follows_the_status_in_force(data):
    plan = _plan(data.draw(plan_inputs()))
    if plan is None:
        return
    history = data.draw(histories(plan.start))
    course = in_force(plan, history)
    first = min(plan.start, history[0].on) - timedelta(days=3)
    last = max(plan.end, history[-1].on) + timedelta(days=30)
    previous = None
    for answer in course.days(first, last):
        day = answer.day
        now = ([s for s in history if s.on <= day] or history)[-1 if history[0].on <= day else 0]
        assert answer.status == now.status
        step = plan.step_on(day)
        if day < plan.start and now.status != "completed":
            assert answer.doses == () and not answer.in_force
        elif now.status == "draft":
            assert answer.state == "draft" and not answer.in_force
            assert answer.doses == (step.doses if step else (() if plan.stops else plan.steps[-1].doses))
        elif now.status == "completed":
            assert answer.doses == () and answer.state == "completed"
        elif now.status in ("paused", "stopped"):
            frozen = plan.step_on(max(now.on, plan.start))
            if frozen is None or frozen.kind == "stop":
                if frozen is None and not plan.stops:
                    assert _doses(answer) == {(d.time, d.drug, d.mg) for d in plan.steps[-1].doses}
                else:
                    assert answer.doses == ()
            else:
                # the dose of the pause (or end) day, and never a later cut
                assert answer.doses == frozen.doses
                assert answer.in_force
                assert answer.state == ("paused" if now.status == "paused" else "taper_ended")
        else:  # active
            if step is None:
                assert answer.doses == (() if plan.stops else plan.steps[-1].doses)
            else:
                assert answer.doses == step.doses
        # a change is marked exactly when the doses differ from the day before (within one status)
        if previous is not None and previous.status == answer.status and answer.state not in ("before_start",):
            if _doses(previous) != _doses(answer) and answer.doses and previous.doses:
                assert answer.change in ("cut", "switch"), (day, answer.change)
                assert answer.change_words
            if answer.change in ("cut", "switch"):
                assert _doses(previous) != _doses(answer)
        previous = answer


@SOME
@given(st.data())
def test_next_change_is_the_first_later_day_whose_doses_change(data):
    plan = _plan(data.draw(plan_inputs()))
    if plan is None:
        return
    history = data.draw(histories(plan.start))
    course = in_force(plan, history)
    after = plan.start + timedelta(days=data.draw(st.integers(-5, (plan.end - plan.start).days + 5)))
    found = course.next_change(after)
    expected = next((a for a in course.days(after + timedelta(days=1), course.horizon() + timedelta(days=1))
                     if a.dose_change), None)
    assert (found.day if found else None) == (expected.day if expected else None)


def _lorazepam_crossover():
    return make_plan(Regimen("lorazepam", (("morning", 1.0), ("night", 1.0))),
                     PlanSettings(start=date(2026, 12, 1), crossover=True), CATALOGUE)


def test_crossover_switch_days_are_changes_in_words():
    plan = _lorazepam_crossover()
    course = in_force(plan, [StatusChange("active", date(2026, 11, 30))])
    day1 = course.on(date(2026, 12, 1))
    assert day1.change == "switch"  # not "start": the night dose is already diazepam
    assert day1.change_words == ("Your night dose changes from lorazepam 1 mg to diazepam 10 mg today.",)
    switch = course.on(date(2026, 12, 8))
    assert switch.change == "switch"
    assert switch.change_words == ("Your morning dose changes from lorazepam 1 mg to diazepam 10 mg today.",)
    assert course.next_change(date(2026, 12, 1)).day == date(2026, 12, 8)


def test_a_stopped_taper_keeps_its_dose_and_shows_no_later_cut():
    plan = _lorazepam_crossover()
    course = in_force(plan, [StatusChange("active", date(2026, 11, 30)),
                             StatusChange("stopped", date(2027, 1, 3), "patient chose to stay on this dose")])
    held = plan.step_on(date(2027, 1, 3)).doses
    for day in (date(2027, 1, 3), date(2027, 6, 1), date(2031, 1, 1)):
        answer = course.on(day)
        assert answer.doses == held and answer.state == "taper_ended" and answer.in_force
    assert course.next_change(date(2027, 1, 3)) is None
    assert course.last_day() is None
    assert STATUS_LABELS["stopped"] == "Taper ended, dose continues"


def test_a_paused_plan_shows_no_future_cut_and_a_draft_is_not_in_force():
    plan = _lorazepam_crossover()
    paused = in_force(plan, [StatusChange("active", date(2026, 11, 30)), StatusChange("paused", date(2027, 1, 20))])
    assert {paused.on(date(2027, 1, 20) + timedelta(days=n)).doses for n in range(0, 400, 7)} == \
        {plan.step_on(date(2027, 1, 20)).doses}
    assert paused.next_change(date(2027, 1, 20)) is None
    draft = in_force(plan, [StatusChange("draft", date(2026, 11, 30))])
    assert not draft.on(date(2026, 12, 20)).in_force
    assert draft.on(date(2026, 12, 20)).summary().startswith("Draft: ")


def test_completed_means_no_more_doses():
    plan = _lorazepam_crossover()
    course = in_force(plan, [StatusChange("active", date(2026, 11, 30)), StatusChange("completed", date(2027, 2, 1))])
    assert course.on(date(2027, 1, 31)).doses
    assert course.on(date(2027, 2, 1)).doses == () and course.on(date(2027, 2, 1)).change == "completed"
    assert course.last_day() == date(2027, 2, 1)
