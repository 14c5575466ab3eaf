"""The clinician summary's chart, drawn with ReportLab's own graphics (no Qt):
the diazepam-equivalent daily dose as a step line over time (left axis), holds
shaded, and each symptom scale's values as a percentage of that scale's range
(right axis, 0-100 %), with a legend under the dates.

Series differ by colour *and* by dash pattern and marker, so a black-and-white
copy still tells them apart."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, PolyLine, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from taperdesk.core.plan import Plan

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# (colour, dash pattern, marker) per series, in order
_STYLES = (
    (colors.HexColor("#1f5fa8"), None, "circle"),
    (colors.HexColor("#b03a2e"), (4, 2), "square"),
    (colors.HexColor("#1e7d4f"), (1.5, 1.5), "triangle"),
    (colors.HexColor("#7d3c98"), (6, 2, 1.5, 2), "diamond"),
    (colors.HexColor("#9a6700"), (3, 3), "circle"),
)
DOSE_COLOUR = colors.black
HOLD_FILL = colors.Color(0.86, 0.86, 0.86)
GRID = colors.Color(0.82, 0.82, 0.82)
MAX_MARKED = 60  # above this many points a series is drawn as a line only


@dataclass(frozen=True)
class Series:
    """One scale's values as (day, percent of the scale's range)."""

    label: str
    points: tuple[tuple[date, float], ...]


def _nice_max(value: float) -> tuple[float, float]:
    """An axis top at or above `value` and its tick step (1, 2, 2.5 or 5 x 10^n)."""
    if value <= 0:
        return 1.0, 0.25
    raw = value / 5
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        step = m * power
        if step >= raw:
            break
    top = math.ceil(value / step - 1e-9) * step
    return top, step


def _fmt(value: float) -> str:
    return f"{value:g}"


def _month_ticks(first: date, last: date, max_ticks: int) -> list[date]:
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    every = next(n for n in (1, 2, 3, 6, 12, 24, 60) if months / n <= max_ticks)
    out = []
    y, m = first.year, first.month
    if first.day != 1:
        m += 1
        if m > 12:
            y, m = y + 1, 1
    while date(y, m, 1) <= last:
        index = y * 12 + m - 1
        if index % every == 0:
            out.append(date(y, m, 1))
        m += 1
        if m > 12:
            y, m = y + 1, 1
    return out


def _week_ticks(first: date, last: date) -> list[date]:
    day = first + timedelta(days=(7 - first.weekday()) % 7)  # Mondays
    out = []
    while day <= last:
        out.append(day)
        day += timedelta(days=7)
    return out


def _marker(kind: str, x: float, y: float, colour, size: float = 2.2):
    if kind == "circle":
        return Circle(x, y, size, fillColor=colour, strokeColor=colour, strokeWidth=0.4)
    if kind == "square":
        return Rect(x - size, y - size, 2 * size, 2 * size, fillColor=colour, strokeColor=colour, strokeWidth=0.4)
    if kind == "triangle":
        return Polygon([x - size, y - size, x + size, y - size, x, y + size * 1.2],
                       fillColor=colour, strokeColor=colour, strokeWidth=0.4)
    return Polygon([x, y - size * 1.3, x + size * 1.1, y, x, y + size * 1.3, x - size * 1.1, y],
                   fillColor=colour, strokeColor=colour, strokeWidth=0.4)


def symptom_chart(plan: Plan, series: Sequence[Series], *, width: float, height: float,
                  font: str, bold: str, today: date | None = None) -> Drawing:
    """The chart as a Drawing `width` x `height` points (a platypus flowable)."""
    d = Drawing(width, height, initialFontName=font)  # else the renderer references Helvetica
    pad_left, pad_right, pad_top = 44.0, 44.0, 8.0
    legend_rows = _legend_rows(series, width - pad_left, font)
    pad_bottom = 30.0 + 13.0 * len(legend_rows)
    x0, y0 = pad_left, pad_bottom
    w, h = width - pad_left - pad_right, height - pad_bottom - pad_top

    days_with_data = [day for s in series for day, _ in s.points]
    first = min([plan.start, *days_with_data])
    last = max([plan.end, *days_with_data])
    span = max((last - first).days + 1, 1)

    def x(day: date) -> float:
        return x0 + w * (day - first).days / span

    top, step = _nice_max(max((s.diazepam_eq_mg for s in plan.steps), default=0.0))

    def y_mg(mg: float) -> float:
        return y0 + h * mg / top

    def y_pct(pct: float) -> float:
        return y0 + h * max(0.0, min(100.0, pct)) / 100.0

    # holds behind everything
    for hold in plan.holds():
        d.add(Rect(x(hold.start), y0, max(x(hold.end + timedelta(days=1)) - x(hold.start), 0.8), h,
                   fillColor=HOLD_FILL, strokeColor=None))
    # grid and left axis (mg)
    n = round(top / step)
    for i in range(n + 1):
        mg = step * i
        yy = y_mg(mg)
        d.add(Line(x0, yy, x0 + w, yy, strokeColor=GRID, strokeWidth=0.4))
        d.add(String(x0 - 4, yy - 2.5, _fmt(mg), fontName=font, fontSize=7, textAnchor="end"))
    # right axis (%)
    for pct in (0, 25, 50, 75, 100):
        yy = y_pct(pct)
        d.add(Line(x0 + w, yy, x0 + w + 3, yy, strokeColor=colors.black, strokeWidth=0.5))
        d.add(String(x0 + w + 5, yy - 2.5, f"{pct}%", fontName=font, fontSize=7))
    d.add(Rect(x0, y0, w, h, fillColor=None, strokeColor=colors.black, strokeWidth=0.6))
    d.add(_rotated(x0 - 30, y0 + h / 2, "Diazepam-equivalent mg/day", font, 90))
    d.add(_rotated(x0 + w + 34, y0 + h / 2, "Score, % of the scale's range", font, -90))

    # date ticks
    ticks = _week_ticks(first, last) if span <= 70 else _month_ticks(first, last, max_ticks=max(int(w / 46), 2))
    for tick in ticks:
        xx = x(tick)
        d.add(Line(xx, y0, xx, y0 - 3, strokeColor=colors.black, strokeWidth=0.5))
        label = f"{tick.day} {_MONTHS[tick.month - 1]}" if span <= 70 else f"{_MONTHS[tick.month - 1]} {tick.year}"
        d.add(String(xx, y0 - 11, label, fontName=font, fontSize=7, textAnchor="middle"))
    if today is not None and first <= today <= last:
        xx = x(today)
        d.add(Line(xx, y0, xx, y0 + h, strokeColor=colors.black, strokeWidth=0.6, strokeDashArray=(2, 2)))
        d.add(String(xx + 2, y0 + h - 8, "printed", fontName=font, fontSize=6.5))

    # the dose step line
    points: list[float] = []
    for st in plan.steps:
        yy = y_mg(st.diazepam_eq_mg)
        points += [x(st.start), yy, x(st.end + timedelta(days=1)), yy]
    if points:
        d.add(PolyLine(points, strokeColor=DOSE_COLOUR, strokeWidth=1.8, strokeLineJoin=0))

    # the symptom series
    for index, s in enumerate(series):
        colour, dash, marker = _STYLES[index % len(_STYLES)]
        pts = sorted(s.points)
        coords: list[float] = []
        for day, pct in pts:
            coords += [x(day) + 0.5 * w / span, y_pct(pct)]
        if len(pts) > 1:
            d.add(PolyLine(coords, strokeColor=colour, strokeWidth=0.9, strokeDashArray=dash))
        if len(pts) <= MAX_MARKED:
            for i in range(0, len(coords), 2):
                d.add(_marker(marker, coords[i], coords[i + 1], colour))

    # legend
    ly = y0 - 26
    for row in legend_rows:
        lx = x0
        for kind, index, label in row:
            _legend_key(d, kind, index, lx, ly)
            d.add(String(lx + 24, ly - 2.5, label, fontName=font, fontSize=7.5))
            lx += 24 + stringWidth(label, font, 7.5) + 14
        ly -= 13
    return d


def _legend_items(series: Sequence[Series]) -> list[tuple[str, int, str]]:
    items = [("dose", 0, "Dose (diazepam-eq mg/day, left axis)"), ("hold", 0, "Hold")]
    items += [("series", i, f"{s.label} (right axis)") for i, s in enumerate(series)]
    return items


def _legend_rows(series: Sequence[Series], width: float, font: str) -> list[list[tuple[str, int, str]]]:
    rows: list[list[tuple[str, int, str]]] = [[]]
    used = 0.0
    for item in _legend_items(series):
        need = 24 + stringWidth(item[2], font, 7.5) + 14
        if rows[-1] and used + need > width:
            rows.append([])
            used = 0.0
        rows[-1].append(item)
        used += need
    return rows


def _legend_key(d: Drawing, kind: str, index: int, lx: float, ly: float) -> None:
    if kind == "dose":
        d.add(Line(lx, ly, lx + 18, ly, strokeColor=DOSE_COLOUR, strokeWidth=1.8))
    elif kind == "hold":
        d.add(Rect(lx, ly - 4, 18, 8, fillColor=HOLD_FILL, strokeColor=None))
    else:
        colour, dash, marker = _STYLES[index % len(_STYLES)]
        d.add(Line(lx, ly, lx + 18, ly, strokeColor=colour, strokeWidth=0.9, strokeDashArray=dash))
        d.add(_marker(marker, lx + 9, ly, colour))


def _rotated(cx: float, cy: float, text: str, font: str, angle: int) -> Group:
    g = Group(String(0, 0, text, fontName=font, fontSize=7.5, textAnchor="middle"))
    g.rotate(angle)
    g.translate(0, 0)
    outer = Group(g)
    outer.translate(cx, cy)
    return outer
