"""PlanCalendar: navigation bar, month grid, legend and the day-detail panel.

    cal = PlanCalendar()
    cal.set_plan(plan)            # None: an empty calendar saying "No active plan"
    cal.set_symptom_days({...})
    cal.select_date(day)          # emits dateSelected(date) when the selection changes

The course (a plan with its status history, taperdesk.core.in_force) is
expanded once per `set_plan` (days.expand), and only when the calendar is
shown or read: switching patients on another tab does not expand every plan
passed by. Painting, selecting and switching month only look days up. A bare
Plan is read as active from its start.

Keyboard (while the focus is anywhere in the calendar): arrows move by day,
PgUp / PgDn by month, T or Ctrl+T today, N the next step change, Home the
start of the plan. The shortcuts are scoped to the calendar so that they do
not take these keys from the rest of a window."""

from __future__ import annotations

import bisect
import calendar as _cal
import html
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from taperdesk.core.in_force import STATUS_LABELS, InForce
from taperdesk.core.plan import Plan
from taperdesk.core.regimen import TIMES
from taperdesk.ui.calendar.days import CellInfo, CourseDays, as_course, detail_lines, expand, long_date
from taperdesk.ui.calendar.legend import Legend
from taperdesk.ui.calendar.month import MonthGrid, to_qdate
from taperdesk.ui.calendar.style import LABEL, SYMBOL, visible_marks


def _add_months(day: date, year: int, month: int, delta: int) -> date:
    """`day`'s day of the month in the month `delta` months from (year, month), clamped."""
    index = year * 12 + (month - 1) + delta
    y, m = divmod(index, 12)
    m += 1
    return date(y, m, min(day.day, _cal.monthrange(y, m)[1]))


_TIME_LABELS = tuple(f"{t.capitalize()}: " for t in TIMES)


def _detail_html(line: str) -> str:
    """One line of the day's detail as a paragraph, the time of day in bold."""
    for label in _TIME_LABELS:
        if line.startswith(label):
            return f"<p><b>{html.escape(label)}</b>{html.escape(line[len(label):])}</p>"
    return f"<p>{html.escape(line)}</p>"


class PlanCalendar(QWidget):
    dateSelected = Signal(object)  # datetime.date

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("PlanCalendar")
        self._plan: Plan | None = None
        self._course: InForce | None = None
        self._days: CourseDays = expand(None)
        self._today = date.today()
        self._symptoms: frozenset[date] = frozenset()
        self._detail = ""
        self._expanded = True  # False: a course given while hidden, expanded when shown or read
        self._go_today = False

        self._grid = MonthGrid(self)
        self._grid.today = self._today
        self._grid.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._grid.setMinimumSize(420, 260)  # six weeks of 35-pixel rows: room at 1366x768

        # -- navigation bar ---------------------------------------------
        self._month_label = QLabel()
        self._month_label.setObjectName("monthLabel")
        big = QFont(self.font())
        big.setPointSizeF((big.pointSizeF() if big.pointSizeF() > 0 else 9.0) * 1.35)
        big.setBold(True)
        self._month_label.setFont(big)
        # as wide as the widest month: a new month's name never lays the calendar out
        # again (which repainted the legend and the day panel on every month switch)
        widest = max(QFontMetrics(big).horizontalAdvance(f"{name} 0000") for name in _cal.month_name[1:])
        self._month_label.setFixedWidth(max(150, widest + 12))
        self._month_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # and as tall as it is: a label of fixed size takes a new text without asking its
        # parents to lay out again (each relayout reached the tab widget, which repaints all)
        self._month_label.setFixedHeight(self._month_label.sizeHint().height())

        self._buttons: dict[str, QPushButton] = {}
        self._shortcuts: list[QShortcut] = []
        nav = QHBoxLayout()
        nav.setContentsMargins(0, 0, 0, 0)
        specs = [
            ("previous", "◀", "Previous month (PgUp)", ["PgUp"], self.go_previous_month),
            ("label", None, None, None, None),
            ("next", "▶", "Next month (PgDn)", ["PgDown"], self.go_next_month),
            ("stretch", None, None, None, None),
            ("today", "Today", "Go to today (T or Ctrl+T)", ["T", "Ctrl+T"], self.go_today),
            ("next_change", "Next step change ▼", "Go to the next day the doses change (N)", ["N"], self.go_next_step_change),
            ("start", "Start", "Go to the start of the plan (Home)", ["Home"], self.go_start),
        ]
        for name, text, tip, keys, slot in specs:
            if name == "label":
                nav.addWidget(self._month_label)
                continue
            if name == "stretch":
                nav.addStretch(1)
                continue
            button = QPushButton(text)
            button.setObjectName(f"{name}Button")
            button.setToolTip(tip)
            button.setAccessibleName(tip)
            # a click leaves the keyboard focus on the grid; Tab still reaches the button
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.clicked.connect(slot)
            if name in ("previous", "next"):
                button.setFixedWidth(36)
            nav.addWidget(button)
            self._buttons[name] = button
            for key in keys:
                shortcut = QShortcut(QKeySequence(key), self)
                shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                shortcut.activated.connect(slot)
                self._shortcuts.append(shortcut)

        self._summary = QLabel()
        self._summary.setObjectName("planSummary")
        self._summary.setWordWrap(True)

        self._legend = Legend(self)

        # -- day detail -------------------------------------------------
        self._detail_title = QLabel("What to take")
        title_font = QFont(self.font())
        title_font.setBold(True)
        title_font.setPointSizeF((title_font.pointSizeF() if title_font.pointSizeF() > 0 else 9.0) * 1.15)
        self._detail_title.setFont(title_font)
        self._detail_label = QLabel()
        self._detail_label.setObjectName("dayDetail")
        self._detail_label.setWordWrap(True)
        self._detail_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self._detail_label.setTextFormat(Qt.TextFormat.RichText)
        self._detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._detail_label.setAccessibleName("What to take on the selected day")
        detail_box = QFrame()
        detail_box.setObjectName("dayDetailPanel")
        detail_box.setFrameShape(QFrame.Shape.StyledPanel)
        detail_box.setFixedWidth(250)  # the grid does not jump as the text changes
        box = QVBoxLayout(detail_box)
        box.addWidget(self._detail_title)
        # the day's words in a frameless scroll area: their length changes with every
        # day, and a scroll area takes that in itself, where a bare label asked the
        # whole window to lay out and repaint again (50 widgets painted per month
        # switch on the workspace, 11 so; 10.6 -> 4.4 ms CPU). A long day scrolls.
        detail_area = QScrollArea()
        detail_area.setObjectName("dayDetailArea")
        detail_area.setWidgetResizable(True)
        detail_area.setFrameShape(QFrame.Shape.NoFrame)
        detail_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        detail_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the Tab order stays as it was
        detail_area.setWidget(self._detail_label)
        detail_area.viewport().setAutoFillBackground(False)  # the panel's own background, as before
        self._detail_label.setAutoFillBackground(False)
        box.addWidget(detail_area, 1)

        left = QVBoxLayout()
        left.addLayout(nav)
        left.addWidget(self._summary)
        left.addWidget(self._grid, 1)
        left.addWidget(self._legend)
        outer = QHBoxLayout(self)
        outer.addLayout(left, 1)
        outer.addWidget(detail_box)
        self.setFocusProxy(self._grid)

        self._grid.selectionChanged.connect(self._on_selection_changed)
        self._grid.currentPageChanged.connect(self._on_page_changed)
        self._grid.setSelectedDate(to_qdate(self._today))
        self._refresh_all()

    # -- feeding it ---------------------------------------------------------
    def set_plan(self, plan: Plan | InForce | None, *, go_today: bool = False) -> None:
        """Show `plan` (None: an empty calendar), with its status history when
        given as a course. With go_today (a different patient), today is
        selected; else the selection stays where it is if that day is shown,
        else goes to today."""
        course = as_course(plan)
        self._course = course
        self._plan = course.plan if course is not None else None
        self._go_today = go_today or (self._go_today and not self._expanded)
        self._expanded = False
        if self.isVisible():
            self._ensure()

    def _ensure(self) -> None:
        """Expand the course given last, if not yet done (see set_plan)."""
        if self._expanded:
            return
        self._expanded = True
        self._days = expand(self._course)
        self._grid.days = self._days
        go_today, self._go_today = self._go_today, False
        if go_today or (self._course is not None and self.selected_date() not in self._days):
            self.select_date(self._today)
        self._refresh_all()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt)
        self._ensure()
        super().showEvent(event)

    def set_symptom_days(self, days: set[date]) -> None:
        self._symptoms = frozenset(days)
        self._grid.symptoms = self._symptoms
        self._refresh_all()

    def set_today(self, day: date) -> None:
        self._today = day
        self._grid.today = day
        self._refresh_all()

    # -- reading it ---------------------------------------------------------
    def plan(self) -> Plan | None:
        return self._plan

    def course(self) -> InForce | None:
        return self._course

    def detail_heading(self) -> str:
        """The first line of "What to take": which day, and whether it is today."""
        self._ensure()
        return self._detail.splitlines()[0] if self._detail else ""

    def selected_date(self) -> date:
        self._ensure()
        return self._grid.selectedDate().toPython()

    def shown_month(self) -> tuple[int, int]:
        self._ensure()
        return (self._grid.yearShown(), self._grid.monthShown())

    def cell(self, day: date) -> CellInfo:
        self._ensure()
        return self._grid.cell(day)

    def day_detail_text(self) -> str:
        self._ensure()
        return self._detail

    def legend_text(self) -> str:
        return self._legend.text()

    # -- moving -------------------------------------------------------------
    def select_date(self, day: date) -> None:
        """Select `day` and show its month."""
        self._ensure()
        self._grid.setSelectedDate(to_qdate(day))
        if self.shown_month() != (day.year, day.month):
            self._grid.setCurrentPage(day.year, day.month)

    def go_previous_month(self) -> None:
        self._ensure()
        self.select_date(_add_months(self.selected_date(), *self.shown_month(), -1))

    def go_next_month(self) -> None:
        self._ensure()
        self.select_date(_add_months(self.selected_date(), *self.shown_month(), 1))

    def go_today(self) -> None:
        self.select_date(self._today)

    def go_start(self) -> None:
        if self._plan is not None:
            self.select_date(self._plan.start)

    def next_step_change(self) -> date | None:
        """The first day after the selected one on which the doses change (a cut,
        a crossover switch, the stop), as the course has it: none while paused."""
        if self._course is None:
            return None
        found = self._course.next_change(self.selected_date())
        return found.day if found is not None else None

    def go_next_step_change(self) -> bool:
        target = self.next_step_change()
        if target is None:
            return False
        self.select_date(target)
        return True

    # -- keeping the view in step -------------------------------------------
    def _on_selection_changed(self) -> None:
        self._refresh_selection()
        self.dateSelected.emit(self.selected_date())

    def _on_page_changed(self, year: int, month: int) -> None:
        self._month_label.setText(f"{_cal.month_name[month]} {year}")
        self._refresh_tooltips()

    def _refresh_all(self) -> None:
        if not self._expanded:  # done when the course is expanded
            return
        self._summary.setText(self.summary_text())
        plan = self._plan
        self._buttons["start"].setEnabled(plan is not None)
        year, month = self.shown_month()
        self._month_label.setText(f"{_cal.month_name[month]} {year}")
        self._refresh_tooltips()
        self._refresh_selection()
        self._grid.updateCells()

    def summary_text(self) -> str:
        """The line over the grid: the drugs, the dates, and the status when it is not plain active."""
        self._ensure()
        course = self._course
        if course is None:
            return "No active plan"
        plan = course.plan
        drugs = plan.drug + (f" → {plan.crossover_to}" if plan.crossover_to else "")
        changes = [d for d in self._days if "step_change" in self._days[d].marks]
        status = course.status
        if status == "draft":
            return (f"DRAFT, not started: {drugs} from {long_date(plan.start)}. "
                    "Nothing here is to be taken until the plan is started.")
        if status in ("paused", "stopped", "completed"):
            since = long_date(course.statuses[-1].on)
            what = {"paused": "Paused: the dose of that day continues, no dose changes are shown",
                    "stopped": f"{STATUS_LABELS['stopped']}: no more cuts",
                    "completed": "Completed: no more doses"}[status]
            return f"{drugs}: {what} (since {since})."
        end = "stop" if plan.stops else "stay on the last dose"
        return (f"{drugs}: {long_date(plan.start)} to {long_date(plan.end)}, "
                f"{len(changes) - (1 if plan.stops else 0)} dose changes, then {end}")

    def _refresh_selection(self) -> None:
        day = self.selected_date()
        lines = detail_lines(self._course, self._days, day, today=self._today, symptoms=day in self._symptoms)
        self._detail = "\n".join(lines)
        head, *rest = lines
        self._detail_label.setText(f"<p><b>{html.escape(head)}</b></p>" + "".join(_detail_html(line) for line in rest))
        self._buttons["next_change"].setEnabled(self.next_step_change() is not None)

    def _refresh_tooltips(self) -> None:
        year, month = self.shown_month()
        tips = {}
        for d in range(1, _cal.monthrange(year, month)[1] + 1):
            day = date(year, month, d)
            cell = self.cell(day)
            if not cell.total_text and not cell.marks:
                continue
            words = [cell.total_text] if cell.total_text else []
            words += [(f"{SYMBOL[m]} " if m in SYMBOL else "") + LABEL[m] for m in visible_marks(cell.marks)]
            tips[day] = "\n".join(words)
        self._grid.set_tooltips(tips)
