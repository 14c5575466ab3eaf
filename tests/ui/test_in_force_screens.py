"""Every screen says what the course says (taperdesk.core.in_force): the
patient list's columns, the calendar's cells and marks, "What to take", the
plan tab and the symptom plot's dose curve, for random status histories
(draft, active, paused, taper ended, completed), and the cases the clinic saw
go wrong: a stopped plan still showing its cuts, a paused plan showing future
cuts, a draft looking active, a crossover switch unmarked, the wrong day in
"What to take" after switching patient."""

from __future__ import annotations

import os
import re
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taperdesk import storage
from taperdesk.clinic.plans import PatientPlan
from taperdesk.core.in_force import STATUS_LABELS, StatusChange, in_force
from taperdesk.core.planner import make_plan
from taperdesk.core.quantity import fmt_mg
from taperdesk.core.regimen import Regimen
from taperdesk.core.settings import PlanSettings
from taperdesk.ui import patient_list
from taperdesk.ui.calendar import PlanCalendar
from taperdesk.ui.calendar.days import SHOWN
from taperdesk.ui.patient_list import PatientListModel, column_of
from taperdesk.ui.plan_tab import plan_summary_html
from taperdesk.ui.symptoms.plot import SymptomPlot
from tests.core.test_in_force import histories

START = date(2026, 12, 1)

PLANS = {
    "diazepam": make_plan(Regimen("diazepam", (("morning", 5.0), ("night", 5.0))), PlanSettings(start=START)),
    "crossover": make_plan(Regimen("lorazepam", (("morning", 1.0), ("night", 1.0))),
                           PlanSettings(start=START, crossover=True)),
    "to 4 mg": make_plan(Regimen("diazepam", (("night", 8.0),)), PlanSettings(start=START, target_mg=4.0)),
}
# 20 random histories in the quick suite; TAPERDESK_SOAK=1 (a long run) tries 500
SCREENS = settings(max_examples=500 if os.environ.get("TAPERDESK_SOAK") else 20, deadline=None,
                   suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def patient_plan(plan, history, *, patient_id=1) -> PatientPlan:
    at = datetime(2026, 11, 1, tzinfo=timezone.utc)
    record = storage.PlanRecord(patient_id, patient_id, plan.drug, history[-1].status, at, 1)
    revision = storage.Revision(patient_id, patient_id, 1, plan.to_json(), "{}", 1, at, "First plan")
    return PatientPlan(record, revision, plan, tuple(history))


def list_row(monkeypatch, info: PatientPlan, today: date) -> dict[str, str]:
    """The patient list model's row for one patient whose plan is `info` (storage stood in for)."""
    patient = storage.Patient(info.record.patient_id, "Ana López", date(1956, 3, 12), "TD-0001", "", "", False,
                              datetime(2026, 1, 1, tzinfo=timezone.utc))
    monkeypatch.setattr(patient_list.storage, "search_patients", lambda **_: [patient])
    monkeypatch.setattr(patient_list, "current_plans", lambda **_: {patient.id: info})
    monkeypatch.setattr(patient_list.storage, "attention_reasons", lambda ids, day=None: {pid: () for pid in ids})
    model = PatientListModel(today=today)
    model.refresh()
    return {title: model.index(0, column_of(title)).data() for title in patient_list.COLUMNS}


def expected_cell_text(answer) -> str:
    daily = answer.daily_mg()
    if answer.state == "stop_day" or not daily:
        return "0 mg"
    if len(daily) > 1:
        return f"{fmt_mg(answer.eq_mg)} mg eq"
    return f"{fmt_mg(sum(daily.values()))} mg"


# -- the property: every screen against the course ---------------------------

@SCREENS
@given(data=st.data())
def test_every_screen_says_what_the_course_says(qtbot, monkeypatch, data):
    plan = PLANS[data.draw(st.sampled_from(sorted(PLANS)))]
    history = data.draw(histories(plan.start))
    course = in_force(plan, history)
    today = START + timedelta(days=data.draw(st.integers(-5, (plan.end - plan.start).days + 40)))
    info = patient_plan(plan, history)
    answer = course.on(today)

    # the patient list
    row = list_row(monkeypatch, info, today)
    dose, nxt, status = row["Dose today"], row["Next step change"], row["Status"]
    assert status.startswith(STATUS_LABELS[course.status_on(today)])
    assert ("taper finished" in status) == (course.status_on(today) == "active"
                                            and answer.state in ("stop_day", "finished"))
    if answer.state == "draft":
        assert dose.startswith("Draft")
    if answer.in_force:
        for drug, mg in answer.daily_mg().items():
            assert f"{drug} {fmt_mg(mg)} mg" in dose
    else:
        assert not re.search(r"\d mg", dose) or answer.state == "draft", dose
    if answer.state == "paused":
        assert dose.endswith("(paused)")
    elif answer.state == "taper_ended":
        assert dose.endswith("(continues)")
    elif answer.state == "completed":
        assert dose == "No dose (plan completed)"
    now = course.status_on(today)
    if now == "paused":
        assert nxt == "None while paused"
    elif now == "stopped":
        assert nxt == "None (taper ended)"
    elif now == "completed":
        assert nxt == ""
    else:
        found = course.next_change(today)
        assert (found.day.isoformat() in nxt) if found else nxt == ""
        if now == "draft" and found:
            assert nxt.startswith("Draft")
    # no later change is ever offered once the course says none will come
    if course.next_change(today) is None:
        assert not re.search(r"\d{4}-\d{2}-\d{2}", nxt)

    # the calendar and What to take
    cal = PlanCalendar()
    qtbot.addWidget(cal)
    cal.set_today(today)
    cal.set_plan(course, go_today=True)
    assert cal.selected_date() == today
    assert cal.detail_heading().startswith("Today, ")
    for offset in range(-3, 60, 3):
        day = today + timedelta(days=offset)
        a, cell = course.on(day), cal.cell(day)
        if a.state in SHOWN:
            assert cell.total_text == expected_cell_text(a), (day, a.state)
            assert ("step_change" in cell.marks) == (a.change in ("cut", "switch", "stop")), day
            assert ("draft" in cell.marks) == (a.state == "draft")
            assert ("continues" in cell.marks) == (a.state in ("paused", "taper_ended"))
        else:
            assert cell.total_text == "", (day, a.state)
    detail = cal.day_detail_text()
    for d in answer.doses:
        assert f"{d.time.capitalize()}: {fmt_mg(d.mg)} mg {d.drug}" in detail
    if not answer.doses:
        assert "Morning:" not in detail and "Night:" not in detail
    if answer.state == "draft":
        assert "Draft (not started)" in detail
    nxt_day = cal.next_step_change()
    found = course.next_change(today)
    assert nxt_day == (found.day if found else None)

    # the plan tab's summary
    assert STATUS_LABELS[info.record.status] in plan_summary_html(info)

    # the symptom plot's dose curve
    plot = SymptomPlot(today=today)
    qtbot.addWidget(plot)
    plot.set_data(course, [])
    for offset in range(-3, 60, 3):
        day = today + timedelta(days=offset)
        a = course.on(day)
        drawn = plot.dose_on(day)
        if a.in_force or a.state == "stop_day":
            assert drawn == a.eq_mg, (day, a.state)
        elif a.state in ("draft", "before_start"):
            assert drawn is None, (day, a.state)
        else:  # finished or completed: nothing, or the drop to nothing on its first day
            assert drawn in (None, 0.0), (day, a.state)
    changes = plot.marker_dates()["step_change"]
    assert all(course.on(d).change in ("cut", "switch", "stop") for d in changes)


# -- the cases seen -----------------------------------------------------------

CROSSOVER = PLANS["crossover"]
TODAY = date(2027, 1, 20)


def test_a_taper_ended_plan_shows_the_continuing_dose_labelled_so(qtbot, monkeypatch):
    ended_on = date(2027, 1, 3)
    info = patient_plan(CROSSOVER, [StatusChange("active", START), StatusChange("stopped", ended_on)])
    kept = CROSSOVER.step_on(ended_on)
    row = list_row(monkeypatch, info, TODAY)
    daily = " + ".join(f"{drug} {fmt_mg(mg)} mg" for drug, mg in kept.daily_mg.items())
    assert row["Dose today"] == f"{daily} (continues)"
    assert row["Status"] == "Taper ended, dose continues" and row["Next step change"] == "None (taper ended)"
    cal = PlanCalendar()
    qtbot.addWidget(cal)
    cal.set_today(TODAY)
    cal.set_plan(info.course, go_today=True)
    # every later day (years on too) keeps that dose; no cut is shown anywhere
    for day in (TODAY, CROSSOVER.cut_dates()[5], CROSSOVER.end, date(2031, 6, 1)):
        assert cal.cell(day).total_text == f"{fmt_mg(kept.diazepam_eq_mg)} mg", day
        assert "step_change" not in cal.cell(day).marks and "continues" in cal.cell(day).marks
    assert cal.next_step_change() is None
    assert "Taper ended, dose continues (since Sunday 3 January 2027): keep taking this dose." in cal.day_detail_text()
    assert "Taper ended" in cal.summary_text()


def test_a_paused_plan_shows_no_future_cut(qtbot, monkeypatch):
    paused_on = date(2027, 1, 10)
    info = patient_plan(CROSSOVER, [StatusChange("active", START), StatusChange("paused", paused_on)])
    row = list_row(monkeypatch, info, TODAY)
    assert row["Status"] == "Paused" and row["Next step change"] == "None while paused"
    assert row["Dose today"].endswith("(paused)")
    cal = PlanCalendar()
    qtbot.addWidget(cal)
    cal.set_today(TODAY)
    cal.set_plan(info.course, go_today=True)
    later_cuts = [d for d in CROSSOVER.cut_dates() if d > paused_on]
    assert later_cuts and not any("step_change" in cal.cell(d).marks for d in later_cuts)
    assert not cal.go_next_step_change()
    assert "The plan is paused (since Sunday 10 January 2027)" in cal.day_detail_text()


def test_a_draft_is_marked_draft_and_never_looks_active(qtbot, monkeypatch):
    info = patient_plan(CROSSOVER, [StatusChange("draft", date(2026, 11, 20))])
    row = list_row(monkeypatch, info, TODAY)
    assert row["Dose today"].startswith("Draft: ") and row["Status"] == "Draft (not started)"
    assert row["Next step change"].startswith("Draft: ")
    cal = PlanCalendar()
    qtbot.addWidget(cal)
    cal.set_today(TODAY)
    cal.set_plan(info.course, go_today=True)
    assert "draft" in cal.cell(TODAY).marks
    assert cal.summary_text().startswith("DRAFT, not started")
    assert "Draft (not started): nothing here is to be taken" in cal.day_detail_text()


def test_a_completed_plan_shows_no_dose(qtbot, monkeypatch):
    info = patient_plan(CROSSOVER, [StatusChange("active", START), StatusChange("completed", date(2027, 1, 5))])
    row = list_row(monkeypatch, info, TODAY)
    assert row["Dose today"] == "No dose (plan completed)" and row["Next step change"] == ""
    cal = PlanCalendar()
    qtbot.addWidget(cal)
    cal.set_today(TODAY)
    cal.set_plan(info.course, go_today=True)
    assert cal.cell(TODAY).total_text == "" and "no more doses" in cal.day_detail_text()


def test_crossover_switch_days_are_step_changes_with_words(qtbot, monkeypatch):
    info = patient_plan(CROSSOVER, [StatusChange("active", START)])
    switch = date(2026, 12, 8)  # the morning lorazepam becomes diazepam
    row = list_row(monkeypatch, info, date(2026, 12, 2))
    assert row["Next step change"] == "2026-12-08 (switch)"
    cal = PlanCalendar()
    qtbot.addWidget(cal)
    cal.set_today(date(2026, 12, 2))
    cal.set_plan(info.course, go_today=True)
    assert "step_change" in cal.cell(switch).marks
    assert cal.next_step_change() == switch
    cal.go_next_step_change()
    assert "Your morning dose changes from lorazepam 1 mg to diazepam 10 mg today." in cal.day_detail_text()
    # day 1 is the first switch, not "Starting dose"
    cal.select_date(START)
    detail = cal.day_detail_text()
    assert "starting dose" not in detail.lower()
    assert "Your night dose changes from lorazepam 1 mg to diazepam 10 mg today." in detail
    assert cal.cell(START).marks >= {"step_change"} and "start" not in cal.cell(START).marks


def test_what_to_take_opens_on_today_for_every_patient(qtbot, window_with_two):
    window, first, second = window_with_two
    window.select_patient(first.id)
    calendar = window.plan_tab.calendar
    today = window.today
    assert calendar.detail_heading() == f"Today, {today:%A} {today.day} {today:%B %Y}"
    other = today + timedelta(days=94)
    calendar.select_date(other)
    assert calendar.detail_heading() == f"{other:%A} {other.day} {other:%B %Y} (not today)"
    window.select_patient(second.id)
    assert calendar.selected_date() == today
    assert calendar.detail_heading() == f"Today, {today:%A} {today.day} {today:%B %Y}"


@pytest.fixture
def window_with_two(qtbot, clinician):
    from taperdesk.clinic import plans as operations
    from taperdesk.ui.workspace import Workspace

    first = storage.add_patient(name="Ana López", born=date(1956, 3, 12), identifier="TD-1", author=clinician)
    second = storage.add_patient(name="Ben Okafor", born=date(1961, 7, 2), identifier="TD-2", author=clinician)
    # status changes are stamped with the clock: the window's today is the real one
    settings = PlanSettings(start=date.today())
    for p in (first, second):
        plan = make_plan(Regimen("diazepam", (("night", 10.0),)), settings)
        operations.start_plan(patient_id=p.id, plan=plan, settings=settings, author=clinician)
    w = Workspace(clinician=clinician, today=date.today())
    qtbot.addWidget(w)
    w.show()
    return w, first, second


def test_ending_a_taper_in_the_window_keeps_the_dose_everywhere(qtbot, window_with_two):
    window, first, _ = window_with_two
    window.select_patient(first.id)
    assert window.apply_status("stopped", "patient chose to stay on this dose")
    assert window.last_message == "The plan is now: Taper ended, dose continues."
    row = window.patients.row_of(first.id)
    cell = lambda title: window.patients.index(row, column_of(title)).data()  # noqa: E731
    assert cell("Status") == "Taper ended, dose continues"
    assert cell("Dose today") == "diazepam 10 mg (continues)"
    assert cell("Next step change") == "None (taper ended)"
    calendar = window.plan_tab.calendar
    assert calendar.cell(window.today).total_text == "10 mg" and "continues" in calendar.cell(window.today).marks
    later = [d for d in window.current.plan.cut_dates()]
    assert later and not any("step_change" in calendar.cell(d).marks for d in later)
    assert "Taper ended" in window.plan_tab.summary.text()
