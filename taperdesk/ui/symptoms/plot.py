"""The symptom–dose plot: how symptoms moved with each cut.

One time axis (days); on the left the diazepam-equivalent daily dose as a step
curve with every cut marked (▼, as on the calendar) and every hold shaded; on
the right each scale's scores, each drawn as a percentage of its own range
(a daily rating 0-10, CIWA-B 0-80 and BWSQ 0-40 share one axis), with the
bands of a banded scale shaded lightly in that scale's colour. The hover label
gives the raw scores, so the percentages never stand alone.

The widget takes plain data (a core `Plan` and `Series` of (day, score)); it
knows nothing of storage. Days are whole calendar days: day D is drawn from
midnight to midnight in UTC seconds (the date axis is told utcOffset=0, so the
labels are calendar dates in every time zone and no daylight-saving hour moves
a step), and a score for day D sits at D's noon, inside the dose it was taken on.

Speed: a series is one PlotDataItem fed numpy arrays, the cuts one
ScatterPlotItem; nothing is drawn per point. Symbols and dashes appear when
the points in view are far enough apart to be told apart (so colour is not the
only difference); a dense series is a plain line, which paints fast.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

import pyqtgraph as pg  # after PySide6, so pyqtgraph binds to it
from pyqtgraph.graphicsItems.ScatterPlotItem import drawSymbol

from taperdesk.core.plan import Plan
from taperdesk.core.plan_diff import format_day
from taperdesk.core.quantity import fmt_mg
from taperdesk.ui.calendar.style import SYMBOL_COLOR

__all__ = ["Series", "SymptomPlot", "day_x", "x_day", "DAY_SECONDS"]

DAY_SECONDS = 86400
_EPOCH = date(1970, 1, 1).toordinal()
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

TEXT = "#1a1a1a"
AXIS = "#404040"
DOSE_COLOUR = "#1f5fa8"  # the wizard's review curve
CUT_COLOUR = SYMBOL_COLOR["step_change"].name()  # the calendar's ▼
HOLD_RGB = SYMBOL_COLOR["hold"].getRgb()[:3]  # the calendar's ‖

# (colour, symbol, line style): colour-blind-safe colours, and each series
# differs in symbol and dash as well. Position in the list passed to set_data
# picks the style, so pass the scales in a fixed order.
STYLES = (
    ("#008060", "o", Qt.PenStyle.SolidLine),
    ("#c2185b", "s", Qt.PenStyle.DashLine),
    ("#6a3d9a", "d", Qt.PenStyle.DotLine),
    ("#b07800", "t1", Qt.PenStyle.DashDotLine),
    ("#3a7f9f", "star", Qt.PenStyle.DashDotDotLine),
    ("#555555", "p", Qt.PenStyle.SolidLine),
)
NEAR_DAYS = 7  # hover: scores this close to the day are "near it"
SNAP_PX = 8  # click: a point this close (in pixels) is the one clicked
SYMBOL_SPACING_PX = 6  # symbols shown when the points in view are this far apart
CUT_SPACING_PX = 12  # cut markers shown when the cuts in view are this far apart
GAP_DAYS = 14  # a series' line breaks across a gap longer than this (or 3x its usual spacing)


def day_x(day: date) -> float:
    """The x (epoch seconds) where `day` begins: its midnight, UTC."""
    return float((day.toordinal() - _EPOCH) * DAY_SECONDS)


def x_day(x: float) -> date:
    """The day whose span [midnight, next midnight) holds x."""
    return date.fromordinal(math.floor(x / DAY_SECONDS) + _EPOCH)


def _long_day(day: date) -> str:
    return f"{_WEEKDAYS[day.weekday()]} {format_day(day)}"


@dataclass(frozen=True)
class Series:
    """One scale's scores: `points` are (day, score), `low`/`high` the scale's
    total range, `bands` its bands (objects with low, high and label, as
    taperdesk.core.scales.Band) or ()."""

    key: str
    title: str
    points: tuple[tuple[date, int], ...]
    low: int
    high: int
    bands: tuple = ()


@dataclass
class _Drawn:
    series: Series
    style: tuple
    item: pg.PlotDataItem
    box: QCheckBox
    x: np.ndarray
    raw: np.ndarray
    pct: np.ndarray
    bands: list  # LinearRegionItem and TextItem, shown with the series
    symbols: bool = False
    bands_for: tuple | None = None  # what the band items were drawn for

    def percent(self, value: float) -> float:
        s = self.series
        return (value - s.low) / (s.high - s.low) * 100.0 if s.high != s.low else 0.0

    def band_label(self, value: float) -> str:
        for b in self.series.bands:
            if b.low <= value <= b.high:
                return b.label
        return ""


class _DoseViewBox(pg.ViewBox):
    """The main view: a left click (not a drag) reports where it was."""

    clicked = Signal(object)  # scene position

    def mouseClickEvent(self, ev):  # noqa: N802 (pyqtgraph's name)
        if ev.button() == Qt.MouseButton.LeftButton and not ev.double():
            ev.accept()
            self.clicked.emit(ev.scenePos())
        else:
            super().mouseClickEvent(ev)


class _DateAxis(pg.DateAxisItem):
    """Calendar days (UTC, so no time zone or daylight-saving hour moves a
    day), and at most MAX_GRID_LINES ticks per level: a fifteen-year view
    drew a grid line per month, 180 of them, which cost more to paint than
    every score (and the maxTickLevel style does not reach DateAxisItem)."""

    MAX_GRID_LINES = 40

    def __init__(self):
        super().__init__(orientation="bottom", utcOffset=0)

    def tickValues(self, minVal, maxVal, size):  # noqa: N802 (pyqtgraph's name)
        levels = super().tickValues(minVal, maxVal, size)
        kept = [level for level in levels if len(level[1]) <= self.MAX_GRID_LINES]
        return kept or levels[:1]


class _LeaveFilter(QObject):
    def __init__(self, callback, parent=None):
        super().__init__(parent)
        self._callback = callback

    def eventFilter(self, obj, event):  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Leave:
            self._callback()
        return False


def _pen(colour, width=1.5, style=Qt.PenStyle.SolidLine):
    pen = pg.mkPen(colour, width=width)
    pen.setStyle(style)
    return pen


def _swatch(style) -> QIcon:
    """A checkbox icon: the series' line and symbol, as drawn."""
    colour, symbol, dash = style
    pm = QPixmap(28, 16)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(_pen(colour, 2, dash))
    p.drawLine(1, 8, 27, 8)
    p.translate(14, 8)
    drawSymbol(p, symbol, 9, pg.mkPen(colour), pg.mkBrush(colour))
    p.end()
    return QIcon(pm)


class SymptomPlot(QWidget):
    """Dose and symptoms against time. Feed it with `set_data`."""

    dateClicked = Signal(object)  # datetime.date

    def __init__(self, parent=None):
        super().__init__(parent)
        self._plan: Plan | None = None
        self._drawn: dict[str, _Drawn] = {}
        self._signature: tuple = ()
        self._hidden: set[str] = set()  # keys the user switched off (kept across set_data)
        self._holds: list[pg.LinearRegionItem] = []
        self._home: tuple | None = None  # (x range, top dose) of the whole data
        self._at_home = True  # False once the user zooms or pans

        # -- toggles row --------------------------------------------------------
        self._toggles = QHBoxLayout()
        self._toggles.setContentsMargins(0, 0, 0, 0)
        self._toggles_label = QLabel("Show:")
        self._toggles.addWidget(self._toggles_label)
        self._toggles.addStretch(1)
        self.reset_button = QPushButton("&Reset view")
        self.reset_button.setToolTip("Back to the whole plan and every score (zoom: wheel; pan: drag)")
        self.reset_button.clicked.connect(self.reset_view)
        self._toggles.addWidget(self.reset_button)

        # -- the plot -------------------------------------------------------------
        # a PlotWidget, not a GraphicsLayoutWidget: the latter can crash the
        # interpreter at exit on PySide6 6.11 when a window is still open
        self.dose_view = _DoseViewBox(enableMenu=False)
        self.graphics = pg.PlotWidget(
            background="w",
            viewBox=self.dose_view,
            axisItems={"bottom": _DateAxis()},
        )
        self.graphics.setAccessibleName("symptom and dose plot")
        self.plot_item = self.graphics.getPlotItem()
        pi = self.plot_item
        pi.setMenuEnabled(False)  # its menu offers pyqtgraph's SVG export, broken on PySide6 6.11
        pi.hideButtons()
        pi.showGrid(x=True, y=True, alpha=0.15)
        pi.getAxis("left").setStyle(maxTickLevel=0)  # a grid line per labelled dose only
        pi.showAxis("right")
        label_style = {"color": TEXT, "font-size": "10pt"}
        pi.setLabel("left", "diazepam-eq mg/day", **label_style)
        pi.setLabel("right", "symptoms (% of scale range)", **label_style)
        for name in ("left", "bottom", "right"):
            axis = pi.getAxis(name)
            axis.setPen(pg.mkPen(AXIS))
            axis.setTextPen(pg.mkPen(TEXT))
        pi.getAxis("right").setTicks([[(v, f"{v}%") for v in (0, 25, 50, 75, 100)], []])
        pi.getAxis("right").setGrid(False)
        self.dose_view.setLimits(minXRange=7 * DAY_SECONDS)

        # symptoms: a second view behind the dose view, sharing its x (pyqtgraph's
        # MultiplePlotAxes); behind, so the mouse always drives the dose view
        self.symptom_view = pg.ViewBox(enableMenu=False)
        self.symptom_view.setMouseEnabled(x=False, y=False)
        self.symptom_view.setZValue(-10)
        self.graphics.scene().addItem(self.symptom_view)
        pi.getAxis("right").linkToView(self.symptom_view)
        self.symptom_view.setXLink(self.dose_view)
        self.symptom_view.disableAutoRange()
        self.dose_view.sigResized.connect(self._sync_views)
        self.dose_view.sigRangeChangedManually.connect(self._on_user_range)

        # dose curve, cut markers
        self.dose_curve = pg.PlotDataItem([], [], stepMode="right", pen=_pen(DOSE_COLOUR, 2.5), name="dose")
        self.dose_curve.setZValue(5)
        self.dose_view.addItem(self.dose_curve)
        self.cut_markers = pg.ScatterPlotItem(
            symbol="t", size=10, pen=pg.mkPen("w", width=0.8), brush=pg.mkBrush(CUT_COLOUR), pxMode=True
        )
        self.cut_markers.setZValue(6)
        self.cut_markers.sigClicked.connect(self._on_points_clicked)
        self.dose_view.addItem(self.cut_markers)
        self._hold_sample = pg.BarGraphItem(
            x=[0], height=[1], width=1, brush=pg.mkBrush(*HOLD_RGB, 60), pen=pg.mkPen(*HOLD_RGB, 140)
        )
        self._hold_sample.visibleChanged.connect(self._apply_hold_visibility)

        # hover: a label and a day line
        self.hover_line = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen("#888888", width=1, style=Qt.PenStyle.DashLine))
        self.hover_label = pg.TextItem(color=TEXT, fill=pg.mkBrush(255, 255, 255, 235), border=pg.mkPen("#999999"))
        for item in (self.hover_line, self.hover_label):
            item.setZValue(50)
            item.hide()
            self.dose_view.addItem(item, ignoreBounds=True)
        self.graphics.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self._leave_filter = _LeaveFilter(self._hide_hover, self)
        self.graphics.installEventFilter(self._leave_filter)
        self.dose_view.clicked.connect(self._on_view_clicked)
        self.dose_view.sigXRangeChanged.connect(self._on_x_range)

        # legend: one row along the top, in headroom the home view leaves for it
        self.legend = pg.LegendItem(
            offset=(40, 2), labelTextColor=TEXT, labelTextSize="9pt", brush=pg.mkBrush(255, 255, 255, 215),
            pen=pg.mkPen("#c8c8c8"), verSpacing=-6, horSpacing=12,
        )
        self.legend.setParentItem(self.dose_view)
        self.legend.setZValue(40)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._toggles)
        layout.addWidget(self.graphics, 1)
        self._rebuild_legend()
        self.set_data(None, [])

    # -- feeding -------------------------------------------------------------------
    def set_data(self, plan: Plan | None, series: list[Series]) -> None:
        """Redraw everything. The view is reset only when the span of the data
        changed (adding a score inside the plan keeps the user's zoom)."""
        self._plan = plan if plan is not None and plan.steps else None
        self._draw_dose()
        self._draw_holds()
        signature = tuple((s.key, s.title, s.low, s.high) for s in series)
        if signature != self._signature:
            self._rebuild_series(series)
            self._signature = signature
        for s in series:
            self._fill_series(self._drawn[s.key], s)
        home = self._home_range()
        if home != self._home:
            self._home = home
            self.reset_view()
        else:
            self._update_symbols()

    def _draw_dose(self) -> None:
        plan = self._plan
        if plan is None:
            self.dose_curve.setData([], [])
            self.cut_markers.setData(x=[], y=[])
            return
        steps = plan.steps
        xs = [day_x(s.start) for s in steps] + [day_x(plan.end) + DAY_SECONDS]
        ys = [s.diazepam_eq_mg for s in steps] + [steps[-1].diazepam_eq_mg]
        # stepMode="right": y[i] from x[i] to x[i+1]; the last y gives the last step its width
        self.dose_curve.setData(np.array(xs), np.array(ys), stepMode="right")
        # a ▼ at the top corner of every drop (a 3% cut of a small dose is hard to see otherwise)
        cuts = [(s.start, prev.diazepam_eq_mg) for prev, s in zip(steps, steps[1:]) if s.diazepam_eq_mg < prev.diazepam_eq_mg]
        self.cut_markers.setData(x=np.array([day_x(d) for d, _ in cuts]), y=np.array([y for _, y in cuts]))

    def _draw_holds(self) -> None:
        for region in self._holds:
            self.dose_view.removeItem(region)
        self._holds = []
        if self._plan is None:
            return
        for h in self._plan.holds():
            region = pg.LinearRegionItem(
                (day_x(h.start), day_x(h.end) + DAY_SECONDS),
                movable=False,
                brush=pg.mkBrush(*HOLD_RGB, 45),
                pen=pg.mkPen(*HOLD_RGB, 110),
            )
            region.setZValue(-5)
            region.setToolTip(f"Hold from {format_day(h.start)} for {h.days} days: {h.reason}")
            region.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
            region.setVisible(self._hold_sample.isVisible())
            region.day = h.start
            self.dose_view.addItem(region)
            self._holds.append(region)

    def _rebuild_series(self, series: list[Series]) -> None:
        for d in self._drawn.values():
            self.symptom_view.removeItem(d.item)
            for item in d.bands:
                self.symptom_view.removeItem(item)
            self._toggles.removeWidget(d.box)
            d.box.deleteLater()
        self._drawn = {}
        used = {"r"}  # Reset view
        for i, s in enumerate(series):
            if s.key in self._drawn:
                raise ValueError(f"two series with the key {s.key!r}")
            style = STYLES[i % len(STYLES)]
            colour, symbol, dash = style
            item = pg.PlotDataItem(
                [],
                [],
                pen=_pen(colour, 1.6),  # dashes and symbols come with room for them (_update_symbols)
                symbol=None,
                symbolSize=8,
                symbolPen=pg.mkPen("w", width=0.8),
                symbolBrush=pg.mkBrush(colour),
                name=s.title,
            )
            item.setClipToView(True)
            item.setDownsampling(auto=True, method="peak")
            item.setZValue(10 + i)
            self.symptom_view.addItem(item)
            box = QCheckBox(_with_mnemonic(s.title, used))
            box.setIcon(_swatch(style))
            box.setChecked(s.key not in self._hidden)
            box.setToolTip(f"Show {s.title} ({s.low}–{s.high}) on the plot")
            self._toggles.insertWidget(self._toggles.count() - 2, box)
            drawn = _Drawn(s, style, item, box, np.empty(0), np.empty(0), np.empty(0), [])
            item.sigPointsClicked.connect(self._on_points_clicked)  # a click on a symbol
            box.toggled.connect(item.setVisible)
            item.visibleChanged.connect(lambda key=s.key: self._on_series_visibility(key))
            item.setVisible(s.key not in self._hidden)
            self._drawn[s.key] = drawn
        self._toggles_label.setVisible(bool(series))
        self._rebuild_legend()

    def _fill_series(self, d: _Drawn, s: Series) -> None:
        d.series = s
        n = len(s.points)
        days = np.fromiter((p[0].toordinal() for p in s.points), dtype=np.int64, count=n)
        raw = np.fromiter((p[1] for p in s.points), dtype=float, count=n)
        if n > 1 and np.any(np.diff(days) < 0):
            order = np.argsort(days, kind="stable")
            days, raw = days[order], raw[order]
        d.x = (days - _EPOCH) * float(DAY_SECONDS) + DAY_SECONDS / 2
        d.raw = raw
        span = s.high - s.low
        d.pct = (raw - s.low) * (100.0 / span) if span else np.zeros(n)
        connect = "all"
        if n > 1:
            gaps = np.diff(days)
            limit = max(GAP_DAYS, 3 * float(np.median(gaps)))
            connect = np.append(gaps <= limit, False).astype(np.int32)
        d.item.setData(d.x, d.pct, connect=connect)
        self._draw_bands(d)

    def _draw_bands(self, d: _Drawn) -> None:
        s = d.series
        drawn_for = (s.low, s.high, tuple((b.low, b.high, b.label) for b in s.bands))
        if drawn_for == d.bands_for:  # the same bands: keep their items (a new set costs ~5 ms)
            return
        d.bands_for = drawn_for
        for item in d.bands:
            self.symptom_view.removeItem(item)
        d.bands = []
        colour = QColor(d.style[0])
        bands = sorted(s.bands, key=lambda b: b.low)
        for i, b in enumerate(bands):
            # a band covers its whole scores: 21-40 is drawn from 20.5 to 40.5
            lo = d.percent(max(s.low, b.low - 0.5))
            hi = d.percent(min(s.high, b.high + 0.5))
            alpha = 6 + 6 * i
            region = pg.LinearRegionItem(
                (lo, hi), orientation="horizontal", movable=False, brush=pg.mkBrush(colour.red(), colour.green(), colour.blue(), alpha),
                pen=pg.mkPen(None),
            )
            region.setZValue(-20)
            region.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
            items = [region]
            if hi - lo >= 8:  # a label where it fits (not CIWA-B's "none", a band of one score)
                text = pg.TextItem(f"{s.title} {b.label}", color=colour.darker(130), anchor=(1, 0.5))
                text.setPos(0, (lo + hi) / 2)
                text.setZValue(-15)
                items.append(text)
            for item in items:
                self.symptom_view.addItem(item, ignoreBounds=True)
                d.bands.append(item)
        self._place_band_labels()
        self._on_series_visibility(s.key)

    def _rebuild_legend(self) -> None:
        self.legend.clear()
        self.legend.addItem(self.dose_curve, "diazepam-eq dose")
        self.legend.addItem(self.cut_markers, "dose goes down")
        self.legend.addItem(self._hold_sample, "hold (same dose kept)")
        for d in self._drawn.values():
            s = d.series
            self.legend.addItem(d.item, f"{s.title} ({s.low}–{s.high})")
        self._fit_legend()

    def _fit_legend(self) -> None:
        """One row if it fits the view's width, else as few rows as fit."""
        n = len(self.legend.items)
        room = self.dose_view.width() - 50
        for rows in range(1, n + 1):
            self.legend.setColumnCount(math.ceil(n / rows))
            if room <= 0 or self.legend.layout.preferredWidth() <= room:
                break

    # -- view ----------------------------------------------------------------------
    def _home_range(self) -> tuple:
        firsts, lasts = [], []
        top = 1.0
        if self._plan is not None:
            firsts.append(self._plan.start)
            lasts.append(self._plan.end)
            top = max(top, max(s.diazepam_eq_mg for s in self._plan.steps))
        for d in self._drawn.values():
            if d.series.points:
                firsts.append(x_day(d.x[0]))
                lasts.append(x_day(d.x[-1]))
        if not firsts:
            today = date.today()
            firsts, lasts = [today - timedelta(days=30)], [today]
        x0, x1 = day_x(min(firsts)), day_x(max(lasts)) + DAY_SECONDS
        pad = max((x1 - x0) * 0.015, DAY_SECONDS)
        return (x0 - pad, x1 + pad), top

    def _headroom(self) -> float:
        """The share of the view's height the legend row takes at the top."""
        height = self.dose_view.height()
        if height <= 0:
            return 0.1
        return min(0.35, (self.legend.boundingRect().height() + 8) / height)

    def _apply_y(self, dose: bool) -> None:
        """0 mg and 0% a little above the bottom; the top dose and 100% just under the legend."""
        f = self._headroom()
        if dose:
            top = self._home[1]
            bottom = -0.03 * top
            self.dose_view.setYRange(bottom, (top - f * bottom) / (1 - f), padding=0)
        self.symptom_view.setYRange(-3, (100 + 3 * f) / (1 - f), padding=0)  # 0% level with 0 mg, 100% with the top dose

    def reset_view(self) -> None:
        """The whole plan and every score, the dose from 0."""
        if self._home is None:
            self._home = self._home_range()
        self.dose_view.setXRange(*self._home[0], padding=0)
        self._apply_y(dose=True)
        self._at_home = True
        self._update_symbols()

    def _sync_views(self) -> None:
        # its exact rectangle (sceneBoundingRect adds half a pixel of pen), so the x ranges match exactly
        self.symptom_view.setGeometry(self.dose_view.mapRectToScene(QRectF(QPointF(0, 0), self.dose_view.size())))
        self.symptom_view.linkedViewChanged(self.dose_view, self.symptom_view.XAxis)
        self._fit_legend()
        if self._home is not None:
            self._apply_y(dose=self._at_home)
        self._update_symbols()

    def _on_user_range(self, *_):
        self._at_home = False

    def _on_x_range(self, *_):
        self._place_band_labels()
        self._update_symbols()

    def _place_band_labels(self) -> None:
        right = self.dose_view.viewRange()[0][1]
        for d in self._drawn.values():
            for item in d.bands:
                if isinstance(item, pg.TextItem):
                    item.setPos(right, item.pos().y())

    def _update_symbols(self) -> None:
        """Symbols and dashes where the points in view are far enough apart to
        see them; a dense series (years of daily scores) is a plain line: Qt
        strokes a dashed line over thousands of points a hundred times slower."""
        (x0, x1), _ = self.dose_view.viewRange()
        width = max(self.dose_view.width(), 1.0)
        # the ▼s too: packed closer than CUT_SPACING_PX they hide the curve they mark
        # (transparent rather than hidden, so the legend still shows the symbol)
        cuts = self.cut_markers.data["x"]
        shown = int(np.searchsorted(cuts, x1) - np.searchsorted(cuts, x0)) if len(cuts) else 0
        self.cut_markers.setOpacity(1.0 if shown * CUT_SPACING_PX <= width else 0.0)
        for d in self._drawn.values():
            shown = int(np.searchsorted(d.x, x1) - np.searchsorted(d.x, x0))
            sparse = shown * SYMBOL_SPACING_PX <= width
            if sparse != d.symbols:
                d.symbols = sparse
                colour, symbol, dash = d.style
                d.item.setPen(_pen(colour, 1.6, dash if sparse else Qt.PenStyle.SolidLine))
                d.item.setSymbol(symbol if sparse else None)
                self.legend.update()

    # -- visibility ----------------------------------------------------------------
    def set_series_visible(self, key: str, visible: bool) -> None:
        self._drawn[key].item.setVisible(visible)

    def series_visible(self, key: str) -> bool:
        return self._drawn[key].item.isVisible()

    def _on_series_visibility(self, key: str) -> None:
        d = self._drawn.get(key)
        if d is None:
            return
        visible = d.item.isVisible()
        (self._hidden.discard if visible else self._hidden.add)(key)
        if d.box.isChecked() != visible:
            d.box.setChecked(visible)
        for item in d.bands:
            item.setVisible(visible)
        self.legend.update()

    def _apply_hold_visibility(self) -> None:
        for region in self._holds:
            region.setVisible(self._hold_sample.isVisible())

    # -- reading back (tests, and anyone who wants the numbers) ---------------------
    def dose_curve_data(self) -> tuple[list[float], list[float]]:
        """x (epoch seconds: each step's first midnight, then the day after the
        end) and y (diazepam-eq mg/day), as given to the step curve."""
        x, y = self.dose_curve.getData()
        if x is None:
            return [], []
        return [float(v) for v in x], [float(v) for v in y]

    def series_data(self, key: str) -> tuple[list[float], list[float]]:
        """x (epoch seconds, the day's noon) and y (% of the scale's range) as drawn."""
        d = self._drawn[key]
        return d.x.tolist(), d.pct.tolist()

    def marker_dates(self) -> dict[str, list[date]]:
        xs = self.cut_markers.data["x"]
        return {
            "step_change": [x_day(float(x)) for x in xs],
            "hold": [x_day(r.getRegion()[0]) for r in self._holds],
        }

    # -- hover and click -------------------------------------------------------------
    def hover_text(self, x_epoch: float, y: float) -> str:
        """What the hover label says at (x, y) in the dose view's coordinates:
        the day, the dose in force and the scores within a week of it."""
        day = x_day(x_epoch)
        lines = [_long_day(day)]
        plan = self._plan
        if plan is None:
            lines.append("Dose: no plan")
        else:
            step = plan.step_on(day)
            if step is None:
                where = "before the plan starts" if day < plan.start else "after the plan ends"
                lines.append(f"Dose: none ({where})")
            else:
                text = f"Dose: {fmt_mg(step.diazepam_eq_mg)} mg diazepam-eq/day"
                totals = step.daily_mg
                if totals and set(totals) != {"diazepam"}:
                    text += " (" + " + ".join(f"{drug} {fmt_mg(mg)} mg" for drug, mg in totals.items()) + ")"
                if step.kind == "hold":
                    text += f"\nHold: {step.reason}" if step.reason else "\nHold"
                elif step.kind == "stop" or not step.doses:
                    text += ", stopped"
                lines.append(text)
        scores = []
        cursor_pct = self._dose_y_to_percent(y)
        shown = [d for d in self._drawn.values() if d.item.isVisible()]
        for d in shown:
            if not len(d.x):
                continue
            i = _nearest(d.x, x_epoch)
            near = x_day(float(d.x[i]))
            if abs((near - day).days) > NEAR_DAYS:
                continue
            s = d.series
            raw = d.raw[i]
            scale = f"of {s.high}" if s.low == 0 else f"on {s.low}–{s.high}"
            text = f"{s.title}: {fmt_mg(raw)} {scale} ({d.pct[i]:.0f}% of scale range)"
            band = d.band_label(raw)
            if band:
                text += f", {band}"
            if near != day:
                text += f", {format_day(near)}"
            scores.append((abs(d.pct[i] - cursor_pct), text))
        if scores:
            nearest = min(range(len(scores)), key=lambda k: scores[k][0])
            for k, (_, text) in enumerate(scores):
                lines.append(("▸ " if k == nearest and len(scores) > 1 else "") + text)
        elif shown:
            lines.append(f"No scores within {NEAR_DAYS} days")
        return "\n".join(lines)

    def _dose_y_to_percent(self, y: float) -> float:
        (_, _), (d0, d1) = self.dose_view.viewRange()
        (_, _), (s0, s1) = self.symptom_view.viewRange()
        return s0 + (y - d0) / ((d1 - d0) or 1.0) * (s1 - s0)

    def click_at(self, x_epoch: float) -> None:
        """As a click at x: emits dateClicked with the day there."""
        self.dateClicked.emit(x_day(x_epoch))

    def _on_points_clicked(self, _item, points, _ev) -> None:
        if len(points):
            self.dateClicked.emit(x_day(points[0].pos().x()))

    def _on_view_clicked(self, scene_pos) -> None:
        self.dateClicked.emit(self._day_at_scene(scene_pos))

    def _day_at_scene(self, scene_pos) -> date:
        """The day of a symptom point within SNAP_PX of the click, else the day clicked."""
        best, best_day = float(SNAP_PX), None
        left = self.symptom_view.mapSceneToView(scene_pos - QPointF(SNAP_PX, 0)).x()
        right = self.symptom_view.mapSceneToView(scene_pos + QPointF(SNAP_PX, 0)).x()
        for d in self._drawn.values():
            if not d.item.isVisible():
                continue
            lo, hi = np.searchsorted(d.x, left), np.searchsorted(d.x, right)
            for i in range(lo, min(hi, lo + 50)):
                p = self.symptom_view.mapViewToScene(QPointF(float(d.x[i]), float(d.pct[i])))
                dist = math.hypot(p.x() - scene_pos.x(), p.y() - scene_pos.y())
                if dist <= best:
                    best, best_day = dist, x_day(float(d.x[i]))
        if best_day is not None:
            return best_day
        return x_day(self.dose_view.mapSceneToView(scene_pos).x())

    def _on_mouse_moved(self, scene_pos) -> None:
        if not self.dose_view.sceneBoundingRect().contains(scene_pos):
            self._hide_hover()
            return
        p = self.dose_view.mapSceneToView(scene_pos)
        (x0, x1), (y0, y1) = self.dose_view.viewRange()
        self.hover_label.setText(self.hover_text(p.x(), p.y()))
        # keep the label inside the view: left of the cursor on the right half, below it on the top half
        self.hover_label.setAnchor((1.0 if p.x() > (x0 + x1) / 2 else 0.0, 0.0 if p.y() > (y0 + y1) / 2 else 1.0))
        self.hover_label.setPos(p)
        self.hover_line.setPos(p.x())
        self.hover_label.show()
        self.hover_line.show()

    def _hide_hover(self) -> None:
        self.hover_label.hide()
        self.hover_line.hide()


def _nearest(xs: np.ndarray, x: float) -> int:
    i = int(np.searchsorted(xs, x))
    if i == 0:
        return 0
    if i == len(xs):
        return len(xs) - 1
    return i if xs[i] - x < x - xs[i - 1] else i - 1


def _with_mnemonic(title: str, used: set[str]) -> str:
    """'CIWA-B' -> '&CIWA-B': the first letter or digit no other control here has taken."""
    escaped = title.replace("&", "&&")
    for i, ch in enumerate(title):
        if ch.isalnum() and ch.lower() not in used:
            used.add(ch.lower())
            j = len(title[:i].replace("&", "&&"))
            return escaped[:j] + "&" + escaped[j:]
    return escaped
