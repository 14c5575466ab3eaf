"""No day without its dose: for generated plans (1-4 dose times, crossovers,
liquids, capsules, holds, long names, paused and ended tapers; A4 and Letter) the
handout's calendar is read cell by cell, as a patient reads it, against the one
answer to "what is taken on day D" (InForce).

The example count is modest so the suite stays quick; TAPERDESK_PAPER_EXAMPLES=400
runs the long version (and BLANK_DAY_REPORT=path writes the tally)."""

from __future__ import annotations

import os
from datetime import date, timedelta

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from taperdesk.core.edits import hold
from taperdesk.core.in_force import InForce, StatusChange
from taperdesk.core.planner import make_plan
from taperdesk.core.regimen import PlanInputError
from taperdesk.core.words import units_in_words
from taperdesk.export.handout_data import HandoutClinic, HandoutPatient
from taperdesk.export.calendar_pages import calendar_range
from taperdesk.export.patient_handout import patient_handout_pdf
from taperdesk.export.patient_text import TIME_LABELS, dose_mg
from tests.core.strategies import plan_inputs
from tests.export.paper_reading import calendar_cells

EXAMPLES = int(os.environ.get("TAPERDESK_PAPER_EXAMPLES", "20"))
CLINIC = HandoutClinic(name="Harbour Street Clinic", address="12 Harbour Street", phone="023 9200 0100",
                       prescriber="Dr Ines Okafor", letterhead="", paper_size="A4")
NAMES = st.one_of(st.sampled_from(["Zoë Łukasiewicz", "Анна Петрова", "María José Fernández-Gutiérrez"]),
                  st.text(alphabet="abcdefghij klmnopqrstuvwxyzÉé-'", min_size=1, max_size=300).filter(str.strip))


@st.composite
def handout_cases(draw):
    regimen, plan_settings = draw(plan_inputs())
    try:
        plan = make_plan(regimen, plan_settings)
    except PlanInputError:
        assume(False)
    if draw(st.booleans()) and plan.end > plan.start + timedelta(days=2):
        offset = draw(st.integers(0, (plan.end - plan.start).days - 1))
        day = plan.start + timedelta(days=offset)
        step = plan.step_on(day)
        if step is not None and step.kind != "stop":
            plan = hold(plan, day, draw(st.integers(1, 28)), "Sleep poor after the cut")
    # print somewhere in the plan, at most ~four months before its end (months
    # before the printing month are left out, which keeps each example short)
    span = (plan.end - plan.start).days
    printed = plan.start + timedelta(days=max(0, span - draw(st.integers(0, 120))))
    statuses: tuple[StatusChange, ...] = ()
    status = draw(st.sampled_from(["active", "active", "paused", "stopped"]))
    if status != "active":
        on = plan.start + timedelta(days=draw(st.integers(0, max(0, span))))
        statuses = (StatusChange("active", plan.start - timedelta(days=1)), StatusChange(status, on))
    name = draw(NAMES)
    paper = draw(st.sampled_from(["A4", "Letter"]))
    return plan, statuses, printed, name, paper


def check_calendar(plan, statuses, printed, pdf) -> list[str]:
    """Every problem a reader would meet, one line each (empty when the calendar is right)."""
    course = InForce(plan, statuses)
    span = calendar_range(course, printed)
    cells, _pages = calendar_cells(pdf)
    if span is None:
        return [f"calendar printed for a plan with nothing to take: {sorted(cells)[:3]}"] if cells else []
    multi = len({d.drug for s in plan.steps for d in s.doses}) > 1
    problems = []
    for answer in course.days(*span):
        found = cells.get(answer.day, [])
        if len(found) != 1:
            problems.append(f"{answer.day}: printed {len(found)} times")
            continue
        cell = found[0]
        if cell.smallest < 9:
            problems.append(f"{answer.day}: text at {cell.smallest} pt")
        if answer.state == "stop_day":
            if "No more doses" not in cell.text:
                problems.append(f"{answer.day}: stop day says {cell.text!r}")
            continue
        if not (answer.in_force or answer.draft):  # a draft printed on request shows its doses, marked DRAFT
            if cell.boxes:
                problems.append(f"{answer.day}: {cell.boxes} boxes on a day with nothing to take ({answer.state})")
            continue
        if cell.boxes != len(answer.doses):
            problems.append(f"{answer.day}: {cell.boxes} tick boxes for {len(answer.doses)} doses")
        for dose in answer.doses:
            words = " ".join(x for x in (TIME_LABELS[dose.time], dose_mg(dose), dose.drug if multi else "",
                                          units_in_words(dose.units)) if x)
            if words not in cell.text:
                problems.append(f"{answer.day}: {words!r} not in {cell.text!r}")
    return problems


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=handout_cases())
def test_every_day_prints_its_doses(case):
    plan, statuses, printed, name, paper = case
    clinic = HandoutClinic(**{**CLINIC.__dict__, "paper_size": paper})
    patient = HandoutPatient(name, date(1960, 5, 17), "TD-0099")
    pdf = patient_handout_pdf(plan=plan, patient=patient, clinic=clinic, revision=1, printed_on=printed,
                              statuses=statuses, diary_weeks=0, invariant=True)
    problems = check_calendar(plan, statuses, printed, pdf)
    report = os.environ.get("BLANK_DAY_REPORT")
    if report:
        course = InForce(plan, statuses)
        span = calendar_range(course, printed)
        days = (span[1] - span[0]).days + 1 if span else 0
        with open(report, "a", encoding="utf-8") as out:
            out.write(f"{days}\t{len(problems)}\t{plan.drug}\t{paper}\n")
    assert not problems, "\n".join(problems[:10])
