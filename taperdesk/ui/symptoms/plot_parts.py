"""The symptom plot's small drawing parts: colours and styles, the axes (their
grid drawn opaque, beneath the data), a view box that reports clicks, the
legend's icons and the toggles' mnemonics. Kept apart from the widget so it stays about what is drawn, not how."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from PySide6.QtCore import QEvent, QObject, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap, QPolygonF

import pyqtgraph as pg  # after PySide6, so pyqtgraph binds to it
from pyqtgraph.graphicsItems.ScatterPlotItem import drawSymbol

from taperdesk.ui.calendar.style import SYMBOL_COLOR

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


class ClickViewBox(pg.ViewBox):
    """A row's view: a left click (not a drag) reports where it was."""

    clicked = Signal(object)  # scene position

    def mouseClickEvent(self, ev):  # noqa: N802 (pyqtgraph's name)
        if ev.button() == Qt.MouseButton.LeftButton and not ev.double():
            ev.accept()
            self.clicked.emit(ev.scenePos())
        else:
            super().mouseClickEvent(ev)


@lru_cache(maxsize=64)
def _on_white(rgba: tuple[int, int, int, int]) -> QColor:
    red, green, blue, alpha = rgba
    a = alpha / 255
    return QColor(*(round(v * a + 255 * (1 - a)) for v in (red, green, blue)))


class OpaqueGrid:
    """Grid lines in the colour their translucent pen shows on the white
    background, drawn beneath the data: Qt's raster engine draws a translucent
    one-pixel line about 15 times slower than an opaque one, and the grid of four
    rows cost more to paint (90 ms of a 130 ms redraw) than 10,950 scores."""

    def generateDrawSpecs(self, p):  # noqa: N802 (pyqtgraph's name)
        specs = super().generateDrawSpecs(p)
        if specs is None or self.grid is False:
            return specs
        axis, ticks, texts = specs
        opaque = []
        for tick_pen, start, stop in ticks:
            colour = tick_pen.color()
            if colour.alpha() < 255:
                tick_pen = QPen(tick_pen)
                tick_pen.setColor(_on_white(colour.getRgb()))
            opaque.append((tick_pen, start, stop))
        return axis, opaque, texts

    def setGrid(self, grid):  # noqa: N802 (pyqtgraph's name)
        super().setGrid(grid)
        self.setZValue(GRID_Z)  # beneath the row's view box (-100), so the data covers the grid


GRID_Z = -200


class ValueAxis(OpaqueGrid, pg.AxisItem):
    """A row's left axis: its values, and the horizontal grid lines."""

    def __init__(self):
        super().__init__(orientation="left")


class DateAxis(OpaqueGrid, pg.DateAxisItem):
    """Calendar days (UTC, so no time zone or daylight-saving hour moves a
    day), and at most MAX_GRID_LINES ticks per level: a fifteen-year view
    drew a grid line per month, which cost more to paint than every score."""

    MAX_GRID_LINES = 40
    _last: tuple = ((), [])  # (what was asked, the ticks): every row asks the same of its date axis

    def __init__(self):
        super().__init__(orientation="bottom", utcOffset=0)

    def tickValues(self, minVal, maxVal, size):  # noqa: N802 (pyqtgraph's name)
        # the rows share one time axis, so the second and later rows reuse the first's ticks
        self.setZoomLevelForDensity((maxVal - minVal) / size)  # tickStrings reads the level it sets
        asked = (minVal, maxVal, size, self.minSpacing, id(self.zoomLevel), self.utcOffset)
        if DateAxis._last[0] == asked:
            return [(spacing, list(values)) for spacing, values in DateAxis._last[1]]
        levels = super().tickValues(minVal, maxVal, size)
        kept = [level for level in levels if len(level[1]) <= self.MAX_GRID_LINES]
        kept = kept or levels[:1]
        DateAxis._last = (asked, [(spacing, list(values)) for spacing, values in kept])
        return kept


class LeaveFilter(QObject):
    def __init__(self, callback, parent=None):
        super().__init__(parent)
        self._callback = callback

    def eventFilter(self, obj, event):  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Leave:
            self._callback()
        return False


def pen(colour, width=1.5, style=Qt.PenStyle.SolidLine):
    p = pg.mkPen(colour, width=width)
    p.setStyle(style)
    return p


def swatch(style) -> QIcon:
    """A checkbox icon: the series' line and symbol, as drawn."""
    colour, symbol, dash = style
    pm = QPixmap(28, 16)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(pen(colour, 2, dash))
    p.drawLine(1, 8, 27, 8)
    p.translate(14, 8)
    drawSymbol(p, symbol, 9, pg.mkPen(colour), pg.mkBrush(colour))
    p.end()
    return QIcon(pm)


def legend_icon(kind: str) -> QPixmap:
    """The legend's samples: the dose line, the ▼ of a change, the hold's shading."""
    pm = QPixmap(28, 16)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    if kind == "dose":
        p.setPen(pen(DOSE_COLOUR, 2.5))
        p.drawPolyline(QPolygonF([QPointF(1, 4), QPointF(14, 4), QPointF(14, 12), QPointF(27, 12)]))
    elif kind == "change":
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(CUT_COLOUR))
        p.drawPolygon(QPolygonF([QPointF(8, 3), QPointF(20, 3), QPointF(14, 13)]))
    else:
        p.setPen(pg.mkPen(*HOLD_RGB, 140))
        p.setBrush(pg.mkBrush(*HOLD_RGB, 60))
        p.drawRect(4, 1, 20, 14)
    p.end()
    return pm


def nearest(xs: np.ndarray, x: float) -> int:
    i = int(np.searchsorted(xs, x))
    if i == 0:
        return 0
    if i == len(xs):
        return len(xs) - 1
    return i if xs[i] - x < x - xs[i - 1] else i - 1


def with_mnemonic(title: str, used: set[str]) -> str:
    """'CIWA-B' -> '&CIWA-B': the first letter or digit no other control here has taken."""
    escaped = title.replace("&", "&&")
    for i, ch in enumerate(title):
        if ch.isalnum() and ch.lower() not in used:
            used.add(ch.lower())
            j = len(title[:i].replace("&", "&&"))
            return escaped[:j] + "&" + escaped[j:]
    return escaped
