"""How a day's cell looks: one painter for the month grid and the legend, so
the legend always shows exactly what the grid draws.

Every mark has a symbol as well as a colour (never colour alone): ▶ start,
▼ the doses change (a cut or a crossover switch), ‖ hold, = the dose
continues (paused, or the taper ended), ■ stop, ✎ draft (not started: grey,
never looks like a dose in force), • symptoms written down; today has a thick
dark border."""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen

from taperdesk.ui.calendar.days import MARKS

SYMBOL = {"start": "▶", "step_change": "▼", "hold": "‖", "continues": "=", "stop": "■", "draft": "✎",
          "symptoms": "•"}
LABEL = {
    "start": "Start of the plan",
    "step_change": "Dose changes (lower, or a switch)",
    "hold": "Hold: same dose kept",
    "continues": "Dose continues (paused or taper ended)",
    "draft": "Draft: not started",
    "stop": "Stop: no more doses",
    "symptoms": "Symptoms written down",
    "today": "Today (thick border)",
}
# the legend's few words (the cells' tooltips and the legend's own tooltips use LABEL)
SHORT = {
    "start": "Start",
    "step_change": "Dose changes",
    "hold": "Hold",
    "continues": "Dose continues",
    "stop": "Stop",
    "draft": "Draft",
    "symptoms": "Symptoms",
    "today": "Today",
}
SYMBOL_COLOR = {
    "start": QColor("#1b7a3a"),
    "step_change": QColor("#a34a00"),
    "hold": QColor("#1f56b0"),
    "continues": QColor("#4a4a4a"),
    "draft": QColor("#6b6b6b"),
    "stop": QColor("#b3261e"),
    "symptoms": QColor("#7b2fa0"),
}
SYMBOL_SCALE = {"•": 2.0, "‖": 1.6}
# the cell's background follows its most important mark
BACKGROUND_ORDER = ("draft", "stop", "hold", "step_change", "start")
BACKGROUND = {
    "draft": QColor("#e4e4e4"),
    "stop": QColor("#f8d4d1"),
    "hold": QColor("#d5e4fa"),
    "step_change": QColor("#fde0b8"),
    "start": QColor("#d3efda"),
}
IN_PLAN = QColor("#ffffff")
OUT_OF_PLAN = QColor("#eeeeee")
TEXT = QColor("#1a1a1a")
TODAY_BORDER = QColor("#111111")
SELECTED = QColor("#1a5fd0")
GRID = QColor("#c8c8c8")
# a stop is also a step down (to nothing): its own symbol says it better
_HIDDEN_BY = {"step_change": "stop"}


def visible_marks(marks: frozenset[str]) -> list[str]:
    """The marks a cell shows, in MARKS order (a stop's step down is not repeated)."""
    return [m for m in MARKS if m in marks and _HIDDEN_BY.get(m) not in marks]


def symbols_for(marks: frozenset[str]) -> list[tuple[str, QColor]]:
    return [(SYMBOL[m], SYMBOL_COLOR[m]) for m in visible_marks(marks) if m in SYMBOL]


def background_for(marks: frozenset[str], in_plan: bool) -> QColor:
    for m in BACKGROUND_ORDER:
        if m in marks:
            return BACKGROUND[m]
    return IN_PLAN if in_plan else OUT_OF_PLAN


def _fit(painter: QPainter, font: QFont, text: str, width: int) -> QFont:
    """The font, smaller if need be, so `text` fits `width` (never below 6 pt)."""
    f = QFont(font)
    size = f.pointSizeF() if f.pointSizeF() > 0 else 9.0
    while size > 6 and QFontMetrics(f).horizontalAdvance(text) > width:
        size -= 0.5
        f.setPointSizeF(size)
    return f


def paint_cell(
    painter: QPainter,
    rect: QRect,
    *,
    font: QFont,
    day_number: str,
    text: str,
    marks: frozenset[str],
    in_plan: bool,
    selected: bool = False,
    faded: bool = False,
) -> None:
    painter.save()
    if faded:
        painter.setOpacity(0.4)
    painter.fillRect(rect, background_for(marks, in_plan))
    # the grid line: whole pixels, no antialiasing, no fill (an antialiased
    # outline cost 0.8 ms a cell, 34 ms a month: more than all the rest)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QPen(GRID, 1))
    painter.drawRect(rect.adjusted(0, 0, -1, -1))
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)

    pad = max(2, min(rect.width(), rect.height()) // 16)
    inner = rect.adjusted(pad, pad, -pad, -pad)
    top_h = max(inner.height() * 4 // 10, QFontMetrics(font).height())
    top = QRect(inner.left(), inner.top(), inner.width(), top_h)
    bottom = QRect(inner.left(), inner.top() + top_h, inner.width(), inner.height() - top_h)

    # day number, on a blue badge when selected, bold today
    number_font = QFont(font)
    number_font.setBold("today" in marks or selected)
    painter.setFont(number_font)
    if day_number:
        fm = QFontMetrics(number_font)
        badge = QRect(top.left(), top.top(), fm.horizontalAdvance(day_number) + 2 * pad + 2, fm.height() + 2)
        if selected:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(SELECTED)
            painter.drawRoundedRect(QRectF(badge), 3, 3)
            painter.setPen(QColor("#ffffff"))
        else:
            painter.setPen(TEXT)
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, day_number)

    # the marks' symbols, right-aligned in the top row, each in its colour
    symbols = symbols_for(marks)
    if symbols:
        base = font.pointSizeF() if font.pointSizeF() > 0 else 9.0
        x = top.right()
        for symbol, color in reversed(symbols):
            sym_font = QFont(font)
            sym_font.setBold(True)
            # the dot and the bars are thin glyphs: larger, so they read at a glance
            sym_font.setPointSizeF(base * SYMBOL_SCALE.get(symbol, 1.3))
            painter.setFont(sym_font)
            fm = QFontMetrics(sym_font)
            w = fm.horizontalAdvance(symbol) + 2
            painter.setPen(color)
            painter.drawText(
                QRect(x - w, top.top() - 2, w, fm.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                symbol,
            )
            x -= w + 1

    # the day's total dose
    if text:
        dose_font = QFont(font)
        dose_font.setBold(True)
        dose_font = _fit(painter, dose_font, text, bottom.width())
        painter.setFont(dose_font)
        painter.setPen(TEXT)
        painter.drawText(bottom, Qt.AlignmentFlag.AlignCenter, text)

    painter.setBrush(Qt.BrushStyle.NoBrush)
    if "today" in marks:
        painter.setPen(QPen(TODAY_BORDER, 3))
        painter.drawRect(QRectF(rect).adjusted(1.5, 1.5, -1.5, -1.5))
    if selected:
        inset = 4.0 if "today" in marks else 1.0
        painter.setPen(QPen(SELECTED, 2))
        painter.drawRect(QRectF(rect).adjusted(inset, inset, -inset, -inset))
    painter.restore()
