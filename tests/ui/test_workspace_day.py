"""A window left open past midnight moves to the new day (ui/workspace_day.py):
read the way the clinician reads it, every surface that says "today" answers
for the new day, not the day the window was opened on."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from taperdesk import storage
from taperdesk.clinic.today import today_opening
from taperdesk.ui.patient_list import COLUMNS, dose_text

TODAY = date.today()


@pytest.fixture
def window(qtbot, open_demo):
    from taperdesk.ui.workspace import Workspace

    w = Workspace(clinician=storage.list_clinicians()[0])  # no day given: it follows the clock
    qtbot.addWidget(w)
    w.show()
    return w


def _doses(w, day: date) -> list[tuple[str, str]]:
    """The patient list's "Dose today" column as shown, and what it should say on `day`."""
    model, col = w.patients, COLUMNS.index("Dose today")
    return [(model.index(r, col).data(), dose_text(model.plan_of(model.patient(r).id), day))
            for r in range(model.rowCount())]


def test_a_window_left_open_overnight_moves_every_surface_to_the_new_day(window):
    w = window
    assert w.day_timer.isActive() and w.today == TODAY
    w.show_patient(w.patients.patient(0).id)
    w.tabs.setCurrentWidget(w.symptoms_host)
    assert not w.check_the_day()  # the same day: nothing moves
    night = TODAY + timedelta(days=1)
    w.clock = lambda: night
    assert w.check_the_day()
    assert w.today == night
    shown = _doses(w, night)
    assert shown and all(text == want for text, want in shown)
    assert w.plan_tab.calendar._today == night
    assert w.symptoms_tab._today == night and w.tabs.currentWidget() is w.symptoms_host
    title = w.today_view.title.text()
    assert f"{night.day} {night.strftime('%B %Y')}" in title and night.strftime("%A") in title
    opening = today_opening(day=night)
    model = w.today_view.model
    model.build_all()
    heads = [model.index(g, 0).data() for g in range(model.rowCount())]
    assert heads == [f"{title} ({n})" for title, n in _titles(opening)]
    assert "A new day" in w.statusBar().currentMessage()


def _titles(opening):
    from taperdesk.clinic.today import GROUPS

    return [(GROUPS[key], n) for key, n in opening.counts().items() if n]


def test_a_window_opened_on_a_given_day_stays_there(qtbot, open_demo):
    from taperdesk.ui.workspace import Workspace

    w = Workspace(clinician=storage.list_clinicians()[0], today=TODAY - timedelta(days=3))
    qtbot.addWidget(w)
    w.show()
    assert not w.day_timer.isActive() and w.today == TODAY - timedelta(days=3)
    assert w.check_the_day() and w.today == TODAY  # asked by hand, it moves to the clock's day
