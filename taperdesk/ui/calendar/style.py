"""How a day's cell looks: one painter for the month grid and the legend, so
the legend always shows exactly what the grid draws.

Every mark has a symbol as well as a colour (never colour alone): ▶ start,
▼ the doses change (a cut or a crossover switch), ‖ hold, = the dose
continues (paused, or the taper ended), ■ stop, ✎ draft (not started: grey,
never looks like a dose in force), • symptoms written down; today has a thick
dark border."""

from __future__ import annotations

from functools import lru_cache

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
WHITE = QColor("#ffffff")
TODAY_PEN = QPen(TODAY_BORDER, 3)
SELECTED_PEN = QPen(SELECTED, 2)
# a stop is also a step down (to nothing): its own symbol says it better
_HIDDEN_BY = {"step_change": "stop"}


@lru_cache(maxsize=256)
def visible_marks(marks: frozenset[str]) -> tuple[str, ...]:
    """The marks a cell shows, in MARKS order (a stop's step down is not repeated)."""
    return tuple(m for m in MARKS if m in marks and _HIDDEN_BY.get(m) not in marks)


@lru_cache(maxsize=256)
def symbols_for(marks: frozenset[str]) -> tuple[tuple[str, QColor], ...]:
    return tuple((SYMBOL[m], SYMBOL_COLOR[m]) for m in visible_marks(marks) if m in SYMBOL)


@lru_cache(maxsize=256)
def background_for(marks: frozenset[str], in_plan: bool) -> QColor:
    for m in BACKGROUND_ORDER:
        if m in marks:
            return BACKGROUND[m]
    return IN_PLAN if in_plan else OUT_OF_PLAN


class CellFonts:
    """The fonts and measures a cell needs, worked out once per base font (the
    grid keeps one and makes a new one when its font changes): a month is 42
    cells, and building each cell's fonts and metrics anew cost more than
    drawing it."""

    def __init__(self, font: QFont) -> None:
        self.size = font.pointSizeF() if font.pointSizeF() > 0 else 9.0
        self.height = QFontMetrics(font).height()
        self.number = (QFont(font), QFont(font))  # regular, bold (today or selected)
        self.number[1].setBold(True)
        self.number_metrics = tuple(QFontMetrics(f) for f in self.number)
        self.bold = QFont(font)
        self.bold.setBold(True)
        self._badges: dict[tuple[bool, str], tuple[int, int]] = {}
        self._symbols: dict[str, tuple[QFont, int, int]] = {}
        self._fitted: dict[tuple[str, int], QFont] = {}

    def badge(self, bold: bool, day_number: str) -> tuple[int, int]:
        """The day number's width and height."""
        found = self._badges.get((bold, day_number))
        if found is None:
            fm = self.number_metrics[bold]
            found = self._badges[(bold, day_number)] = (fm.horizontalAdvance(day_number), fm.height())
        return found

    def symbol(self, symbol: str) -> tuple[QFont, int, int]:
        """A mark's font (the dot and the bars are thin glyphs: larger, so they
        read at a glance), its width and height."""
        found = self._symbols.get(symbol)
        if found is None:
            f = QFont(self.bold)
            f.setPointSizeF(self.size * SYMBOL_SCALE.get(symbol, 1.3))
            fm = QFontMetrics(f)
            found = self._symbols[symbol] = (f, fm.horizontalAdvance(symbol) + 2, fm.height())
        return found

    def fitted(self, text: str, width: int) -> QFont:
        """The bold font, smaller if need be, so `text` fits `width` (never below 6 pt)."""
        found = self._fitted.get((text, width))
        if found is None:
            f = QFont(self.bold)
            size = self.size
            while size > 6 and QFontMetrics(f).horizontalAdvance(text) > width:
                size -= 0.5
                f.setPointSizeF(size)
            if len(self._fitted) > 512:  # a clinic's doses are few; sizes change as the window does
                self._fitted.clear()
            found = self._fitted[(text, width)] = f
        return found


_FONTS: dict[str, CellFonts] = {}


def cell_fonts(font: QFont) -> CellFonts:
    key = font.key()
    found = _FONTS.get(key)
    if found is None:
        found = _FONTS[key] = CellFonts(font)
    return found


# Qt's flags combined once: or-ing enums in Python on every cell costs more than the drawing
_CENTER = Qt.AlignmentFlag.AlignCenter
_RIGHT_MIDDLE = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_ANTIALIASING = QPainter.RenderHint.Antialiasing
_NO_PEN = Qt.PenStyle.NoPen
_NO_BRUSH = Qt.BrushStyle.NoBrush


def paint_cell(
    painter: QPainter,
    rect: QRect,
    *,
    font: QFont | None = None,
    fonts: CellFonts | None = None,
    day_number: str,
    text: str,
    marks: frozenset[str],
    in_plan: bool,
    selected: bool = False,
    faded: bool = False,
) -> None:
    """One day's cell. `fonts` (cell_fonts(font)) saves working them out again
    for each of a month's cells."""
    if fonts is None:
        fonts = cell_fonts(font)
    painter.save()
    if faded:
        painter.setOpacity(0.4)
    x, y, w, h = rect.x(), rect.y(), rect.width(), rect.height()
    painter.fillRect(x, y, w, h, background_for(marks, in_plan))
    # the grid line as four one-pixel bars: the same pixels as a 1-pixel
    # outline, at a small part of the cost (an outline was half of a month's paint)
    painter.fillRect(x, y, w, 1, GRID)
    painter.fillRect(x, y + h - 1, w, 1, GRID)
    painter.fillRect(x, y + 1, 1, h - 2, GRID)
    painter.fillRect(x + w - 1, y + 1, 1, h - 2, GRID)
    painter.setRenderHint(_ANTIALIASING, True)

    pad = max(2, min(w, h) // 16)
    left, top_y, inner_w, inner_h = x + pad, y + pad, w - 2 * pad, h - 2 * pad
    top_h = max(inner_h * 4 // 10, fonts.height)
    today = "today" in marks

    # day number, on a blue badge when selected, bold today
    if day_number:
        bold = today or selected
        painter.setFont(fonts.number[bold])
        width, height = fonts.badge(bold, day_number)
        if selected:
            painter.setPen(_NO_PEN)
            painter.setBrush(SELECTED)
            painter.drawRoundedRect(QRectF(left, top_y, width + 2 * pad + 2, height + 2), 3, 3)
            painter.setPen(WHITE)
        else:
            painter.setPen(TEXT)
        painter.drawText(left, top_y, width + 2 * pad + 2, height + 2, _CENTER, day_number)

    # the marks' symbols, right-aligned in the top row, each in its colour
    right = left + inner_w - 1  # as QRect.right(): the last pixel column
    for symbol, color in reversed(symbols_for(marks)):
        sym_font, sym_w, sym_h = fonts.symbol(symbol)
        painter.setFont(sym_font)
        painter.setPen(color)
        painter.drawText(right - sym_w, top_y - 2, sym_w, sym_h, _RIGHT_MIDDLE, symbol)
        right -= sym_w + 1

    # the day's total dose
    if text:
        painter.setFont(fonts.fitted(text, inner_w))
        painter.setPen(TEXT)
        painter.drawText(left, top_y + top_h, inner_w, inner_h - top_h, _CENTER, text)

    if today or selected:
        painter.setBrush(_NO_BRUSH)
        if today:
            painter.setPen(TODAY_PEN)
            painter.drawRect(QRectF(x + 1.5, y + 1.5, w - 3.0, h - 3.0))
        if selected:
            inset = 4.0 if today else 1.0
            painter.setPen(SELECTED_PEN)
            painter.drawRect(QRectF(x + inset, y + inset, w - 2 * inset, h - 2 * inset))
    painter.restore()
