"""The patient handout follows the plan's status: a paused plan keeps its dose
"until your clinic tells you otherwise", an ended taper names the dose that
continues (never "your last dose"), a completed plan has no calendar, and a
draft is refused unless asked for, then says DRAFT on every page."""

from __future__ import annotations

from datetime import date

import pytest

from taperdesk.core.in_force import StatusChange
from taperdesk.core.planner import make_plan
from taperdesk.core.regimen import Regimen
from taperdesk.core.settings import PlanSettings
from taperdesk.export.fonts import ExportError
from tests.export.paper_reading import calendar_cells
from tests.export.test_patient_handout import pages_text, render

START = date(2026, 9, 1)
PLAN = make_plan(Regimen("diazepam", (("morning", 5.0), ("night", 10.0))), PlanSettings(start=START))
ACTIVE = StatusChange("active", START)


def _cells_text(pdf):
    cells, _ = calendar_cells(pdf)
    return {day: found[0] for day, found in cells.items()}


def test_ended_taper_keeps_its_dose_and_never_says_last_dose():
    on = date(2026, 10, 19)
    dose_then = {d.time: d for d in PLAN.doses_on(on)}
    pdf = render(PLAN, statuses=(ACTIVE, StatusChange("stopped", on, "patient chose to stay on the current dose")),
                 printed_on=date(2026, 10, 20))
    text = pages_text(pdf)
    assert "Your last dose" not in " ".join(text)
    assert "Your clinic has ended the taper. Keep taking morning" in text[0]
    assert f"night {dose_then['night'].mg:g} mg diazepam" in text[0]
    cells = _cells_text(pdf)
    later = [d for d in cells if d > on and cells[d].boxes]
    assert later and all(f"Night {dose_then['night'].mg:g} mg" in cells[d].text for d in later)
    assert min(cells) == date(2026, 10, 1)  # September is past: left out


def test_paused_plan_says_keep_taking_until_told():
    on = date(2026, 10, 5)
    pdf = render(PLAN, statuses=(ACTIVE, StatusChange("paused", on)), printed_on=date(2026, 10, 6))
    first = pages_text(pdf)[0]
    assert "Your plan is paused. Keep taking" in first and "until your clinic tells you otherwise" in first
    cells = _cells_text(pdf)
    assert cells[on].text.startswith("PAUSED")
    night = {d.time: d for d in PLAN.doses_on(on)}["night"]
    assert all(f"Night {night.mg:g} mg" in cells[d].text for d in cells if d >= on)


def test_completed_plan_has_no_calendar():
    pdf = render(PLAN, statuses=(ACTIVE, StatusChange("completed", date(2026, 11, 1))), printed_on=date(2026, 11, 2))
    text = pages_text(pdf)
    assert "Your plan is complete. You take no more of this medicine." in text[0]
    assert calendar_cells(pdf) == ({}, 0)
    assert "What to take" not in text[0]


def test_draft_refused_unless_asked_then_marked_on_every_page():
    draft = (StatusChange("draft", START),)
    with pytest.raises(ExportError, match="draft"):
        render(PLAN, statuses=draft)
    text = pages_text(render(PLAN, statuses=draft, allow_draft=True, diary_weeks=1))
    assert "DRAFT: this plan has not been agreed yet" in text[0]
    assert all("DRAFT: not agreed, do not follow" in page and "DRAFT · Plan revision 3" in page for page in text)
