"""The symptom–dose plot: how symptoms moved with each dose change.

Stacked rows that share one time axis (x-linked): on top the diazepam-
equivalent daily dose as a step curve with every dose change marked (▼, as on
the calendar) and every hold shaded; below it one row per scale, each on its
own axis in its own units (a daily rating 0–10, CIWA-B 0–80), with a banded
scale's bands shaded in that row only. So no score is ever drawn inside
another scale's bands, and no axis needs a percentage to be read. The legend
sits above the rows, outside the data, and doubles as the row toggles.

The dose curve comes from the patient's course (plot_data.dose_curve, from
taperdesk.core.in_force), so a paused or ended plan shows no cut it will not
make. The default view runs from the plan's start to eight weeks past today
(a new patient's first weeks are not squeezed against the whole plan); "Reset
view" comes back to it. The widget takes plain data (a course or plan and
`Series` of (day, score)) and knows nothing of storage.

Speed: a series is one PlotDataItem fed numpy arrays, the changes one
ScatterPlotItem; nothing is drawn per point. Symbols and dashes appear when the
points in view are far enough apart to be told apart; a dense series is a
plain line, which paints fast."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

import pyqtgraph as pg  # after PySide6, so pyqtgraph binds to it

from taperdesk.core.in_force import InForce
from taperdesk.core.plan import Plan
from taperdesk.core.plan_diff import format_day
from taperdesk.core.quantity import fmt_mg
from taperdesk.ui.symptoms.plot_data import (
    DAY_SECONDS, as_course, day_x, dose_curve, dose_words, home_days, long_day, x_day,
)
from taperdesk.ui.symptoms.plot_parts import (
    AXIS, CUT_COLOUR, DOSE_COLOUR, HOLD_RGB, STYLES, TEXT, ClickViewBox, DateAxis, LeaveFilter,
    legend_icon, nearest, pen, swatch, with_mnemonic,
)

__all__ = ["Series", "SymptomPlot", "day_x", "x_day", "DAY_SECONDS"]

NEAR_DAYS = 7  # hover: scores this close to the day are "near it"
SNAP_PX = 8  # click: a point this close (in pixels) is the one clicked
SYMBOL_SPACING_PX = 6  # symbols shown when the points in view are this far apart
CUT_SPACING_PX = 12  # change markers shown when those in view are this far apart
GAP_DAYS = 14  # a series' line breaks across a gap longer than this (or 3x its usual spacing)


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
    graphics: pg.PlotWidget
    view: pg.ViewBox
    x: np.ndarray
    raw: np.ndarray
    bands: list  # LinearRegionItem and TextItem in this scale's row
    symbols: bool = False
    bands_for: tuple | None = None

    def band_label(self, value: float) -> str:
        for b in self.series.bands:
            if b.low <= value <= b.high:
                return b.label
        return ""


def _plot_widget(view: pg.ViewBox, y_label: str) -> pg.PlotWidget:
    # PlotWidgets stacked in a layout, not a GraphicsLayoutWidget: the latter can
    # crash the interpreter at exit on PySide6 6.11 when a window is still open
    widget = pg.PlotWidget(background="w", viewBox=view, axisItems={"bottom": DateAxis()})
    item = widget.getPlotItem()
    item.setMenuEnabled(False)  # its menu offers pyqtgraph's SVG export, broken on PySide6 6.11
    item.hideButtons()
    item.showGrid(x=True, y=True, alpha=0.15)
    item.setLabel("left", y_label, color=TEXT, **{"font-size": "9pt"})
    for name in ("left", "bottom"):
        axis = item.getAxis(name)
        axis.setPen(pg.mkPen(AXIS))
        axis.setTextPen(pg.mkPen(TEXT))
    item.getAxis("left").setWidth(62)  # the same width in every row, so the x scales line up
    return widget


def _short(title: str) -> str:
    """'Daily self-rating' -> 'Daily'; 'CIWA-B' stays: an axis label that fits a row."""
    first = title.split()[0] if title.split() else title
    return first[:10]


class SymptomPlot(QWidget):
    """Dose and symptoms against time. Feed it with `set_data`."""

    dateClicked = Signal(object)  # datetime.date

    def __init__(self, parent=None, *, today: date | None = None):
        super().__init__(parent)
        self.today = today or date.today()
        self._course: InForce | None = None
        self._drawn: dict[str, _Drawn] = {}
        self._signature: tuple = ()
        self._hidden: set[str] = set()
        self._holds: list[pg.LinearRegionItem] = []
        self._home: tuple | None = None
        self._at_home = True

        # -- the legend, outside the data: what each row draws, and its toggle -----
        self._legend = QHBoxLayout()
        self._legend.setContentsMargins(0, 0, 0, 0)
        self.legend_labels: dict[str, QLabel] = {}
        for key, icon, text in (("dose", legend_icon("dose"), "diazepam-eq dose"),
                                ("change", legend_icon("change"), "dose changes")):
            label = QLabel()
            label.setPixmap(icon)
            words = QLabel(text)
            self._legend.addWidget(label)
            self._legend.addWidget(words)
            self.legend_labels[key] = words
        self.holds_box = QCheckBox("hold (same dose kept)")
        self.holds_box.setIcon(legend_icon("hold"))
        self.holds_box.setChecked(True)
        self.holds_box.toggled.connect(self._apply_hold_visibility)
        self._legend.addWidget(self.holds_box)
        self._legend.addStretch(1)
        self.reset_button = QPushButton("&Reset view")
        self.reset_button.setToolTip("Back to the plan's start to eight weeks past today (zoom: wheel; pan: drag)")
        self.reset_button.clicked.connect(self.reset_view)
        self._legend.addWidget(self.reset_button)

        # -- the dose row --------------------------------------------------------
        self.dose_view = ClickViewBox(enableMenu=False)
        self.graphics = _plot_widget(self.dose_view, "mg eq/day")
        self.graphics.setAccessibleName("dose plot")
        self.graphics.setMinimumHeight(80)
        self.dose_view.setLimits(minXRange=7 * DAY_SECONDS)
        self.dose_view.sigRangeChangedManually.connect(self._on_user_range)
        self.dose_view.sigXRangeChanged.connect(self._on_x_range)
        self.dose_view.clicked.connect(lambda pos: self.dateClicked.emit(self._day_at_scene(pos, self.dose_view)))
        self.dose_curve = pg.PlotDataItem([], [], stepMode="right", pen=pen(DOSE_COLOUR, 2.5), name="dose")
        self.dose_curve.setZValue(5)
        self.dose_view.addItem(self.dose_curve)
        self.cut_markers = pg.ScatterPlotItem(
            symbol="t", size=10, pen=pg.mkPen("w", width=0.8), brush=pg.mkBrush(CUT_COLOUR), pxMode=True)
        self.cut_markers.setZValue(6)
        self.cut_markers.sigClicked.connect(self._on_points_clicked)
        self.dose_view.addItem(self.cut_markers)
        self.hover_line = pg.InfiniteLine(angle=90, movable=False,
                                          pen=pg.mkPen("#888888", width=1, style=Qt.PenStyle.DashLine))
        self.hover_label = pg.TextItem(color=TEXT, fill=pg.mkBrush(255, 255, 255, 235), border=pg.mkPen("#999999"))
        for item in (self.hover_line, self.hover_label):
            item.setZValue(50)
            item.hide()
            self.dose_view.addItem(item, ignoreBounds=True)
        self._watch(self.graphics, self.dose_view)

        self._rows = QVBoxLayout()
        self._rows.setContentsMargins(0, 0, 0, 0)
        self._rows.setSpacing(2)
        self._rows.addWidget(self.graphics, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._legend)
        layout.addLayout(self._rows, 1)
        self.set_data(None, [])

    def _watch(self, graphics: pg.PlotWidget, view: pg.ViewBox) -> None:
        graphics.scene().sigMouseMoved.connect(lambda pos, v=view: self._on_mouse_moved(pos, v))
        graphics.installEventFilter(LeaveFilter(self._hide_hover, graphics))

    # -- feeding -------------------------------------------------------------------
    def set_today(self, today: date) -> None:
        self.today = today

    def set_data(self, plan: Plan | InForce | None, series: list[Series]) -> None:
        """Redraw everything. The view is reset only when the span of the data
        changed (adding a score inside the view keeps the user's zoom)."""
        self._course = as_course(plan)
        signature = tuple((s.key, s.title, s.low, s.high) for s in series)
        if signature != self._signature:
            self._rebuild_series(series)
            self._signature = signature
        for s in series:
            self._fill_series(self._drawn[s.key], s)
        score_days = sorted(x_day(float(d.x[i])) for d in self._drawn.values() for i in (0, -1) if len(d.x))
        first, last = home_days(self._course, score_days, self.today)
        # a dose that continues is drawn a year past the view, so panning on shows it going on
        self._draw_dose(until=max(last, score_days[-1] if score_days else last) + timedelta(days=365))
        top = max([1.0, *self._curve.y])
        home = ((day_x(first) - DAY_SECONDS, day_x(last) + 2 * DAY_SECONDS), top)
        if home != self._home:
            self._home = home
            self.reset_view()
        else:
            self._update_symbols()

    def _draw_dose(self, *, until: date) -> None:
        curve = self._curve = dose_curve(self._course, until=until)
        self.dose_curve.setData(np.array(curve.x), np.array(curve.y), stepMode="right")
        self.cut_markers.setData(x=np.array([day_x(d) for d, _ in curve.changes]),
                                 y=np.array([y for _, y in curve.changes]))
        for region in self._holds:
            self.dose_view.removeItem(region)
        self._holds = []
        for first, last, reason in curve.holds:
            region = pg.LinearRegionItem((day_x(first), day_x(last) + DAY_SECONDS), movable=False,
                                         brush=pg.mkBrush(*HOLD_RGB, 45), pen=pg.mkPen(*HOLD_RGB, 110))
            region.setZValue(-5)
            region.setToolTip(f"Hold from {format_day(first)} for {(last - first).days + 1} days: {reason}")
            region.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
            region.setVisible(self.holds_box.isChecked())
            region.day = first
            self.dose_view.addItem(region)
            self._holds.append(region)

    def _rebuild_series(self, series: list[Series]) -> None:
        for d in self._drawn.values():
            self._rows.removeWidget(d.graphics)
            d.graphics.deleteLater()
            self._legend.removeWidget(d.box)
            d.box.deleteLater()
        self._drawn = {}
        used = {"r"}  # Reset view
        for i, s in enumerate(series):
            if s.key in self._drawn:
                raise ValueError(f"two series with the key {s.key!r}")
            style = STYLES[i % len(STYLES)]
            colour, symbol, dash = style
            view = ClickViewBox(enableMenu=False)
            view.setMouseEnabled(x=True, y=False)
            view.setXLink(self.dose_view)
            # a short axis label that fits a low row; the legend above names it in full
            graphics = _plot_widget(view, _short(s.title))
            graphics.setMinimumHeight(56)
            graphics.setAccessibleName(f"{s.title} plot")
            view.setYRange(s.low - 0.04 * (s.high - s.low), s.high + 0.04 * (s.high - s.low), padding=0)
            view.disableAutoRange()
            item = pg.PlotDataItem([], [], pen=pen(colour, 1.6), symbol=None, symbolSize=8,
                                   symbolPen=pg.mkPen("w", width=0.8), symbolBrush=pg.mkBrush(colour), name=s.title)
            item.setClipToView(True)
            item.setDownsampling(auto=True, method="peak")
            item.setZValue(10)
            view.addItem(item)
            item.sigPointsClicked.connect(self._on_points_clicked)
            view.clicked.connect(lambda pos, v=view: self.dateClicked.emit(self._day_at_scene(pos, v)))
            self._watch(graphics, view)
            box = QCheckBox(with_mnemonic(f"{s.title} ({s.low}–{s.high})", used))
            box.setIcon(swatch(style))
            box.setChecked(s.key not in self._hidden)
            box.setToolTip(f"Show the {s.title} row")
            self._legend.insertWidget(self._legend.count() - 2, box)
            self._rows.addWidget(graphics, 2)
            drawn = _Drawn(s, style, item, box, graphics, view, np.empty(0), np.empty(0), [])
            box.toggled.connect(lambda on, key=s.key: self.set_series_visible(key, on))
            graphics.setVisible(s.key not in self._hidden)
            self._drawn[s.key] = drawn
        # only the bottom row labels the dates: the rows above share them
        rows = [self.graphics] + [d.graphics for d in self._drawn.values()]
        for row in rows:
            row.getPlotItem().getAxis("bottom").setStyle(showValues=row is rows[-1])

    def _fill_series(self, d: _Drawn, s: Series) -> None:
        d.series = s
        n = len(s.points)
        days = np.fromiter((p[0].toordinal() for p in s.points), dtype=np.int64, count=n)
        raw = np.fromiter((p[1] for p in s.points), dtype=float, count=n)
        if n > 1 and np.any(np.diff(days) < 0):
            order = np.argsort(days, kind="stable")
            days, raw = days[order], raw[order]
        d.x = (days - date(1970, 1, 1).toordinal()) * float(DAY_SECONDS) + DAY_SECONDS / 2
        d.raw = raw
        connect = "all"
        if n > 1:
            gaps = np.diff(days)
            limit = max(GAP_DAYS, 3 * float(np.median(gaps)))
            connect = np.append(gaps <= limit, False).astype(np.int32)
        d.item.setData(d.x, d.raw, connect=connect)
        self._draw_bands(d)

    def _draw_bands(self, d: _Drawn) -> None:
        s = d.series
        drawn_for = (s.low, s.high, tuple((b.low, b.high, b.label) for b in s.bands))
        if drawn_for == d.bands_for:  # the same bands: keep their items
            return
        d.bands_for = drawn_for
        for item in d.bands:
            d.view.removeItem(item)
        d.bands = []
        colour = QColor(d.style[0])
        for i, b in enumerate(sorted(s.bands, key=lambda b: b.low)):
            # a band covers its whole scores: 21-40 is drawn from 20.5 to 40.5
            lo, hi = max(s.low, b.low - 0.5), min(s.high, b.high + 0.5)
            region = pg.LinearRegionItem((lo, hi), orientation="horizontal", movable=False, pen=pg.mkPen(None),
                                         brush=pg.mkBrush(colour.red(), colour.green(), colour.blue(), 8 + 7 * i))
            region.setZValue(-20)
            region.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
            items = [region]
            if (hi - lo) / ((s.high - s.low) or 1) >= 0.12:  # a label where it fits
                text = pg.TextItem(b.label, color=colour.darker(130), anchor=(1, 0.5))
                text.setPos(0, (lo + hi) / 2)
                text.setZValue(-15)
                items.append(text)
            for item in items:
                d.view.addItem(item, ignoreBounds=True)
                d.bands.append(item)
        self._place_band_labels()

    # -- view ----------------------------------------------------------------------
    def reset_view(self) -> None:
        """From the plan's start to eight weeks past today, the dose from 0."""
        if self._home is None:
            return
        (x0, x1), top = self._home
        self.dose_view.setXRange(x0, x1, padding=0)
        self.dose_view.setYRange(-0.04 * top, top * 1.08, padding=0)
        self._at_home = True
        self._update_symbols()

    def home_range(self) -> tuple[date, date]:
        """The first and last day of the default view."""
        (x0, x1), _ = self._home
        return x_day(x0 + DAY_SECONDS), x_day(x1 - 2 * DAY_SECONDS)

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
        (x0, x1), _ = self.dose_view.viewRange()
        width = max(self.dose_view.width(), 1.0)
        cuts = self.cut_markers.data["x"]
        shown = int(np.searchsorted(cuts, x1) - np.searchsorted(cuts, x0)) if len(cuts) else 0
        self.cut_markers.setOpacity(1.0 if shown * CUT_SPACING_PX <= width else 0.0)
        for d in self._drawn.values():
            shown = int(np.searchsorted(d.x, x1) - np.searchsorted(d.x, x0))
            sparse = shown * SYMBOL_SPACING_PX <= width
            if sparse != d.symbols:
                d.symbols = sparse
                colour, symbol, dash = d.style
                d.item.setPen(pen(colour, 1.6, dash if sparse else Qt.PenStyle.SolidLine))
                d.item.setSymbol(symbol if sparse else None)

    # -- visibility ----------------------------------------------------------------
    def set_series_visible(self, key: str, visible: bool) -> None:
        d = self._drawn[key]
        (self._hidden.discard if visible else self._hidden.add)(key)
        d.graphics.setVisible(visible)
        if d.box.isChecked() != visible:
            d.box.setChecked(visible)

    def series_visible(self, key: str) -> bool:
        return key not in self._hidden

    def _apply_hold_visibility(self) -> None:
        for region in self._holds:
            region.setVisible(self.holds_box.isChecked())

    # -- reading back (tests, and anyone who wants the numbers) ---------------------
    def dose_curve_data(self) -> tuple[list[float], list[float]]:
        """x (epoch seconds: the first midnight of each run of one dose, then the
        day after the last) and y (diazepam-eq mg/day), as given to the step curve."""
        x, y = self.dose_curve.getData()
        if x is None:
            return [], []
        return [float(v) for v in x], [float(v) for v in y]

    def dose_on(self, day: date) -> float | None:
        """The dose the curve draws on `day`, or None where it draws nothing."""
        xs, ys = self.dose_curve_data()
        x = day_x(day)
        if not xs or x < xs[0] or x >= xs[-1]:
            return None
        return ys[int(np.searchsorted(np.array(xs), x, side="right")) - 1]

    def series_data(self, key: str) -> tuple[list[float], list[float]]:
        """x (epoch seconds, the day's noon) and y (the score, in the scale's own units) as drawn."""
        d = self._drawn[key]
        return d.x.tolist(), d.raw.tolist()

    def marker_dates(self) -> dict[str, list[date]]:
        xs = self.cut_markers.data["x"]
        return {"step_change": [x_day(float(x)) for x in xs],
                "hold": [x_day(r.getRegion()[0]) for r in self._holds]}

    def legend_entries(self) -> list[str]:
        """The legend's words, left to right."""
        return ([self.legend_labels["dose"].text(), self.legend_labels["change"].text(),
                 self.holds_box.text().replace("&", "")]
                + [d.box.text().replace("&", "") for d in self._drawn.values()])

    def rows(self) -> list[pg.PlotWidget]:
        """The stacked rows, top to bottom: the dose, then each scale shown."""
        return [self.graphics] + [d.graphics for d in self._drawn.values()]

    # -- hover and click -------------------------------------------------------------
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

    def _day_at_scene(self, scene_pos, view: pg.ViewBox | None = None) -> date:
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


