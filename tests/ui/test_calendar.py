"""The plan calendar shows the engine's own days: doses, marks, navigation and
the day's doses in words. Driven through the widget's methods; no sleeps."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTableView

from taperdesk.core.dispensing import DrugStock
from taperdesk.core.edits import hold
from taperdesk.core.in_force import StatusChange, in_force
from taperdesk.core.planner import make_plan
from taperdesk.core.quantity import fmt_mg
from taperdesk.core.regimen import Regimen
from taperdesk.core.settings import PlanSettings
from taperdesk.ui.calendar import MARKS, CellInfo, PlanCalendar
from taperdesk.ui.calendar.days import expand

START = date(2026, 12, 1)
TODAY = date(2026, 12, 9)


@pytest.fixture(scope="module")
def diazepam_plan():
    return make_plan(Regimen("diazepam", (("morning", 5.0), ("night", 5.0))), PlanSettings(start=START))


@pytest.fixture(scope="module")
def crossover_plan():
    return make_plan(
        Regimen("lorazepam", (("morning", 1.0), ("night", 1.0))), PlanSettings(start=START, crossover=True)
    )


@pytest.fixture
def cal(qtbot):
    widget = PlanCalendar()
    qtbot.addWidget(widget)
    widget.set_today(TODAY)
    widget.resize(900, 650)
    return widget


def activate(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def expected_text(step) -> str:
    if len(step.daily_mg) > 1:  # two drugs while switching: diazepam-equivalent
        return f"{fmt_mg(step.diazepam_eq_mg)} mg eq"
    return f"{fmt_mg(sum(step.daily_mg.values()))} mg"


def dose_change_days(plan):
    """Every day the doses change (cuts, crossover switches, the stop), as the core's course says."""
    course = in_force(plan, [StatusChange("active", date.min)])
    return [a.day for a in course.days(plan.start, plan.end) if a.change in ("cut", "switch", "stop")]


def sample_days(plan):
    """The first and last days, every step's first and last day, and a few in between."""
    days = {plan.start, plan.end, plan.start - timedelta(days=1), plan.end + timedelta(days=1)}
    for s in plan.steps:
        days |= {s.start, s.end, s.start + timedelta(days=s.days // 2)}
    return sorted(days)


# -- cells equal the engine ------------------------------------------------

@pytest.mark.parametrize("which", ["diazepam_plan", "crossover_plan"])
def test_cell_totals_are_the_engines_daily_dose(cal, which, request):
    plan = request.getfixturevalue(which)
    cal.set_plan(plan)
    for day in sample_days(plan):
        step = plan.step_on(day)
        cell = cal.cell(day)
        assert isinstance(cell, CellInfo)
        if step is None:
            assert cell.total_text == "", day
        else:
            assert cell.total_text == expected_text(step), day


def test_every_day_of_the_plan_has_a_cell_and_no_other(crossover_plan):
    days = expand(crossover_plan)
    assert list(days) == [d for d, _ in crossover_plan.days()]
    assert all(days[d].step is crossover_plan.step_on(d) for d in days)


def test_text_examples(cal, crossover_plan, diazepam_plan):
    cal.set_plan(crossover_plan)
    assert cal.cell(START).total_text == "20 mg eq"  # lorazepam 1 mg + diazepam 10 mg
    assert cal.cell(crossover_plan.cut_dates()[0]).total_text == "18 mg"
    assert cal.cell(crossover_plan.end).total_text == "0 mg"
    cal.set_plan(diazepam_plan)
    assert cal.cell(START).total_text == "10 mg"


def test_marks_on_cut_stop_start_today_and_symptom_days(cal, diazepam_plan):
    plan = diazepam_plan
    cal.set_plan(plan)
    cuts = plan.cut_dates()
    assert cuts
    assert cal.cell(plan.start).marks == {"start"}
    for day in cuts[:-1]:
        assert cal.cell(day).marks == {"step_change"}, day
        assert "step_change" not in cal.cell(day - timedelta(days=1)).marks
        assert "step_change" not in cal.cell(day + timedelta(days=1)).marks
    # the stop day is the last step down: to nothing
    assert cuts[-1] == plan.end
    assert cal.cell(plan.end).marks == {"stop", "step_change"}
    assert cal.cell(TODAY).marks == {"today"}
    cal.set_symptom_days({TODAY, START + timedelta(days=3), plan.end + timedelta(days=5)})
    assert cal.cell(TODAY).marks == {"today", "symptoms"}
    assert cal.cell(START + timedelta(days=3)).marks == {"symptoms"}
    # outside the plan: blank but symptoms and today still shown
    assert cal.cell(plan.end + timedelta(days=5)) == CellInfo("", frozenset({"symptoms"}))
    cal.set_today(plan.end + timedelta(days=5))
    assert cal.cell(plan.end + timedelta(days=5)).marks == {"symptoms", "today"}
    assert cal.cell(TODAY).marks == {"symptoms"}
    cal.set_symptom_days(set())
    assert cal.cell(START + timedelta(days=3)).marks == frozenset()
    all_marks = set().union(*(cal.cell(d).marks for d, _ in plan.days()))
    assert all_marks <= set(MARKS)


def test_a_hold_marks_its_days_and_shifts_later_step_changes(cal, crossover_plan):
    plan = crossover_plan
    cuts = plan.cut_dates()
    hold_from, hold_days = cuts[1] + timedelta(days=3), 10
    held = hold(plan, hold_from, hold_days, "poor sleep")
    cal.set_plan(held)
    for i in range(hold_days):
        day = hold_from + timedelta(days=i)
        assert "hold" in cal.cell(day).marks, day
        assert cal.cell(day).total_text == cal.cell(hold_from - timedelta(days=1)).total_text
    assert "hold" not in cal.cell(hold_from - timedelta(days=1)).marks
    assert "hold" not in cal.cell(hold_from + timedelta(days=hold_days)).marks
    shown_cuts = [d for d, _ in held.days() if "step_change" in cal.cell(d).marks]
    assert shown_cuts == dose_change_days(held)
    # changes (cuts and switches) before the hold stay; every later one moves by the hold's length
    changes = dose_change_days(plan)
    assert shown_cuts == ([d for d in changes if d < hold_from]
                          + [d + timedelta(days=hold_days) for d in changes if d >= hold_from])
    for old in cuts[2:]:
        assert "step_change" not in cal.cell(old).marks
    assert "stop" in cal.cell(plan.end + timedelta(days=hold_days)).marks
    cal.select_date(hold_from)
    assert "hold, keep taking the same dose (reason: poor sleep)" in cal.day_detail_text()


def test_a_hold_from_a_cut_day_keeps_both_marks(cal, diazepam_plan):
    cut = diazepam_plan.cut_dates()[2]
    cal.set_plan(hold(diazepam_plan, cut, 7, "holiday"))
    assert cal.cell(cut).marks == {"step_change", "hold"}
    assert cal.cell(cut + timedelta(days=1)).marks == {"hold"}


# -- navigation ------------------------------------------------------------

def test_month_navigation(cal, diazepam_plan, qtbot):
    cal.set_plan(diazepam_plan)
    cal.select_date(date(2027, 1, 31))
    assert cal.shown_month() == (2027, 1)
    cal.go_next_month()
    assert cal.shown_month() == (2027, 2)
    assert cal.selected_date() == date(2027, 2, 28)  # the day, clamped to the month
    cal.go_previous_month()
    cal.go_previous_month()
    assert cal.shown_month() == (2026, 12)
    assert cal.selected_date() == date(2026, 12, 28)
    cal.go_next_month()
    assert cal.shown_month() == (2027, 1)
    cal.go_today()
    assert cal.selected_date() == TODAY and cal.shown_month() == (2026, 12)
    cal.select_date(date(2028, 6, 15))
    cal.go_start()
    assert cal.selected_date() == START and cal.shown_month() == (2026, 12)
    for _ in range(13):
        cal.go_next_month()
    assert cal.shown_month() == (2028, 1)


def test_next_step_change(cal, crossover_plan):
    cal.set_plan(crossover_plan)
    cuts = [d for d in dose_change_days(crossover_plan) if d > START]  # switches are changes too
    cal.select_date(START)
    assert cal.go_next_step_change()
    assert cal.selected_date() == cuts[0] and cal.shown_month() == (cuts[0].year, cuts[0].month)
    # from a cut day it goes on to the next one, not the same
    cal.go_next_step_change()
    assert cal.selected_date() == cuts[1]
    cal.select_date(cuts[4] - timedelta(days=1))
    cal.go_next_step_change()
    assert cal.selected_date() == cuts[4]
    cal.select_date(crossover_plan.end)
    assert not cal.go_next_step_change()
    assert cal.selected_date() == crossover_plan.end
    assert not cal.findChild(type(cal._buttons["next_change"]), "next_changeButton").isEnabled()


def test_date_selected_is_emitted_with_a_date(cal, diazepam_plan, qtbot):
    cal.set_plan(diazepam_plan)
    with qtbot.waitSignal(cal.dateSelected) as blocker:
        cal.select_date(date(2027, 3, 4))
    assert blocker.args == [date(2027, 3, 4)]
    assert type(blocker.args[0]) is date
    with qtbot.waitSignal(cal.dateSelected) as blocker:
        cal.go_next_month()
    assert blocker.args == [date(2027, 4, 4)]


def test_buttons_have_tooltips_and_do_the_same(cal, diazepam_plan, qtbot):
    cal.set_plan(diazepam_plan)
    buttons = cal._buttons
    assert "PgUp" in buttons["previous"].toolTip() and "PgDn" in buttons["next"].toolTip()
    assert "T" in buttons["today"].toolTip() and "(N)" in buttons["next_change"].toolTip()
    assert "Home" in buttons["start"].toolTip()
    cal.select_date(date(2027, 2, 10))
    qtbot.mouseClick(buttons["next"], Qt.MouseButton.LeftButton)
    assert cal.shown_month() == (2027, 3)
    qtbot.mouseClick(buttons["previous"], Qt.MouseButton.LeftButton)
    assert cal.shown_month() == (2027, 2)
    qtbot.mouseClick(buttons["today"], Qt.MouseButton.LeftButton)
    assert cal.selected_date() == TODAY
    qtbot.mouseClick(buttons["next_change"], Qt.MouseButton.LeftButton)
    assert cal.selected_date() == diazepam_plan.cut_dates()[0]
    qtbot.mouseClick(buttons["start"], Qt.MouseButton.LeftButton)
    assert cal.selected_date() == START


def test_keyboard(cal, diazepam_plan, qtbot):
    cal.set_plan(diazepam_plan)
    cal.show()
    activate(qtbot, cal)  # shortcuts work in the active window
    cal.select_date(date(2027, 1, 20))
    view = cal.findChild(QTableView)
    view.setFocus()
    assert cal.isAncestorOf(cal.focusWidget())
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert cal.selected_date() == date(2027, 1, 21)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert cal.selected_date() == date(2027, 1, 28)
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert cal.shown_month() == (2027, 2) and cal.selected_date() == date(2027, 2, 28)
    qtbot.keyClick(view, Qt.Key.Key_PageUp)
    assert cal.shown_month() == (2027, 1)
    qtbot.keyClick(view, Qt.Key.Key_T)
    assert cal.selected_date() == TODAY
    qtbot.keyClick(view, Qt.Key.Key_N)
    assert cal.selected_date() == diazepam_plan.cut_dates()[0]
    cal.select_date(date(2027, 5, 5))
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert cal.selected_date() == START
    cal.select_date(date(2027, 5, 5))
    qtbot.keyClick(view, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert cal.selected_date() == TODAY


def test_shortcuts_belong_to_the_calendar_only(qtbot, diazepam_plan):
    """Outside the calendar, N, T, Home and PgUp/PgDn are left to other widgets."""
    from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    search = QLineEdit()
    cal = PlanCalendar()
    layout.addWidget(search)
    layout.addWidget(cal)
    cal.set_today(TODAY)
    cal.set_plan(diazepam_plan)
    window.show()
    activate(qtbot, window)
    cal.setFocus()
    qtbot.keyClick(cal.focusWidget(), Qt.Key.Key_N)  # in the calendar, N works
    assert cal.selected_date() == diazepam_plan.cut_dates()[0]
    search.setFocus()
    before = cal.selected_date()
    qtbot.keyClicks(search, "NT")
    qtbot.keyClick(search, Qt.Key.Key_PageDown)
    assert search.text() == "NT"
    assert cal.selected_date() == before


# -- the day in words ------------------------------------------------------

def test_detail_for_a_half_tablet_day(cal, crossover_plan):
    cal.set_plan(crossover_plan)
    last_dose = crossover_plan.steps[-2]
    cal.select_date(last_dose.start)
    text = cal.day_detail_text()
    assert text.splitlines()[0] == f"{last_dose.start:%A} {last_dose.start.day} {last_dose.start:%B %Y} (not today)"
    assert "Night: 1 mg diazepam — half of a 2 mg tablet" in text
    assert "No more morning dose from today (it was diazepam 1 mg)." in text
    assert "lower dose" in text


def test_detail_lists_each_time_of_day_from_the_step(cal, crossover_plan):
    cal.set_plan(crossover_plan)
    cal.select_date(START)
    lines = cal.day_detail_text().splitlines()
    assert "Morning: 1 mg lorazepam — one 1 mg tablet" in lines
    assert "Night: 10 mg diazepam — one 10 mg tablet" in lines
    assert any("switching from lorazepam to diazepam" in line for line in lines)
    assert "Total for the day: 1 mg lorazepam and 10 mg diazepam (20 mg diazepam-equivalent)." in lines


def test_detail_on_the_stop_day_and_outside_the_plan(cal, diazepam_plan):
    cal.set_plan(diazepam_plan)
    cal.select_date(diazepam_plan.end)
    text = cal.day_detail_text()
    assert "No doses: the taper has stopped." in text
    assert "mg diazepam —" not in text
    cal.select_date(diazepam_plan.end - timedelta(days=1))
    assert "Tomorrow the taper stops" in cal.day_detail_text()
    cal.select_date(diazepam_plan.end + timedelta(days=1))
    assert "No doses: the taper has finished." in cal.day_detail_text()
    cal.select_date(START - timedelta(days=1))
    assert "Not in the plan" in cal.day_detail_text()


def test_detail_mentions_today_and_symptoms(cal, diazepam_plan):
    cal.set_plan(diazepam_plan)
    cal.set_symptom_days({TODAY})
    cal.go_today()
    text = cal.day_detail_text()
    assert text.splitlines()[0] == "Today, Wednesday 9 December 2026"
    assert "Symptoms were written down on this day." in text


def test_liquid_doses_in_words(cal):
    plan = make_plan(
        Regimen("diazepam", (("night", 2.0),)),
        PlanSettings(start=START, stock=(DrugStock("diazepam", (), "none", liquid=True),)),
    )
    cal.set_plan(plan)
    cal.select_date(START)
    assert "Night: 2 mg diazepam — " in cal.day_detail_text()
    assert "mL of the liquid" in cal.day_detail_text()


# -- no plan ---------------------------------------------------------------

def test_no_plan(cal, diazepam_plan, qtbot):
    cal.set_plan(None)
    assert cal.cell(START) == CellInfo("", frozenset())
    assert cal.cell(TODAY).marks == {"today"}
    assert "No active plan" in cal.day_detail_text()
    cal.go_next_step_change()
    cal.go_start()
    cal.go_next_month()
    cal.set_plan(diazepam_plan)
    assert cal.cell(START).total_text == "10 mg"
    cal.set_plan(None)
    assert cal.cell(START).total_text == ""
    assert "No active plan" in cal.day_detail_text()
    cal.show()
    qtbot.waitExposed(cal)
    cal.grab()  # paints without a plan


def test_set_plan_selects_today_or_the_start_and_keeps_a_day_in_the_plan(cal, diazepam_plan):
    cal.select_date(date(2020, 1, 1))
    cal.set_plan(diazepam_plan)
    assert cal.selected_date() == TODAY  # today is in the plan
    cal.select_date(date(2027, 2, 3))
    cal.set_plan(hold(diazepam_plan, date(2027, 1, 5), 7, "flu"))
    assert cal.selected_date() == date(2027, 2, 3)
    cal.set_today(date(2020, 1, 1))
    cal.select_date(date(2020, 1, 1))
    cal.set_plan(diazepam_plan)
    assert cal.selected_date() == date(2020, 1, 1)  # "What to take" opens on today, in the plan or not


# -- painting --------------------------------------------------------------

def test_paints_every_kind_of_cell_and_the_legend(cal, crossover_plan, qtbot):
    held = hold(crossover_plan, crossover_plan.cut_dates()[1], 7, "poor sleep")
    cal.set_plan(held)
    cal.set_symptom_days({TODAY})
    cal.show()
    qtbot.waitExposed(cal)
    for day in (START, held.holds()[0].start, held.end):
        cal.select_date(day)
        image = cal.grab().toImage()
        assert not image.isNull()
    legend = cal.legend_text()
    for words in ("▶", "▼", "‖", "■", "•", "Today", "mg eq"):
        assert words in legend


def test_tooltips_describe_the_shown_months_cells(cal, diazepam_plan):
    cal.set_plan(diazepam_plan)
    cal.select_date(diazepam_plan.cut_dates()[0])
    view = cal.findChild(QTableView)
    model = view.model()
    tips = [
        model.index(r, c).data(Qt.ItemDataRole.ToolTipRole)
        for r in range(model.rowCount())
        for c in range(model.columnCount())
    ]
    assert any(t and "Dose changes (lower, or a switch)" in t for t in tips)
    assert any(t and t.startswith("10 mg") for t in tips)


def test_many_month_switches_with_painting(cal, diazepam_plan, qtbot):
    """Each Qt call that returns nothing used to cost None a reference on Python
    3.11 with PySide6 6.12; a few dozen painted months aborted the process."""
    cal.set_plan(diazepam_plan)
    cal.show()
    qtbot.waitExposed(cal)
    cal.go_start()
    for _ in range(60):
        cal.go_next_month()
        cal.repaint()
    assert cal.shown_month() == (2031, 12)
    for _ in range(60):
        cal.go_previous_month()
        cal.repaint()
    assert cal.shown_month() == (2026, 12)


def _pixel(image, x, y):
    return image.pixelColor(x, y).name()


def test_a_cell_paints_its_grid_line_background_badge_and_today_border():
    """One cell, painted to an image, read back pixel by pixel: the one-pixel grid
    line on all four edges, the background of its most important mark, the blue
    badge of the selected day, today's dark border."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QFont, QImage, QPainter

    from taperdesk.ui.calendar.style import BACKGROUND, GRID, SELECTED, TODAY_BORDER, paint_cell

    def painted(**kw):
        image = QImage(80, 60, QImage.Format.Format_ARGB32)
        image.fill(0)
        painter = QPainter(image)
        paint_cell(painter, QRect(0, 0, 80, 60), font=QFont(), day_number="17", text="7.5 mg", **kw)
        painter.end()
        return image

    plain = painted(marks=frozenset({"hold"}), in_plan=True)
    for x, y in ((0, 30), (79, 30), (40, 0), (40, 59), (0, 0), (79, 59)):
        assert _pixel(plain, x, y) == GRID.name()
    assert _pixel(plain, 1, 30) == BACKGROUND["hold"].name() == _pixel(plain, 78, 58)
    assert SELECTED.name() not in {_pixel(plain, x, 8) for x in range(3, 12)}
    chosen = painted(marks=frozenset({"today"}), in_plan=True, selected=True)
    assert _pixel(chosen, 2, 30) == TODAY_BORDER.name()  # the 3-pixel border, inside the grid line
    assert SELECTED.name() in {_pixel(chosen, x, 8) for x in range(5, 14)}  # the day number's badge


def test_the_grid_keeps_the_selected_day_month_and_fonts_in_step(cal, diazepam_plan, qtbot):
    """What each cell's painting reads (kept on the grid, not asked of Qt per
    cell) follows every way of moving: methods, keys, a new font."""
    from PySide6.QtGui import QFont

    cal.set_plan(diazepam_plan)
    cal.show()
    activate(qtbot, cal)
    grid = cal._grid

    def in_step():
        assert grid._selected == cal.selected_date()
        assert grid._month == cal.shown_month()[1]

    cal.select_date(date(2027, 1, 31))
    in_step()
    cal.go_next_month()
    in_step()
    view = cal.findChild(QTableView)
    view.setFocus()
    for key in (Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_PageDown, Qt.Key.Key_Left, Qt.Key.Key_PageUp):
        qtbot.keyClick(view, key)
        in_step()
    before = grid.cell_fonts().size
    bigger = QFont(grid.font())
    bigger.setPointSizeF(before * 1.5)
    grid.setFont(bigger)
    assert grid.cell_fonts().size == pytest.approx(before * 1.5)
    grid.repaint()


def test_a_month_switch_repaints_the_month_not_the_window_around_it(qtbot, diazepam_plan):
    """The month's name and the day's words change size with every switch; they
    take it in themselves (a fixed-size label, a scroll area) instead of laying
    the window out again, which made a tab widget repaint everything in it."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QTabWidget

    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    cal = PlanCalendar()
    cal.set_today(TODAY)
    tabs.addTab(cal, "Plan")
    tabs.resize(900, 650)
    tabs.show()
    qtbot.waitExposed(tabs)
    cal.set_plan(diazepam_plan)
    cal.go_start()
    painted: list[str] = []

    class Painted(QObject):
        def eventFilter(self, obj, event):  # noqa: N802 (Qt)
            if event.type() == QEvent.Type.Paint:
                painted.append(type(obj).__name__)
            return False

    spy = Painted()
    for _ in range(3):
        cal.go_next_month()
        qtbot.waitUntil(lambda: cal.shown_month() is not None)
        QApplication.processEvents()
    QApplication.instance().installEventFilter(spy)
    try:
        before = cal.day_detail_text()
        cal.go_next_month()
        QApplication.processEvents()
    finally:
        QApplication.instance().removeEventFilter(spy)
    assert cal.day_detail_text() != before
    assert "QLabel" in painted  # the month's name and the day's words
    assert "Legend" not in painted and "Swatch" not in painted, painted
