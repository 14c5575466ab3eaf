"""The Symptoms tab reads less on a patient switch (definitions kept per clinic,
one pass per scale, each row's texts worked out once) and shows the same: for
random records (corrections, retractions, two entries a day, side effects, an
entry made with an older version of its scale) the entries table says what the
row functions say, and the plot is given exactly the series the tab gave it
before (worked out here the way it was)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt

from taperdesk import storage
from taperdesk.core.side_effects import SIDE_EFFECTS, side_effect_points
from taperdesk.ui.symptoms import SymptomsTab
from taperdesk.ui.symptoms.entries_table import COLUMNS, entry_rows
from taperdesk.ui.symptoms.plot import Series, x_day
from taperdesk.ui.symptoms.tab import SIDE_EFFECT_TITLES
from tests.conftest import examples

TODAY = dt.date.today()  # storage refuses entries dated after the real today
NUMBERS = itertools.count(1)


@pytest.fixture
def tab(qtbot, clinician):
    t = SymptomsTab(author=clinician, today=TODAY)
    qtbot.addWidget(t)
    t.resize(1000, 700)
    t.show()
    qtbot.waitExposed(t)
    return t


def series_as_before(definitions, current) -> list[Series]:
    """The tab's series as it worked them out before: each scale over every entry."""
    series = []
    for key, definition in definitions.items():
        points = []
        for entry in current:
            if entry.scale == key:
                value = entry.items.get(definition.headline) if definition.headline else entry.total
                if value is not None:
                    points.append((entry.date, value))
        if points:
            low, high = definition.value_range
            series.append(Series(key, definition.title, tuple(points), low, high, definition.bands))
    daily = definitions["daily"]
    for key, points in side_effect_points((e.date, e.scale, e.items) for e in current).items():
        item = daily.item(key)
        series.append(Series(f"daily:{key}", SIDE_EFFECT_TITLES[key], tuple(points), item.low, item.high))
    return series


@st.composite
def records(draw):
    """(days ago, scale, scores, corrected scores or None, retracted?) for a few entries."""
    out = []
    for _ in range(draw(st.integers(0, 6))):
        scale = draw(st.sampled_from(["daily", "ciwa-b"]))
        if scale == "daily":
            def scores():
                extra = draw(st.lists(st.sampled_from(SIDE_EFFECTS), unique=True, max_size=2))
                return {"severity": draw(st.integers(0, 10)), **{k: draw(st.integers(0, 3)) for k in extra}}
        else:
            def scores():
                return {i.key: draw(st.integers(0, 4)) for i in storage.scale_definitions()["ciwa-b"].items}
        first = scores()
        out.append((draw(st.integers(0, 3)), scale, first, scores() if draw(st.booleans()) else None,
                    draw(st.booleans())))
    return out


@settings(max_examples=examples(10, 200), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(made=records(), edit_first=st.booleans())
def test_rows_and_plot_series_are_what_they_were(tab, clinician, made, edit_first):
    patient = storage.add_patient(name="Ana López", born=dt.date(1970, 5, 1), identifier=f"TD-{next(NUMBERS):04}",
                                  author=clinician)
    for n, (ago, scale, scores, fixed, retract) in enumerate(made):
        if edit_first and n == 1:  # later entries made with a clinic's own version of the CIWA-B
            edited = storage.scale_definitions()["ciwa-b"].to_dict()
            edited["title"] = f"CIWA-B (form {storage.scale_definitions()['ciwa-b'].version + 1})"
            edited["bands"] = [{"low": 0, "high": 40, "label": "lower"}, {"low": 41, "high": 80, "label": "higher"}]
            storage.save_scale_definition(definition=edited, author=clinician)
        entry = storage.add_symptom_entry(patient_id=patient.id, date=TODAY - dt.timedelta(days=ago), scale=scale,
                                          items=scores, author=clinician)
        if fixed is not None:
            entry = storage.correct_symptom_entry(entry_id=entry.id, items=fixed, author=clinician, note="misheard")
        if retract:
            storage.retract_symptom_entry(entry_id=entry.id, reason="wrong patient", author=clinician)
    given_to_plot = []
    set_data = tab.plot.set_data
    tab.plot.set_data = lambda plan, series: (given_to_plot.append(series), set_data(plan, series))
    tab.set_patient(patient.id, None)

    entries = storage.symptom_entries(patient_id=patient.id, include_history=True)
    names = {c.id: c.name for c in storage.list_clinicians(include_inactive=True)}
    made_with = {(e.scale, e.scale_version): storage.scale_definition(key=e.scale, version=e.scale_version)
                 for e in entries}
    rows = entry_rows(entries, names=names, definitions=made_with)
    m = tab.model
    assert m.rowCount() == len(rows)
    for r, row in enumerate(rows):
        for c, (_title, text) in enumerate(COLUMNS):
            for _twice in range(2):  # the second answer comes from the row's kept texts
                assert m.data(m.index(r, c)) == text(row)
        grey = m.data(m.index(r, 0), Qt.ItemDataRole.ForegroundRole)
        assert (grey is None) == row.current
        assert m.data(m.index(r, 0), Qt.ItemDataRole.ToolTipRole).startswith(f"Entered by {row.who} at ")
    assert m.data(m.index(len(rows), 0)) is None and m.data(m.index(0, len(COLUMNS))) is None
    assert given_to_plot == [series_as_before(storage.scale_definitions(), [r.entry for r in rows if r.current])]
    for series in given_to_plot[0]:  # and the plot draws them, by day
        xs, ys = tab.plot.series_data(series.key)
        assert sorted(zip((p[0] for p in series.points), (float(p[1]) for p in series.points)),
                      key=lambda p: p[0]) == sorted(zip((x_day(x) for x in xs), ys), key=lambda p: p[0])
