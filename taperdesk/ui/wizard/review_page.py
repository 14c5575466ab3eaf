"""Page 4: the whole plan before it is saved.

Everything the clinician signs off is on one page: every step with what to
take, the dose curve, how long it runs, the end phase, every warning the
engine raised and the sources it rests on. If the inputs cannot be planned
the page says why (naming the page to fix) and its buttons stay disabled.

It ends in its own buttons, away from the wizard's Next: "Save as draft"
(nothing is in force until the plan is started) and "Start plan…" (asks
once); revising, one "Save revision…" (the reason is asked next)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

import pyqtgraph as pg  # after PySide6, so pyqtgraph binds to it

from taperdesk.core.interactions import Findings
from taperdesk.core.plan import Plan
from taperdesk.core.quantity import fmt_mg
from taperdesk.ui.wizard.common import error_label, note_label, show_message
from taperdesk.ui.wizard.planning import Outcome
from taperdesk.ui.wizard.step_model import FIXED_BEFORE, StepTableModel

CURVE_COLOUR = "#1f5fa8"


def timestamp(day: date) -> float:
    """Midnight (local) of a day, as DateAxisItem expects."""
    return datetime.combine(day, time()).timestamp()


def curve_points(plan: Plan) -> tuple[list[float], list[float]]:
    """x: each step's first day, then the day after the plan ends; y: each
    step's diazepam-equivalent, then the last again (stepMode="right" draws
    y[i] from x[i] to x[i+1], so the extra point gives the last step its width)."""
    xs = [timestamp(s.start) for s in plan.steps] + [timestamp(plan.end + timedelta(days=1))]
    ys = [s.diazepam_eq_mg for s in plan.steps] + [plan.steps[-1].diazepam_eq_mg]
    return xs, ys


def summary(plan: Plan) -> str:
    days = (plan.end - plan.start).days + 1
    weeks = days / 7
    pace = plan.pace
    what = escape(plan.drug) + (f", crossover to {escape(plan.crossover_to)}" if plan.crossover_to else "")
    end = "then stop" if plan.stops else f"then stay on {fmt_mg(plan.steps[-1].diazepam_eq_mg)} mg diazepam-eq a day"
    holds = "".join(
        f"<br>Hold from {h.start} for {h.days} days: {escape(h.reason)}." for h in plan.holds()
    )
    return (
        f"<b>{what}</b> · {escape(plan.method)} method · {plan.start} to {plan.end}<br>"
        f"<b>{fmt_mg(weeks, 1)} weeks</b> ({days} days), <b>{len(plan.cut_dates())} cuts</b>, {end}. "
        + (  # issue 10 (R12): the fastest cut actually used, and where the taper stops from
            f"At most {fmt_mg(pace.max_cut_percent)}% every {pace.interval_days} days; fastest cut used "
            f"<b>{fmt_mg(plan.fastest_rate_percent())}%</b> per {pace.interval_days} days; stops from "
            f"<b>{fmt_mg(pace.final_dose_eq_mg)} mg</b> diazepam-eq a day or less.{holds}"
            if pace.rules >= 2 else
            f"At most {fmt_mg(pace.max_cut_percent)}% every {pace.interval_days} days; end phase at or below "
            f"<b>{fmt_mg(pace.end_phase_eq_mg)} mg</b> diazepam-eq a day, cuts of at most "
            f"<b>{fmt_mg(pace.end_step_eq_mg)} mg</b> there.{holds}"
        )
    )


class ReviewPage(QWizardPage):
    draftRequested = Signal()  # noqa: N815 (Qt signal naming)
    startRequested = Signal()  # noqa: N815

    def __init__(self, *, revising: bool = False, parent=None):
        super().__init__(parent)
        self._plan: Plan | None = None
        self.revising = revising
        #: the patient's interaction findings for a plan (clinic.interactions); None: not checked here
        self.interactions: Callable[[Plan], Findings] | None = None
        self.setTitle("Review")
        self.setSubTitle("The plan as it will be saved. Go back to change anything: it re-plans at once.")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.error = error_label()

        self.model = StepTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        self._measure(False)  # rows are measured while the page is on screen, not on every hidden re-plan
        self.model.modelReset.connect(self._size_columns)
        self.table.setAccessibleName("schedule")
        self.table.setTabKeyNavigation(False)  # Tab moves on to the warnings and the two buttons

        self.plot = pg.PlotWidget(background="w", axisItems={"bottom": pg.DateAxisItem(orientation="bottom")})
        self.plot.setMinimumHeight(160)
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.setLabel("left", "diazepam-eq mg/day")
        self.plot.showGrid(x=True, y=True, alpha=0.25)
        self.curve = self.plot.plot(
            [], [], stepMode="right", pen=pg.mkPen(CURVE_COLOUR, width=2)
        )

        self.warnings_title = QLabel("<b>Warnings</b>")
        self.warnings = QListWidget()
        self.warnings.setWordWrap(True)
        self.warnings.setAccessibleName("warnings")
        self.warnings_title.setBuddy(self.warnings)
        self.sources = note_label()
        self.sources.setTextFormat(Qt.TextFormat.RichText)

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.warnings_title)
        side_layout.addWidget(self.warnings, 1)
        side_layout.addWidget(self.sources)

        self.draft_button = QPushButton("Save as &draft")
        self.draft_button.setToolTip("Keep the plan without starting it: nothing is in force, and nothing is "
                                     "printed as if it were, until it is started (Plan → Start plan).")
        self.start_button = QPushButton("Save re&vision…" if revising else "&Start plan…")
        self.start_button.setToolTip("Asks for the reason next." if revising else
                                     "Asks once, naming the first dose change, then starts the plan.")
        self.draft_button.setVisible(not revising)
        for button in (self.draft_button, self.start_button):
            button.setAutoDefault(False)  # Enter never presses these; a press must be meant
        self.draft_button.clicked.connect(self.draftRequested)
        self.start_button.clicked.connect(self.startRequested)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.draft_button)
        actions.addSpacing(24)  # apart, so one is not pressed for the other
        actions.addWidget(self.start_button)

        grid = QGridLayout(self)
        grid.addWidget(self.summary, 0, 0, 1, 2)
        grid.addWidget(self.error, 1, 0, 1, 2)
        grid.addWidget(self.table, 2, 0, 1, 2)
        grid.addWidget(self.plot, 3, 0)
        grid.addWidget(side, 3, 1)
        grid.addLayout(actions, 4, 0, 1, 2)
        grid.setRowStretch(2, 3)
        grid.setRowStretch(3, 2)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        self.setTabOrder(self.table, self.warnings)
        self.setTabOrder(self.warnings, self.draft_button)
        self.setTabOrder(self.draft_button, self.start_button)

    def _size_columns(self) -> None:
        """Dates, days, step and eq fit their text; the times of day share the rest (wrapping)."""
        header = self.table.horizontalHeader()
        measure = self.isVisible()
        for col in range(self.model.columnCount()):
            fixed = col < len(FIXED_BEFORE)
            mode = QHeaderView.ResizeMode.Stretch if not fixed else (
                QHeaderView.ResizeMode.ResizeToContents if measure else QHeaderView.ResizeMode.Interactive)
            header.setSectionResizeMode(col, mode)

    def _measure(self, on: bool) -> None:
        """Fit rows and columns to their text (on screen), or leave them be (hidden):
        every earlier page re-plans on each change, and measuring a hidden table of
        a year's steps cost 40-50 ms a keystroke."""
        mode = QHeaderView.ResizeMode.ResizeToContents if on else QHeaderView.ResizeMode.Fixed
        self.table.verticalHeader().setSectionResizeMode(mode)
        self._size_columns()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().showEvent(event)
        self._measure(True)

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt)
        self._measure(False)
        super().hideEvent(event)

    def show_outcome(self, out: Outcome) -> None:
        plan = out.plan
        self._plan = plan
        self.model.set_plan(plan)
        show_message(self.error, "" if plan else (out.first_error() or "Complete the earlier pages first."))
        self.summary.setVisible(plan is not None)
        self.warnings.clear()
        if plan is None:
            self.curve.setData([], [])
            self.sources.setText("")
            self.warnings_title.setText("<b>Warnings</b>")
        else:
            xs, ys = curve_points(plan)
            self.curve.setData(xs, ys, stepMode="right")
            # from 0 mg, so a plan that ends on a lower dose is not drawn as ending at the bottom
            self.plot.setYRange(0, max(max(ys), 1) * 1.05, padding=0.03)
            self.plot.setXRange(xs[0], xs[-1])
            self.summary.setText(summary(plan))
            found = self.interactions(plan) if self.interactions is not None else None
            first = [w.line() for w in found.warnings] if found else []  # this patient's interactions lead
            lines = first + list(plan.warnings)
            self.warnings.addItems(lines or ["No warnings."])
            for row in range(len(first)):  # and stand out from the plan's own notes
                item = self.warnings.item(row)
                item.setForeground(QColor("#8b0000"))
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            if found is not None and not found.warnings:
                self.warnings.addItem(found.status)  # never a silent pass: say what was checked
            self.warnings_title.setText(f"<b>Warnings ({len(lines)})</b>")
            sources = list(plan.sources) + [s for s in (found.sources if found else ()) if s not in plan.sources]
            self.sources.setText("<b>Sources</b><br>" + "<br>".join(escape(s) for s in sources))
        self.draft_button.setEnabled(plan is not None)
        self.start_button.setEnabled(plan is not None)
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 (Qt's name)
        return self._plan is not None

    def validatePage(self) -> bool:  # noqa: N802 (Qt's name)
        return self._plan is not None

    def isFinalPage(self) -> bool:  # noqa: N802 (Qt's name): saving is by this page's own buttons
        return True
