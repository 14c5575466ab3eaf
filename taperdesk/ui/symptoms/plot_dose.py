"""The plot's top row: the diazepam-equivalent dose as a step curve, a ▼ on every
dose change (as on the calendar) and every hold shaded. What it draws comes
from plot_data.dose_curve, read off the patient's course (core/in_force).

The curve is worked out again only when the course or the span asked for
changes: a redraw after a new score (the same patient) reuses it."""

from __future__ import annotations

from datetime import date

import numpy as np
from PySide6.QtCore import Qt

import pyqtgraph as pg  # after PySide6, so pyqtgraph binds to it

from taperdesk.core.in_force import InForce
from taperdesk.core.plan_diff import format_day
from taperdesk.ui.symptoms.plot_data import DAY_SECONDS, DoseCurve, day_x, dose_curve, x_day
from taperdesk.ui.symptoms.plot_parts import CUT_COLOUR, DOSE_COLOUR, HOLD_RGB, pen

DOSE_WIDTH = 2.0  # about 150 points however long the plan: a thicker line costs little here


class DoseMarks:
    """The dose curve, the change markers and the hold regions of one view box."""

    def __init__(self, view: pg.ViewBox) -> None:
        self.view = view
        self.curve = pg.PlotDataItem([], [], stepMode="right", pen=pen(DOSE_COLOUR, DOSE_WIDTH), name="dose")
        self.curve.setZValue(5)
        view.addItem(self.curve)
        self.cut_markers = pg.ScatterPlotItem(
            symbol="t", size=10, pen=pg.mkPen("w", width=0.8), brush=pg.mkBrush(CUT_COLOUR), pxMode=True)
        self.cut_markers.setZValue(6)
        view.addItem(self.cut_markers)
        self.holds: list[pg.LinearRegionItem] = []
        self.drawn = DoseCurve((), (), (), ())
        self._drawn_for: tuple | None = None

    def draw(self, course: InForce | None, *, until: date, holds_visible: bool) -> DoseCurve:
        """Draw the course up to `until` (at least); the curve drawn."""
        key = (id(course), course, until)
        if key == self._drawn_for:
            return self.drawn
        self._drawn_for = key
        curve = self.drawn = dose_curve(course, until=until)
        self.curve.setData(np.array(curve.x), np.array(curve.y), stepMode="right")
        self.cut_markers.setData(x=np.array([day_x(d) for d, _ in curve.changes]),
                                 y=np.array([y for _, y in curve.changes]))
        for region in self.holds:
            self.view.removeItem(region)
        self.holds = []
        for first, last, reason in curve.holds:
            region = pg.LinearRegionItem((day_x(first), day_x(last) + DAY_SECONDS), movable=False,
                                         brush=pg.mkBrush(*HOLD_RGB, 45), pen=pg.mkPen(*HOLD_RGB, 110))
            region.setZValue(-5)
            region.setToolTip(f"Hold from {format_day(first)} for {(last - first).days + 1} days: {reason}")
            region.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
            region.setVisible(holds_visible)
            region.day = first
            self.view.addItem(region)
            self.holds.append(region)
        return curve

    def show_holds(self, visible: bool) -> None:
        for region in self.holds:
            region.setVisible(visible)

    def cuts_between(self, x0: float, x1: float) -> int:
        cuts = self.cut_markers.data["x"]
        return int(np.searchsorted(cuts, x1) - np.searchsorted(cuts, x0)) if len(cuts) else 0

    def curve_data(self) -> tuple[list[float], list[float]]:
        x, y = self.curve.getData()
        if x is None:
            return [], []
        return [float(v) for v in x], [float(v) for v in y]

    def marker_dates(self) -> dict[str, list[date]]:
        xs = self.cut_markers.data["x"]
        return {"step_change": [x_day(float(x)) for x in xs],
                "hold": [x_day(r.getRegion()[0]) for r in self.holds]}
