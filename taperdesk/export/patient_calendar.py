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
"""

from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass
from datetime import date

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from taperdesk.core.in_force import DayDoses
from taperdesk.core.words import units_in_words
from taperdesk.export.patient_text import DAYS, TIME_LABELS, dose_mg

BLACK = colors.black
WHITE = colors.white
SHADE = colors.Color(0.86, 0.86, 0.86)
OUTSIDE_TEXT = colors.Color(0.55, 0.55, 0.55)

SIZE = 10.0  # dose text: the one size, never shrunk (the floor the handout promises is 9 pt)
LEAD = 12.4
DAY_SIZE = 12.0
LABEL_SIZE = 9.5
BOX = "\u2610"  # a ballot box to tick, drawn as a glyph of the embedded font
BOX_SIZE = 15.0
BOX_W = 12.5  # room the box takes left of the text
PAD = 4.0
THICK_PAD = 6.5  # text stays clear of a day's heavy border
GAP = 4.0  # between two doses of a day
MIN_ROW = 56.0
MAX_ROW = 130.0
HEADER_H = 18.0
LIST_LEFT = 78.0  # the list layout's day column

LABELS = {"start": "START", "cut": "NEW DOSE", "switch": "NEW DOSE", "hold": "HOLD", "stop": "STOP",
          "paused": "PAUSED", "taper_ended": "SAME DOSE"}
TIME_ORDER = ("morning", "midday", "evening", "night")

_UNIT = re.compile(r"(\d[\d.,/½¼¾]*) (mg|mL|ml|tablets?|capsules?|days?)\b")


def nb(text: str) -> str:
    """A number glued to its unit by a non-breaking space, so a line never breaks between them."""
    return _UNIT.sub(lambda m: f"{m.group(1)}\u00a0{m.group(2)}", text)


@dataclass(frozen=True)
class CellDose:
    """One dose as a day cell says it: 'Morning' '9 mg' (bold) [drug] and the words."""

    time: str
    mg: str
    drug: str
    words: str


@dataclass(frozen=True)
class DayCell:
    day: date
    in_plan: bool
    label: str  # "", "START", "NEW DOSE", "HOLD", "STOP", "PAUSED", "SAME DOSE"
    thick: bool  # the doses change on this day
    hold: bool
    doses: tuple[CellDose, ...]
    note: str  # the stop day's words


def day_cell(answer: DayDoses, *, multi: bool) -> DayCell:
    """What one day's cell prints, from the in-force answer for that day."""
    if answer.state == "stop_day":
        return DayCell(answer.day, True, "STOP", True, False, (), "No more doses")
    if not (answer.in_force or answer.draft) or not answer.doses:
        return DayCell(answer.day, False, "", False, False, (), "")
    label = LABELS.get(answer.change, "")
    if not label and answer.state == "hold":
        label = "HOLD"
    ordered = sorted(answer.doses, key=lambda d: TIME_ORDER.index(d.time) if d.time in TIME_ORDER else 9)
    doses = tuple(CellDose(TIME_LABELS.get(d.time, d.time.title()), nb(dose_mg(d)), d.drug if multi else "",
                           nb(units_in_words(d.units))) for d in ordered)
    return DayCell(answer.day, True, label, answer.dose_change, answer.state == "hold", doses, "")


# -- text layout at the one size --------------------------------------------------
Line = tuple[tuple[str, bool], ...]  # (text, bold) pieces


@lru_cache(maxsize=8192)
def _w(text: str, bold: bool, fonts: tuple[str, str]) -> float:
    return stringWidth(text, fonts[1] if bold else fonts[0], SIZE)


def wrap_words(text: str, width: float, fonts: tuple[str, str], bold: bool = False) -> list[str] | None:
    """Greedy wrap at ordinary spaces only (non-breaking ones hold); None if one word is too wide."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        if not word:
            continue
        if _w(word, bold, fonts) > width:
            return None
        candidate = f"{line} {word}" if line else word
        if _w(candidate, bold, fonts) <= width:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


@lru_cache(maxsize=4096)
def dose_lines(dose: CellDose, width: float, fonts: tuple[str, str]) -> tuple[Line, ...] | None:
    """The lines of one dose in a column `width` wide; None if a word cannot fit."""
    head = f"{dose.time} "
    if _w(head, False, fonts) + _w(dose.mg, True, fonts) <= width:
        lines: list[Line] = [((dose.time, False), (dose.mg, True))]
    elif max(_w(dose.time, False, fonts), _w(dose.mg, True, fonts)) <= width:
        lines = [((dose.time, False),), ((dose.mg, True),)]
    else:
        return None
    for text, bold in ((dose.drug, True), (dose.words, False)):
        if not text:
            continue
        wrapped = wrap_words(text, width, fonts, bold)
        if wrapped is None:
            return None
        lines += [((x, bold),) for x in wrapped]
    return tuple(lines)


def label_lines(cell: DayCell, width: float, fonts: tuple[str, str]) -> list[str] | None:
    """The label beside the day number when it fits there, else on lines of its own
    under it ([] when the label sits beside the number); None if a word is too wide."""
    if not cell.label:
        return []
    room = width - stringWidth(str(cell.day.day), fonts[1], DAY_SIZE) - 6
    if stringWidth(cell.label, fonts[1], LABEL_SIZE) <= room:
        return []
    lines: list[str] = []
    for word in cell.label.split(" "):
        if stringWidth(word, fonts[1], LABEL_SIZE) > width:
            return None
        if lines and stringWidth(f"{lines[-1]} {word}", fonts[1], LABEL_SIZE) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def band_height(cell: DayCell, width: float, fonts: tuple[str, str]) -> float:
    """The day number (and label) band: one line, or more when the label needs its own."""
    return 18.0 + 11.5 * len(label_lines(cell, width, fonts) or [])


def cell_layout(cell: DayCell, width: float, fonts: tuple[str, str]) -> tuple[float, list[list[Line]]] | None:
    return _cell_layout(cell.thick, bool(cell.label), cell.label, len(str(cell.day.day)) > 1, cell.note, cell.doses,
                        width, fonts)


@lru_cache(maxsize=4096)
def _cell_layout(thick: bool, has_label: bool, label: str, two_digits: bool, note: str, doses: tuple[CellDose, ...],
                 width: float, fonts: tuple[str, str]) -> tuple[float, list[list[Line]]] | None:
    """cell_layout by what the layout depends on (days with the same doses share one)."""
    cell = DayCell(date(2000, 1, 10 if two_digits else 1), True, label, thick, False, doses, note)
    """(height needed, lines per dose) for a cell `width` wide; None if it cannot fit that wide."""
    pad = THICK_PAD if cell.thick else PAD
    text_w = width - 2 * pad - BOX_W
    if label_lines(cell, width - 2 * pad, fonts) is None:
        return None
    out = []
    need = band_height(cell, width - 2 * pad, fonts) + pad
    if cell.note:
        lines = wrap_words(cell.note, width - 2 * pad, fonts, True)
        if lines is None:
            return None
        return need + LEAD * len(lines) + pad, [[((x, True),) for x in lines]]
    for dose in cell.doses:
        lines = dose_lines(dose, text_w, fonts)
        if lines is None:
            return None
        out.append(lines)
        need += LEAD * len(lines) + GAP
    return need + pad, out


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


def list_layout(cell: DayCell, width: float, fonts: tuple[str, str]) -> tuple[float, list[list[Line]], bool]:
    return _list_layout(cell.thick, cell.label, len(str(cell.day.day)) > 1, cell.note, cell.doses, width, fonts)


@lru_cache(maxsize=4096)
def _list_layout(thick: bool, label: str, two_digits: bool, note: str, doses: tuple[CellDose, ...], width: float,
                 fonts: tuple[str, str]) -> tuple[float, list[list[Line]], bool]:
    """A list row: the doses side by side right of the day column when every word
    fits its share of the row, else one under another across the whole row (a
    word is never broken: "chlordiazepoxide" in four columns does not fit).
    Returns (height, lines per dose, stacked)."""
    cell = DayCell(date(2000, 1, 10 if two_digits else 1), True, label, thick, False, doses, note)
    pad = THICK_PAD if cell.thick else PAD
    left = band_height(cell, LIST_LEFT - 2 * pad, fonts) + pad + LEAD + pad
    if cell.note:
        return max(left, 2 * pad + LEAD), [[((cell.note, True),)]], False
    col = list_column(cell, width)
    side = [dose_lines(d, col - BOX_W - 6, fonts) for d in cell.doses]
    if all(x is not None for x in side):
        need = 2 * pad + max((LEAD * len(x) for x in side), default=0.0)
        return max(left, need, 40.0), side, False
    full = width - LIST_LEFT - 2 * pad - BOX_W - 6
    out = [dose_lines(d, full, fonts) or _hard_wrapped(d, full, fonts) for d in cell.doses]
    need = 2 * pad + sum(LEAD * len(x) + GAP for x in out)
    return max(left, need, 40.0), out, True


def list_column(cell: DayCell, width: float) -> float:
    pad = THICK_PAD if cell.thick else PAD
    return (width - LIST_LEFT - 2 * pad) / max(1, len(cell.doses))


def _hard_wrapped(dose: CellDose, width: float, fonts: tuple[str, str]) -> tuple[Line, ...]:
    """Last resort for a word wider than the whole row: break it by characters."""
    lines: list[Line] = [((dose.time, False), (dose.mg, True))]
    for text, bold in ((dose.drug, True), (dose.words, False)):
        line = ""
        for ch in text:
            if _w(line + ch, bold, fonts) > width:
                lines.append(((line, bold),))
                line = ""
            line += ch
        if line:
            lines.append(((line, bold),))
    return tuple(lines)
