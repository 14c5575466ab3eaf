"""The handout's calendar: every day with its doses, a box to tick per dose, at
10 pt or larger. Never smaller, never blank.

The first handouts shrank a day's text until it fitted a month grid, and when
it did not fit even at 6 pt printed only the day number: a blank day on a
patient's paper. Here the text size is fixed and the *layout* gives way
instead: rows grow as tall as their days need, a month runs over as many
pages as its weeks need (half a month, a week per page), and when a word does
not fit a grid column at all (a long drug name, a liquid's words) the month is
set as a list, one day a row across the page.

Every day is read from the one answer to "what does the patient take on day D"
(`taperdesk.core.in_force.InForce`), so a paused plan shows the kept dose, a
completed one no doses, and a crossover's switch days are marked like cuts.
Doses are said in the same words as the front page's table ("half of a 5 mg
tablet"), with a non-breaking space between a number and its unit.

This module draws (a month's weeks as a grid, or its days as a list);
calendar_days says what a day holds, calendar_layout fits it at the one size,
calendar_pages cuts the months into pages.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from taperdesk.export.calendar_days import DayCell
from taperdesk.export.calendar_layout import (
    BOX,
    BOX_SIZE,
    BOX_W,
    DAY_SIZE,
    GAP,
    HEADER_H,
    LABEL_SIZE,
    LEAD,
    LIST_LEFT,
    PAD,
    SIZE,
    THICK_PAD,
    Line,
    band_height,
    cell_layout,
    label_lines,
    list_column,
    list_layout,
)
from taperdesk.export.patient_text import DAYS

BLACK = colors.black
WHITE = colors.white
SHADE = colors.Color(0.86, 0.86, 0.86)
OUTSIDE_TEXT = colors.Color(0.55, 0.55, 0.55)


# -- flowables ------------------------------------------------------------------
class _Cells(Flowable):
    """Shared drawing of a day's band, tick boxes and dose lines."""

    fonts: tuple[str, str]

    def _band(self, cell: DayCell, x: float, y_top: float, w: float) -> float:
        """Draw the day number and label; return the y below them."""
        c = self.canv
        pad = THICK_PAD if cell.thick else PAD
        band = band_height(cell, w - 2 * pad, self.fonts)
        regular, bold = self.fonts
        if cell.label:
            c.setFillColor(BLACK)
            c.rect(x, y_top - band - (pad - PAD), w, band + (pad - PAD), stroke=0, fill=1)
            c.setFillColor(WHITE)
            c.setFont(bold, DAY_SIZE)
            c.drawString(x + pad, y_top - pad - 10, str(cell.day.day))
            c.setFont(bold, LABEL_SIZE)
            below = label_lines(cell, w - 2 * pad, self.fonts)
            if below:
                for n, text in enumerate(below):
                    c.drawString(x + pad, y_top - pad - 22 - 11.5 * n, text)
            else:
                c.drawRightString(x + w - pad, y_top - pad - 9.5, cell.label)
            c.setFillColor(BLACK)
        else:
            c.setFillColor(BLACK if cell.in_plan else OUTSIDE_TEXT)
            c.setFont(bold, DAY_SIZE)
            c.drawString(x + pad, y_top - pad - 10, str(cell.day.day))
            c.setFillColor(BLACK)
        return y_top - band - pad

    def _doses(self, cell: DayCell, layout: list[list[Line]], x: float, y: float) -> None:
        c = self.canv
        regular, bold = self.fonts
        if cell.note:
            c.setFont(bold, SIZE)
            for line in layout[0]:
                y -= LEAD
                c.drawString(x, y + 2, line[0][0])
            return
        for lines in layout:
            y -= LEAD
            c.setFont(regular, BOX_SIZE)
            c.drawString(x - 1, y - 0.5, BOX)
            for n, line in enumerate(lines):
                if n:
                    y -= LEAD
                tx = x + BOX_W
                for text, strong in line:
                    c.setFont(bold if strong else regular, SIZE)
                    c.drawString(tx, y + 1, text)
                    tx += stringWidth(text + " ", bold if strong else regular, SIZE)
            y -= GAP


class WeekGrid(_Cells):
    """Some weeks of a month as a grid (Monday first), each row as tall as its days need."""

    def __init__(self, weeks: list[list[DayCell | None]], heights: list[float], fonts: tuple[str, str]) -> None:
        super().__init__()
        self.weeks, self.heights, self.fonts = weeks, heights, fonts

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        self.height = HEADER_H + sum(self.heights)
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        col_w = self.width / 7
        top = self.height
        c.setFillColor(SHADE)
        c.rect(0, top - HEADER_H, self.width, HEADER_H, stroke=0, fill=1)
        c.setFillColor(BLACK)
        c.setFont(self.fonts[1], 11)
        for i, name in enumerate(DAYS):
            c.drawCentredString(col_w * (i + 0.5), top - HEADER_H + 5, name)
        y_top = top - HEADER_H
        tops = []
        for week, row_h in zip(self.weeks, self.heights):
            tops.append(y_top)
            for i, cell in enumerate(week):
                if cell is None:
                    continue
                x = i * col_w
                if cell.hold:
                    c.setFillColor(SHADE)
                    c.rect(x, y_top - row_h, col_w, row_h, stroke=0, fill=1)
                    c.setFillColor(BLACK)
                y = self._band(cell, x, y_top, col_w)
                if cell.in_plan:
                    pad = THICK_PAD if cell.thick else PAD
                    found = cell_layout(cell, col_w, self.fonts)
                    self._doses(cell, found[1] if found else [], x + pad, y)
            y_top -= row_h
        c.setStrokeColor(BLACK)
        c.setLineWidth(0.8)
        c.rect(0, 0, self.width, self.height, stroke=1, fill=0)
        for i in range(1, 7):
            c.line(i * col_w, 0, i * col_w, top)
        for y in tops:
            c.line(0, y, self.width, y)
        c.setLineWidth(3)
        for week, row_h, y in zip(self.weeks, self.heights, tops):
            for i, cell in enumerate(week):
                if cell is not None and cell.thick:
                    c.rect(i * col_w + 1.5, y - row_h + 1.5, col_w - 3, row_h - 3, stroke=1, fill=0)


class DayList(_Cells):
    """Some days as rows across the page: the day on the left, its doses beside it.
    For months whose words do not fit a grid column."""

    def __init__(self, cells: list[DayCell], heights: list[float], fonts: tuple[str, str]) -> None:
        super().__init__()
        self.cells, self.heights, self.fonts = cells, heights, fonts

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        self.height = sum(self.heights)
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        y_top = self.height
        for cell, row_h in zip(self.cells, self.heights):
            if cell.hold:
                c.setFillColor(SHADE)
                c.rect(0, y_top - row_h, self.width, row_h, stroke=0, fill=1)
                c.setFillColor(BLACK)
            y = self._band(cell, 0, y_top, LIST_LEFT)
            c.setFont(self.fonts[0], SIZE)
            c.setFillColor(BLACK if cell.in_plan else OUTSIDE_TEXT)
            c.drawString(PAD + (THICK_PAD - PAD if cell.thick else 0), y - LEAD + 2, DAYS[cell.day.weekday()])
            c.setFillColor(BLACK)
            if cell.in_plan:
                found = list_layout(cell, self.width, self.fonts)
                pad = THICK_PAD if cell.thick else PAD
                if cell.note or found[2]:  # a note, or doses one under another
                    self._doses(cell, found[1], LIST_LEFT + pad, y_top - pad)
                else:
                    col = list_column(cell, self.width)
                    for n, lines in enumerate(found[1]):
                        self._doses(cell, [lines], LIST_LEFT + pad + n * col, y_top - pad)
            c.setStrokeColor(BLACK)
            c.setLineWidth(0.8)
            c.rect(0, y_top - row_h, self.width, row_h, stroke=1, fill=0)
            c.line(LIST_LEFT, y_top, LIST_LEFT, y_top - row_h)
            if cell.thick:
                c.setLineWidth(3)
                c.rect(1.5, y_top - row_h + 1.5, self.width - 3, row_h - 3, stroke=1, fill=0)
            y_top -= row_h
