"""The plot's rows: one PlotWidget per row sharing the time axis, and a scale's
row (its scores as one line, its bands shaded behind them).

A row draws any `Series` of (day, value) on its own axis in its own units, so
another kind of series (side effects, say) is one more Series passed to
SymptomPlot.set_data, in the order its style should follow.

Speed: a series is one PlotDataItem fed numpy arrays, clipped to the view and
downsampled to the pixels (peak: a spike survives); a dense series is a thin
plain line, which paints fast, and a sparse one gets its symbols and dashes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QCheckBox

import pyqtgraph as pg  # after PySide6, so pyqtgraph binds to it

from taperdesk.ui.symptoms.plot_data import DAY_SECONDS
from taperdesk.ui.symptoms.plot_parts import AXIS, TEXT, ClickViewBox, DateAxis, ValueAxis, pen

GAP_DAYS = 14  # a series' line breaks across a gap longer than this (or 3x its usual spacing)
SPARSE_WIDTH = 1.6  # the pen of a series whose points in view are apart (symbols shown)
DENSE_WIDTH = 1.0  # ... and of a dense one: a one-pixel line is the fastest Qt paints
_EPOCH = date(1970, 1, 1).toordinal()


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


def plot_widget(view: pg.ViewBox, y_label: str) -> pg.PlotWidget:
    """A row: its own view and y axis; the date axis below (labelled in the bottom row only)."""
    # PlotWidgets stacked in a layout, not a GraphicsLayoutWidget: the latter can
    # crash the interpreter at exit on PySide6 6.11 when a window is still open
    widget = pg.PlotWidget(background="w", viewBox=view, axisItems={"bottom": DateAxis(), "left": ValueAxis()})
    item = widget.getPlotItem()
    item.setMenuEnabled(False)  # its menu offers pyqtgraph's SVG export, broken on PySide6 6.11
    item.hideButtons()
    item.showGrid(x=True, y=True, alpha=0.15)
    item.setLabel("left", y_label, color=TEXT, **{"font-size": "9pt"})
    for name in ("left", "bottom"):
        axis = item.getAxis(name)
        axis.setPen(pg.mkPen(AXIS))
        axis.setTextPen(pg.mkPen(TEXT))
    for name in ("left", "bottom", "top", "right"):
        # no units, so no SI prefix to show; left on, every change of range re-typesets each
        # axis's label as HTML, hidden ones too (a third of the plot's time on a patient switch)
        item.getAxis(name).enableAutoSIPrefix(False)
    item.getAxis("left").setWidth(62)  # the same width in every row, so the x scales line up
    return widget


def short_label(title: str) -> str:
    """'Daily self-rating' -> 'Daily'; 'CIWA-B' stays: an axis label that fits a row."""
    first = title.split()[0] if title.split() else title
    return first[:10]


@dataclass
class ScaleRow:
    """One series' row: its widget, view, line, legend toggle and bands."""

    series: Series
    style: tuple  # (colour, symbol, dash), from plot_parts.STYLES
    item: pg.PlotDataItem
    box: QCheckBox
    graphics: pg.PlotWidget
    view: pg.ViewBox
    x: np.ndarray = field(default_factory=lambda: np.empty(0))
    raw: np.ndarray = field(default_factory=lambda: np.empty(0))
    bands: list = field(default_factory=list)  # LinearRegionItem and TextItem in this row
    symbols: bool = False
    bands_for: tuple | None = None

    @classmethod
    def build(cls, series: Series, style: tuple, box: QCheckBox, x_link: pg.ViewBox) -> ScaleRow:
        colour, _symbol, _dash = style
        view = ClickViewBox(enableMenu=False)
        view.setMouseEnabled(x=True, y=False)
        view.setXLink(x_link)
        # a short axis label that fits a low row; the legend above names it in full
        graphics = plot_widget(view, short_label(series.title))
        graphics.setMinimumHeight(56)
        graphics.setAccessibleName(f"{series.title} plot")
        span = series.high - series.low
        view.setYRange(series.low - 0.04 * span, series.high + 0.04 * span, padding=0)
        view.disableAutoRange()
        item = pg.PlotDataItem([], [], pen=pen(colour, DENSE_WIDTH), symbol=None, symbolSize=8,
                               symbolPen=pg.mkPen("w", width=0.8), symbolBrush=pg.mkBrush(colour), name=series.title)
        item.setClipToView(True)
        item.setDownsampling(auto=True, method="peak")
        item.setZValue(10)
        view.addItem(item)
        return cls(series, style, item, box, graphics, view)

    def band_label(self, value: float) -> str:
        for b in self.series.bands:
            if b.low <= value <= b.high:
                return b.label
        return ""

    def fill(self, series: Series) -> None:
        """Draw these scores (sorted by day; the line breaks across long gaps)."""
        self.series = series
        n = len(series.points)
        days = np.fromiter((p[0].toordinal() for p in series.points), dtype=np.int64, count=n)
        raw = np.fromiter((p[1] for p in series.points), dtype=float, count=n)
        if n > 1 and np.any(np.diff(days) < 0):
            order = np.argsort(days, kind="stable")
            days, raw = days[order], raw[order]
        self.x = (days - _EPOCH) * float(DAY_SECONDS) + DAY_SECONDS / 2
        self.raw = raw
        connect = "all"
        if n > 1:
            gaps = np.diff(days)
            limit = max(GAP_DAYS, 3 * float(np.median(gaps)))
            connect = np.append(gaps <= limit, False).astype(np.int32)
        self.item.setData(self.x, self.raw, connect=connect)
        self._draw_bands()

    def shown_between(self, x0: float, x1: float) -> int:
        return int(np.searchsorted(self.x, x1) - np.searchsorted(self.x, x0))

    def set_sparse(self, sparse: bool) -> None:
        """Symbols and the series' dash when its points are apart; a thin plain line when not."""
        if sparse == self.symbols:
            return
        self.symbols = sparse
        colour, symbol, dash = self.style
        self.item.setPen(pen(colour, SPARSE_WIDTH, dash) if sparse else pen(colour, DENSE_WIDTH))
        self.item.setSymbol(symbol if sparse else None)

    def place_band_labels(self, right: float) -> None:
        for item in self.bands:
            if isinstance(item, pg.TextItem):
                item.setPos(right, item.pos().y())

    def _draw_bands(self) -> None:
        s = self.series
        drawn_for = (s.low, s.high, tuple((b.low, b.high, b.label) for b in s.bands))
        if drawn_for == self.bands_for:  # the same bands: keep their items
            return
        self.bands_for = drawn_for
        for item in self.bands:
            self.view.removeItem(item)
        self.bands = []
        colour = QColor(self.style[0])
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
                self.view.addItem(item, ignoreBounds=True)
                self.bands.append(item)
