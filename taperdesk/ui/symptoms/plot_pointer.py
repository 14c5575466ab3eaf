"""The plot under the mouse: the hover label (the day, the dose in force and the
scores within a week) and clicks (the day clicked, or the day of a point within
a few pixels of it). A mixin of SymptomPlot, kept apart from the drawing."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF

import pyqtgraph as pg  # after PySide6, so pyqtgraph binds to it

from taperdesk.core.plan_diff import format_day
from taperdesk.core.quantity import fmt_mg
from taperdesk.ui.symptoms.plot_data import dose_words, long_day, x_day
from taperdesk.ui.symptoms.plot_parts import LeaveFilter, nearest

NEAR_DAYS = 7  # hover: scores this close to the day are "near it"
SNAP_PX = 8  # click: a point this close (in pixels) is the one clicked


class PointerMixin:
    """Needs: dose_view, hover_label, hover_line, _drawn (key -> ScaleRow), _course,
    series_visible(key) and the dateClicked signal."""

    def _watch(self, graphics: pg.PlotWidget, view: pg.ViewBox) -> None:
        graphics.scene().sigMouseMoved.connect(lambda pos, v=view: self._on_mouse_moved(pos, v))
        graphics.installEventFilter(LeaveFilter(self._hide_hover, graphics))
        view.clicked.connect(lambda pos, v=view: self.dateClicked.emit(self._day_at_scene(pos, v)))

    def hover_text(self, x_epoch: float, y: float = 0.0) -> str:
        """What the hover label says at x: the day, the dose in force and the scores within a week."""
        day = x_day(x_epoch)
        lines = [long_day(day), dose_words(self._course, day)]
        shown = [d for d in self._drawn.values() if self.series_visible(d.series.key)]
        found = False
        for d in shown:
            if not len(d.x):
                continue
            i = nearest(d.x, x_epoch)
            near = x_day(float(d.x[i]))
            if abs((near - day).days) > NEAR_DAYS:
                continue
            s = d.series
            scale = f"of {s.high}" if s.low == 0 else f"on {s.low}–{s.high}"
            text = f"{s.title}: {fmt_mg(d.raw[i])} {scale}"
            band = d.band_label(d.raw[i])
            if band:
                text += f", {band}"
            if near != day:
                text += f", {format_day(near)}"
            lines.append(text)
            found = True
        if shown and not found:
            lines.append(f"No scores within {NEAR_DAYS} days")
        return "\n".join(lines)

    def click_at(self, x_epoch: float) -> None:
        """As a click at x: emits dateClicked with the day there."""
        self.dateClicked.emit(x_day(x_epoch))

    def _on_points_clicked(self, _item, points, _ev) -> None:
        if len(points):
            self.dateClicked.emit(x_day(points[0].pos().x()))

    def _day_at_scene(self, scene_pos, view: pg.ViewBox | None = None):
        """In a scale's row, the day of a point within SNAP_PX of the click; else the day clicked."""
        view = view or self.dose_view
        for d in self._drawn.values():
            if d.view is not view:
                continue
            best, best_day = float(SNAP_PX), None
            left = view.mapSceneToView(scene_pos - QPointF(SNAP_PX, 0)).x()
            right = view.mapSceneToView(scene_pos + QPointF(SNAP_PX, 0)).x()
            lo, hi = np.searchsorted(d.x, left), np.searchsorted(d.x, right)
            for i in range(lo, min(hi, lo + 50)):
                p = view.mapViewToScene(QPointF(float(d.x[i]), float(d.raw[i])))
                dist = ((p.x() - scene_pos.x()) ** 2 + (p.y() - scene_pos.y()) ** 2) ** 0.5
                if dist <= best:
                    best, best_day = dist, x_day(float(d.x[i]))
            if best_day is not None:
                return best_day
        return x_day(view.mapSceneToView(scene_pos).x())

    def _on_mouse_moved(self, scene_pos, view: pg.ViewBox) -> None:
        if not view.sceneBoundingRect().contains(scene_pos):
            self._hide_hover()
            return
        x = view.mapSceneToView(scene_pos).x()
        (x0, x1), (y0, y1) = self.dose_view.viewRange()
        self.hover_label.setText(self.hover_text(x))
        self.hover_label.setAnchor((1.0 if x > (x0 + x1) / 2 else 0.0, 0.0))
        self.hover_label.setPos(x, y1)
        self.hover_line.setPos(x)
        self.hover_label.show()
        self.hover_line.show()

    def _hide_hover(self) -> None:
        self.hover_label.hide()
        self.hover_line.hide()
