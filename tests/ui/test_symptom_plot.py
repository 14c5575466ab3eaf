"""The symptom–dose plot draws the patient's course and the scores it is
given, checked through the plot's data, not its pixels: the dose curve from
the course (a paused or ended plan shows no later cut), each scale in its own
row on its own axis (x-linked), the legend outside the data, and the default
view from the plan's start to eight weeks past today. No sleeps."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QPointF, Qt

from taperdesk.core.edits import hold
from taperdesk.core.in_force import StatusChange, in_force
from taperdesk.core.planner import make_plan
from taperdesk.core.quantity import fmt_mg
from taperdesk.core.regimen import Regimen
from taperdesk.core.scales import load_scales
from taperdesk.core.settings import PlanSettings
from taperdesk.ui.symptoms.plot import Series, SymptomPlot

START = date(2026, 12, 1)
TODAY = date(2026, 12, 20)
EPOCH = date(1970, 1, 1)
DAY = 86400


def midnight(day: date) -> float:
    """Where a day begins on the plot: its midnight in UTC seconds."""
    return float((day - EPOCH).days * DAY)


@pytest.fixture(scope="module")
def plan():
    """Lorazepam crossed over to diazepam, with a three-week hold after the third cut."""
    base = make_plan(Regimen("lorazepam", (("morning", 1.0), ("night", 1.0))), PlanSettings(start=START, crossover=True))
    return hold(base, base.cut_dates()[2], 21, "flare after the cut")


@pytest.fixture(scope="module")
def series():
    ciwa = load_scales()["ciwa-b"]
    daily = tuple((START + timedelta(days=i), (i // 3) % 11) for i in range(0, 120))
    ciwa_points = ((START, 12), (START + timedelta(days=30), 27), (START + timedelta(days=62), 44))
    return [
        Series("daily", "Daily rating", daily, 0, 10, ()),
        Series("ciwa-b", ciwa.title, ciwa_points, ciwa.total_low, ciwa.total_high, ciwa.bands),
    ]


@pytest.fixture
def plot(qtbot):
    widget = SymptomPlot(today=TODAY)
    qtbot.addWidget(widget)
    widget.resize(1000, 620)
    return widget


def test_dose_curve_is_the_course_day_by_day(plot, plan):
    plot.set_data(plan, [])
    course = in_force(plan, [StatusChange("active", date.min)])
    for answer in course.days(plan.start, plan.end):
        assert plot.dose_on(answer.day) == answer.eq_mg, answer.day
    assert plot.dose_on(plan.start - timedelta(days=1)) is None
    assert plot.dose_on(plan.end + timedelta(days=1)) is None  # the stop day is the last drawn
    xs, ys = plot.dose_curve_data()
    assert xs[0] == midnight(plan.start) and xs[-1] == midnight(plan.end + timedelta(days=1))
    assert plot.dose_curve.opts["stepMode"] == "right"


def test_a_paused_or_ended_plan_draws_its_dose_flat_with_no_later_cut(plot, plan):
    for status in ("paused", "stopped"):
        on = date(2027, 1, 10)
        course = in_force(plan, [StatusChange("active", START), StatusChange(status, on)])
        plot.set_data(course, [])
        kept = plan.step_on(on).diazepam_eq_mg
        for day in (on, on + timedelta(days=40), plan.end, TODAY + timedelta(days=56)):
            assert plot.dose_on(day) == kept, (status, day)
        assert all(d <= on for d in plot.marker_dates()["step_change"]), status


def test_a_completed_plan_drops_to_nothing_and_a_draft_draws_no_dose(plot, plan):
    done = date(2027, 1, 10)
    plot.set_data(in_force(plan, [StatusChange("active", START), StatusChange("completed", done)]), [])
    assert plot.dose_on(done - timedelta(days=1)) == plan.step_on(done - timedelta(days=1)).diazepam_eq_mg
    assert plot.dose_on(done) == 0.0 and plot.dose_on(done + timedelta(days=30)) is None
    plot.set_data(in_force(plan, [StatusChange("draft", START)]), [])
    assert plot.dose_curve_data() == ([], [])
    assert "draft" in plot.hover_text(midnight(TODAY))


def test_every_scale_has_its_own_row_and_axis_in_its_own_units(qtbot, plot, plan, series):
    plot.set_data(plan, series)
    plot.show()
    qtbot.waitExposed(plot)
    rows = plot.rows()
    assert len(rows) == 3 and rows[0] is plot.graphics
    for s in series:
        d = plot._drawn[s.key]
        xs, ys = plot.series_data(s.key)
        assert xs == [midnight(day) + DAY / 2 for day, _ in s.points]  # each score at its day's noon
        assert ys == [float(v) for _, v in s.points]  # raw scores, no shared % axis
        y0, y1 = d.view.viewRange()[1]
        assert y0 < s.low and s.high < y1 < s.high * 1.1
        assert d.view.viewRange()[0] == pytest.approx(plot.dose_view.viewRange()[0])  # x-linked
        assert s.title.split()[0] in d.graphics.getPlotItem().getAxis("left").labelText
    # the daily rating's row has no bands: CIWA-B's are only in CIWA-B's row
    assert plot._drawn["daily"].bands == []
    regions = [item for item in plot._drawn["ciwa-b"].bands if hasattr(item, "getRegion")]
    assert [r.getRegion()[1] for r in regions] == [0.5, 20.5, 40.5, 60.5, 80]
    assert all(item.getViewBox() is plot._drawn["ciwa-b"].view for item in regions)
    # stacked top to bottom, only the bottom row labels the dates
    tops = [row.geometry().top() for row in rows]
    assert tops == sorted(tops)
    assert [row.getPlotItem().getAxis("bottom").style["showValues"] for row in rows] == [False, False, True]


def test_the_legend_is_outside_the_data(plot, plan, series):
    plot.set_data(plan, series)
    plot.show()
    assert plot.legend_entries() == ["diazepam-eq dose", "dose changes", "hold (same dose kept)",
                                     "Daily rating (0–10)", "CIWA-B (0–80)"]
    legend_bottom = max(w.geometry().bottom() for w in [plot.holds_box, plot.reset_button]
                        + [d.box for d in plot._drawn.values()])
    assert all(row.geometry().top() > legend_bottom for row in plot.rows())


def test_default_view_is_the_plans_start_to_eight_weeks_past_today(plot, plan, series):
    plot.set_data(plan, series)
    assert plot.home_range() == (START, TODAY + timedelta(days=56))
    (x0, x1), _ = plot.dose_view.viewRange()
    assert x0 <= midnight(START) and midnight(TODAY + timedelta(days=57)) <= x1 < midnight(plan.end)
    plot.dose_view.setXRange(midnight(START), midnight(START + timedelta(days=10)), padding=0)
    plot.reset_button.click()
    assert plot.dose_view.viewRange()[0] == pytest.approx([x0, x1])


def test_markers_are_the_dose_changes_and_the_holds(plot, plan):
    plot.set_data(plan, [])
    course = in_force(plan, [StatusChange("active", date.min)])
    changes = [a.day for a in course.days(plan.start, plan.end) if a.change in ("cut", "switch", "stop")]
    marks = plot.marker_dates()
    assert marks["step_change"] == [d for d in changes if d != plan.start]  # day 1 has nothing before it
    assert marks["hold"] == [h.start for h in plan.holds()] and len(marks["hold"]) == 1
    xs, ys = plot.cut_markers.getData()
    for x, y in zip(xs, ys):  # a ▼ on the corner of each change: the dose the day before
        day = EPOCH + timedelta(days=int(x // DAY))
        assert y == course.on(day - timedelta(days=1)).eq_mg


def test_toggling_hides_a_scale_row(qtbot, plot, plan, series):
    plot.set_data(plan, series)
    plot.show()
    box = plot._drawn["ciwa-b"].box
    assert plot.series_visible("ciwa-b") and box.isChecked()
    plot.set_series_visible("ciwa-b", False)
    assert not plot.series_visible("ciwa-b") and not box.isChecked()
    assert not plot._drawn["ciwa-b"].graphics.isVisible()
    plot.set_data(plan, series)  # still off after a redraw
    assert not plot.series_visible("ciwa-b")
    box.click()
    assert plot.series_visible("ciwa-b") and plot._drawn["ciwa-b"].graphics.isVisible()
    plot.holds_box.click()
    assert not plot.dose.holds[0].isVisible()


def test_toggles_have_distinct_mnemonics(plot, plan, series):
    plot.set_data(plan, series)
    texts = [d.box.text() for d in plot._drawn.values()] + [plot.reset_button.text()]
    keys = [t[t.index("&") + 1].lower() for t in texts]
    assert len(set(keys)) == len(keys), texts


def test_hover_gives_the_dose_in_force_and_the_scores(plot, plan, series):
    plot.set_data(plan, series)
    day = START + timedelta(days=30)
    text = plot.hover_text(midnight(day) + 3600)
    assert f"{fmt_mg(plan.step_on(day).diazepam_eq_mg)} mg diazepam-eq/day" in text
    assert "Daily rating: 10 of 10" in text  # day 30: (30 // 3) % 11
    assert "CIWA-B: 27 of 80, moderate" in text
    hold_day = plan.holds()[0].start + timedelta(days=2)
    assert "Hold: flare after the cut" in plot.hover_text(midnight(hold_day))
    first = plot.hover_text(midnight(START))
    assert "lorazepam 1 mg + diazepam 10 mg" in first or "diazepam 10 mg + lorazepam 1 mg" in first
    plot.set_series_visible("daily", False)
    assert "Daily rating" not in plot.hover_text(midnight(day))
    plot.set_data(plan, [series[1]])
    text = plot.hover_text(midnight(START + timedelta(days=33)))
    assert "CIWA-B: 27 of 80" in text and "31 Dec 2026" in text
    assert "No scores within" in plot.hover_text(midnight(START + timedelta(days=46)))


def test_hover_label_follows_the_mouse_in_any_row(qtbot, plot, plan, series):
    plot.set_data(plan, series)
    plot.show()
    qtbot.waitExposed(plot)
    day = START + timedelta(days=30)
    view = plot._drawn["ciwa-b"].view
    scene = view.mapViewToScene(QPointF(midnight(day) + DAY / 2, 10.0))
    plot._drawn["ciwa-b"].graphics.scene().sigMouseMoved.emit(scene)
    assert plot.hover_label.isVisible()
    assert plot.hover_label.textItem.toPlainText() == plot.hover_text(midnight(day) + DAY / 2)
    plot.graphics.scene().sigMouseMoved.emit(QPointF(-50, -50))
    assert not plot.hover_label.isVisible()


def test_clicks_emit_the_day(qtbot, plot, plan, series):
    plot.set_data(plan, series)
    plot.show()
    qtbot.waitExposed(plot)
    with qtbot.waitSignal(plot.dateClicked) as blocker:
        plot.click_at(midnight(date(2027, 2, 3)) + 20 * 3600)
    assert blocker.args == [date(2027, 2, 3)]
    # a click a few pixels off a CIWA-B point, in its row: that point's day
    d = plot._drawn["ciwa-b"]
    day, value = series[1].points[1]
    scene = d.view.mapViewToScene(QPointF(midnight(day) + DAY / 2, value))
    assert plot._day_at_scene(scene + QPointF(6, 0), d.view) == day
    with qtbot.waitSignal(plot.dateClicked) as blocker:
        at = d.graphics.mapFromScene(scene + QPointF(3, 2))
        qtbot.mouseClick(d.graphics.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert blocker.args == [day]
    # on the dose row, away from anything: the day under the mouse
    empty = date(2027, 1, 20)
    scene = plot.dose_view.mapViewToScene(QPointF(midnight(empty) + DAY / 2, 1.0))
    with qtbot.waitSignal(plot.dateClicked) as blocker:
        qtbot.mouseClick(plot.graphics.viewport(), Qt.MouseButton.LeftButton, pos=plot.graphics.mapFromScene(scene))
    assert blocker.args == [empty]


def test_a_new_score_inside_the_view_keeps_the_users_zoom(plot, plan, series):
    plot.set_data(plan, series)
    zoom = (midnight(START), midnight(START + timedelta(days=20)))
    plot.dose_view.setXRange(*zoom, padding=0)
    more = Series("daily", "Daily rating", series[0].points + ((START + timedelta(days=60), 3),), 0, 10, ())
    plot.set_data(plan, [more, series[1]])
    assert plot.dose_view.viewRange()[0] == pytest.approx(list(zoom))


def test_symbols_only_when_points_are_apart(plot, plan, series):
    plot.set_data(plan, series)
    ciwa = plot._drawn["ciwa-b"]
    assert ciwa.item.opts["symbol"] == "s"  # three points: room for symbols
    plot.dose_view.setXRange(midnight(START), midnight(START + timedelta(days=14)), padding=0)
    assert plot._drawn["daily"].item.opts["symbol"] == "o"
    dense = Series("daily", "Daily rating", tuple((START + timedelta(days=i), i % 11) for i in range(3650)), 0, 10, ())
    plot.set_data(plan, [dense, series[1]])
    plot.dose_view.setXRange(midnight(START), midnight(START + timedelta(days=3650)), padding=0)
    assert plot._drawn["daily"].item.opts["symbol"] is None


def test_crowded_change_markers_step_aside(plot):
    from taperdesk.core.dispensing import DrugStock

    long = make_plan(
        Regimen("diazepam", (("morning", 20.0), ("night", 20.0))),
        PlanSettings(start=START, cut_percent=3, interval_days=14, stock=(DrugStock("diazepam", liquid=True),)),
    )
    plot.set_data(long, [])
    plot.dose_view.setXRange(midnight(START), midnight(long.end), padding=0)
    assert plot.cut_markers.opacity() == 0.0  # ~150 changes in 1000 pixels: the curve alone
    assert plot.marker_dates()["step_change"] == long.cut_dates()  # still there for a click
    plot.dose_view.setXRange(midnight(START), midnight(START + timedelta(days=365)), padding=0)
    assert plot.cut_markers.opacity() == 1.0


def test_empty(plot, plan, series):
    plot.set_data(plan, series)
    plot.set_data(None, [])
    assert plot.dose_curve_data() == ([], [])
    assert plot.marker_dates() == {"step_change": [], "hold": []}
    assert plot._drawn == {} and plot.rows() == [plot.graphics]
    assert plot.hover_text(midnight(START)) == "Tue 1 Dec 2026\nDose: no plan"
    plot.reset_view()
    plot.click_at(midnight(START))
    plot.set_data(plan, [Series("bwsq", "BWSQ", (), 0, 40, ())])
    assert plot.series_data("bwsq") == ([], [])
    assert "No scores within 7 days" in plot.hover_text(midnight(START))


def test_a_scales_row_is_kept_for_the_next_patient_who_has_it(plot, plan, series):
    """Switching to a patient without a scale and back reuses its row (building one cost
    more than drawing ten years), and the row draws the new patient's scores."""
    plot.set_data(plan, series)
    rows = {key: d.graphics for key, d in plot._drawn.items()}
    plot.set_data(plan, series[:1])
    assert plot.rows() == [plot.graphics, rows[series[0].key]]
    assert all(not w.isVisibleTo(plot) for key, w in rows.items() if key != series[0].key)
    fewer = [Series(s.key, s.title, s.points[:3], s.low, s.high, s.bands) for s in series]
    plot.set_data(plan, fewer)
    assert {key: d.graphics for key, d in plot._drawn.items()} == rows
    assert [w.isVisibleTo(plot) for w in plot.rows()] == [True] * len(plot.rows())
    for s in fewer:
        assert plot.series_data(s.key)[1] == [float(v) for _, v in sorted(s.points[:3])]
    assert len(plot.legend_entries()) == 3 + len(series)
