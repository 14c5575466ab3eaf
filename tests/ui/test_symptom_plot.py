"""The symptom–dose plot draws the engine's own plan and the scores it is
given: checked through the plot's data, not its pixels. No sleeps."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QPointF, Qt

from taperdesk.core.edits import hold
from taperdesk.core.planner import make_plan
from taperdesk.core.quantity import fmt_mg
from taperdesk.core.regimen import Regimen
from taperdesk.core.scales import load_scales
from taperdesk.core.settings import PlanSettings
from taperdesk.ui.symptoms.plot import Series, SymptomPlot

START = date(2026, 12, 1)
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
    widget = SymptomPlot()
    qtbot.addWidget(widget)
    widget.resize(1000, 520)
    return widget


def test_dose_curve_is_the_plans_steps(plot, plan):
    plot.set_data(plan, [])
    xs, ys = plot.dose_curve_data()
    assert xs == [midnight(s.start) for s in plan.steps] + [midnight(plan.end + timedelta(days=1))]
    assert ys == [s.diazepam_eq_mg for s in plan.steps] + [plan.steps[-1].diazepam_eq_mg]
    assert plot.dose_curve.opts["stepMode"] == "right"


def test_series_are_the_points_as_percent_of_their_range(plot, plan, series):
    plot.set_data(plan, series)
    for s in series:
        xs, ys = plot.series_data(s.key)
        assert xs == [midnight(d) + DAY / 2 for d, _ in s.points]  # each score at its day's noon
        assert ys == pytest.approx([(v - s.low) / (s.high - s.low) * 100 for _, v in s.points])
    assert plot.series_data("ciwa-b")[1] == pytest.approx([15.0, 33.75, 55.0])


def test_points_out_of_order_are_drawn_in_date_order(plot):
    s = Series("daily", "Daily rating", ((date(2027, 1, 3), 4), (date(2027, 1, 1), 2)), 0, 10, ())
    plot.set_data(None, [s])
    assert plot.series_data("daily") == ([midnight(date(2027, 1, 1)) + DAY / 2, midnight(date(2027, 1, 3)) + DAY / 2], [20.0, 40.0])


def test_markers_are_the_cuts_and_the_holds(plot, plan):
    plot.set_data(plan, [])
    marks = plot.marker_dates()
    assert marks["step_change"] == plan.cut_dates()
    assert marks["hold"] == [h.start for h in plan.holds()] and len(marks["hold"]) == 1
    assert not plot._holds[0].movable
    # a ▼ sits on the corner of each drop: the dose before the cut
    xs, ys = plot.cut_markers.getData()
    for day, x, y in zip(plan.cut_dates(), xs, ys):
        assert x == midnight(day) and y == plan.eq_on(day - timedelta(days=1))


def test_bands_are_shaded_on_the_right_axis(plot, plan, series):
    plot.set_data(plan, series)
    regions = [item for item in plot._drawn["ciwa-b"].bands if hasattr(item, "getRegion")]
    # CIWA-B: none 0, mild 1-20, moderate 21-40, severe 41-60, very severe 61-80; each up to its top score + 0.5
    assert [round(r.getRegion()[1], 4) for r in regions] == [0.625, 25.625, 50.625, 75.625, 100.0]
    labels = [item.textItem.toPlainText() for item in plot._drawn["ciwa-b"].bands if not hasattr(item, "getRegion")]
    assert labels == ["CIWA-B mild", "CIWA-B moderate", "CIWA-B severe", "CIWA-B very severe"]
    assert plot._drawn["daily"].bands == []
    # the same bands again: the same items; a clinic's edited bands: drawn anew
    before = list(plot._drawn["ciwa-b"].bands)
    plot.set_data(plan, series)
    assert plot._drawn["ciwa-b"].bands == before
    edited = Series("ciwa-b", "CIWA-B", series[1].points, 0, 80, series[1].bands[:2])
    plot.set_data(plan, [series[0], edited])
    regions = [item for item in plot._drawn["ciwa-b"].bands if hasattr(item, "getRegion")]
    assert [round(r.getRegion()[1], 4) for r in regions] == [0.625, 25.625]


def test_toggling_hides_a_series_and_its_bands(qtbot, plot, plan, series):
    plot.set_data(plan, series)
    box = plot._drawn["ciwa-b"].box
    assert plot.series_visible("ciwa-b") and box.isChecked()
    plot.set_series_visible("ciwa-b", False)
    assert not plot.series_visible("ciwa-b") and not box.isChecked()
    assert not any(item.isVisible() for item in plot._drawn["ciwa-b"].bands)
    assert plot.series_visible("daily")
    # still off after a redraw with new data
    plot.set_data(plan, series)
    assert not plot.series_visible("ciwa-b")
    box.click()
    assert plot.series_visible("ciwa-b")
    assert all(item.isVisible() for item in plot._drawn["ciwa-b"].bands)


def test_toggles_have_distinct_mnemonics(plot, plan, series):
    plot.set_data(plan, series)
    texts = [d.box.text() for d in plot._drawn.values()] + [plot.reset_button.text()]
    keys = [t[t.index("&") + 1].lower() for t in texts]
    assert len(set(keys)) == len(keys), texts


def test_hover_gives_the_dose_in_force_and_the_scores(plot, plan, series):
    plot.set_data(plan, series)
    day = START + timedelta(days=30)
    text = plot.hover_text(midnight(day) + 3600, 5.0)
    step = plan.step_on(day)
    assert f"{fmt_mg(step.diazepam_eq_mg)} mg diazepam-eq/day" in text
    assert "Daily rating: 10 of 10 (100% of scale range)" in text  # day 30: (30 // 3) % 11
    assert "CIWA-B: 27 of 80 (34% of scale range), moderate" in text
    # the hold's reason, and a crossover's two drugs
    hold_day = plan.holds()[0].start + timedelta(days=2)
    assert "Hold: flare after the cut" in plot.hover_text(midnight(hold_day), 0)
    first = plot.hover_text(midnight(START), 0)
    assert "lorazepam 1 mg + diazepam 10 mg" in first or "diazepam 10 mg + lorazepam 1 mg" in first
    # hidden series are not reported
    plot.set_series_visible("daily", False)
    assert "Daily rating" not in plot.hover_text(midnight(day), 5.0)


def test_hover_names_a_nearby_score_with_its_date(plot, plan, series):
    plot.set_data(plan, [series[1]])
    text = plot.hover_text(midnight(START + timedelta(days=33)), 0)
    assert "CIWA-B: 27 of 80" in text and "31 Dec 2026" in text
    assert "No scores within" in plot.hover_text(midnight(START + timedelta(days=46)), 0)


def test_hover_label_follows_the_mouse(qtbot, plot, plan, series):
    plot.set_data(plan, series)
    plot.show()
    qtbot.waitExposed(plot)
    day = START + timedelta(days=30)
    scene = plot.dose_view.mapViewToScene(QPointF(midnight(day) + DAY / 2, 5.0))
    plot.graphics.scene().sigMouseMoved.emit(scene)
    assert plot.hover_label.isVisible()
    assert plot.hover_label.textItem.toPlainText() == plot.hover_text(midnight(day) + DAY / 2, 5.0)
    plot.graphics.scene().sigMouseMoved.emit(QPointF(-50, -50))
    assert not plot.hover_label.isVisible()


def test_click_at_emits_the_day(qtbot, plot, plan):
    plot.set_data(plan, [])
    with qtbot.waitSignal(plot.dateClicked) as blocker:
        plot.click_at(midnight(date(2027, 2, 3)) + 20 * 3600)
    assert blocker.args == [date(2027, 2, 3)]


def test_a_mouse_click_on_a_point_emits_its_day(qtbot, plot, plan, series):
    plot.set_data(plan, series)
    plot.show()
    qtbot.waitExposed(plot)
    plot.set_series_visible("daily", False)
    day, value = series[1].points[1]
    pct = (value - series[1].low) / (series[1].high - series[1].low) * 100
    scene = plot.symptom_view.mapViewToScene(QPointF(midnight(day) + DAY / 2, pct))
    at = plot.graphics.mapFromScene(scene) + QPointF(3, 2).toPoint()  # a few pixels off still hits it
    with qtbot.waitSignal(plot.dateClicked) as blocker:
        qtbot.mouseClick(plot.graphics.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert blocker.args == [day]


def test_a_click_near_a_point_snaps_to_it(qtbot, plot, plan, series):
    plot.set_data(plan, [series[1]])
    plot.show()
    qtbot.waitExposed(plot)
    day, value = series[1].points[2]
    scene = plot.symptom_view.mapViewToScene(QPointF(midnight(day) + DAY / 2, 55.0))
    assert plot._day_at_scene(scene + QPointF(7, 0)) == day  # off the symbol, within SNAP_PX
    far = scene + QPointF(40, 0)
    assert plot._day_at_scene(far) == date.fromordinal(EPOCH.toordinal() + int(plot.dose_view.mapSceneToView(far).x() // DAY))
    assert plot._day_at_scene(far) > day


def test_a_click_on_a_cut_marker_emits_the_cut_day(qtbot, plot, plan):
    plot.set_data(plan, [])
    plot.show()
    qtbot.waitExposed(plot)
    cut = plan.cut_dates()[0]
    scene = plot.dose_view.mapViewToScene(QPointF(midnight(cut), plan.eq_on(cut - timedelta(days=1))))
    with qtbot.waitSignal(plot.dateClicked) as blocker:
        qtbot.mouseClick(plot.graphics.viewport(), Qt.MouseButton.LeftButton, pos=plot.graphics.mapFromScene(scene))
    assert blocker.args == [cut]


def test_a_click_on_empty_plot_emits_the_day_under_it(qtbot, plot, plan):
    plot.set_data(plan, [])
    plot.show()
    qtbot.waitExposed(plot)
    day = date(2027, 3, 10)
    scene = plot.dose_view.mapViewToScene(QPointF(midnight(day) + DAY / 2, 1.0))
    with qtbot.waitSignal(plot.dateClicked) as blocker:
        qtbot.mouseClick(plot.graphics.viewport(), Qt.MouseButton.LeftButton, pos=plot.graphics.mapFromScene(scene))
    assert blocker.args == [day]


def test_reset_view_shows_the_whole_plan_and_scores(plot, plan, series):
    plot.set_data(plan, series)
    plot.dose_view.setXRange(midnight(START), midnight(START + timedelta(days=10)), padding=0)
    plot.reset_button.click()
    (x0, x1), (y0, y1) = plot.dose_view.viewRange()
    assert x0 < midnight(plan.start) and x1 > midnight(plan.end + timedelta(days=1))
    assert y0 < 0 < max(s.diazepam_eq_mg for s in plan.steps) < y1
    assert plot.symptom_view.viewRange()[0] == pytest.approx([x0, x1])


def test_a_new_score_inside_the_plan_keeps_the_users_zoom(plot, plan, series):
    plot.set_data(plan, series)
    zoom = (midnight(START), midnight(START + timedelta(days=20)))
    plot.dose_view.setXRange(*zoom, padding=0)
    more = Series("daily", "Daily rating", series[0].points + ((START + timedelta(days=130), 3),), 0, 10, ())
    plot.set_data(plan, [more, series[1]])
    assert plot.dose_view.viewRange()[0] == pytest.approx(list(zoom))


def test_symbols_only_when_points_are_apart(plot, plan, series):
    plot.set_data(plan, series)
    daily, ciwa = plot._drawn["daily"], plot._drawn["ciwa-b"]
    assert ciwa.item.opts["symbol"] == "s"  # three points: room for symbols
    plot.dose_view.setXRange(midnight(START), midnight(START + timedelta(days=14)), padding=0)
    assert daily.item.opts["symbol"] == "o"
    dense = Series("daily", "Daily rating", tuple((START + timedelta(days=i), i % 11) for i in range(3650)), 0, 10, ())
    plot.set_data(plan, [dense, series[1]])
    plot.reset_view()
    assert plot._drawn["daily"].item.opts["symbol"] is None


def test_crowded_cut_markers_step_aside(plot):
    from taperdesk.core.dispensing import DrugStock

    long = make_plan(
        Regimen("diazepam", (("morning", 20.0), ("night", 20.0))),
        PlanSettings(start=START, cut_percent=3, interval_days=28, stock=(DrugStock("diazepam", liquid=True),)),
    )
    plot.set_data(long, [])
    assert plot.cut_markers.opacity() == 0.0  # ~150 cuts in 1000 pixels: the curve alone
    assert plot.marker_dates()["step_change"] == long.cut_dates()  # still there for a click
    plot.dose_view.setXRange(midnight(START), midnight(START + timedelta(days=365)), padding=0)
    assert plot.cut_markers.opacity() == 1.0


def test_empty(plot, plan, series):
    plot.set_data(plan, series)
    plot.set_data(None, [])
    assert plot.dose_curve_data() == ([], [])
    assert plot.marker_dates() == {"step_change": [], "hold": []}
    assert plot._drawn == {}
    assert plot.hover_text(midnight(START), 0) == "Tue 1 Dec 2026\nDose: no plan"
    plot.reset_view()
    plot.click_at(midnight(START))
    # a scale with no entries yet: a toggle, nothing drawn
    plot.set_data(plan, [Series("bwsq", "BWSQ", (), 0, 40, ())])
    assert plot.series_data("bwsq") == ([], [])
    assert "No scores within 7 days" in plot.hover_text(midnight(START), 0)


def test_legend_names_every_layer(plot, plan, series):
    plot.set_data(plan, series)
    names = [label.text for _, label in plot.legend.items]
    assert names == ["diazepam-eq dose", "dose goes down", "hold (same dose kept)", "Daily rating (0–10)", "CIWA-B (0–80)"]


def test_the_legend_toggles_too_and_the_checkbox_follows(qtbot, plot, plan, series):
    plot.set_data(plan, series)
    plot.show()
    qtbot.waitExposed(plot)
    samples = {label.text: sample for sample, label in plot.legend.items}

    def click(sample):
        centre = sample.mapToScene(sample.boundingRect().center())
        qtbot.mouseClick(plot.graphics.viewport(), Qt.MouseButton.LeftButton, pos=plot.graphics.mapFromScene(centre))

    click(samples["CIWA-B (0–80)"])
    assert not plot.series_visible("ciwa-b") and not plot._drawn["ciwa-b"].box.isChecked()
    click(samples["hold (same dose kept)"])
    assert not plot._holds[0].isVisible()
    click(samples["hold (same dose kept)"])
    assert plot._holds[0].isVisible()
