"""The handout's month calendar: a grid of days (Monday first), each day's doses
with a box to tick per dose. Days the dose changes have a heavy border and a
NEW DOSE band across its top; hold days are shaded with a HOLD band; days outside the plan
stay blank. Every day is read from `Plan.step_on` (one source of truth)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from taperdesk.core.plan import Plan
from taperdesk.export.patient_text import DAYS, TIME_LABELS, dose_mg, same_doses, unit_short

BLACK = colors.black
WHITE = colors.white
SHADE = colors.Color(0.86, 0.86, 0.86)
OUTSIDE_TEXT = colors.Color(0.55, 0.55, 0.55)
SIZES = (11.0, 10.5, 10.0, 9.5, 9.0, 8.5, 8.0, 7.5, 7.0, 6.5, 6.0)


@dataclass(frozen=True)
class DayCell:
    day: int
    in_plan: bool
    label: str  # "", "START", "NEW DOSE", "HOLD", "STOP"
    thick: bool  # the dose changes on this day
    hold: bool
    doses: tuple[tuple[str, str, tuple[str, ...], str], ...]  # (time, mg, units short, drug or "")
    note: str  # the stop day's words


def day_cell(plan: Plan, day: date) -> DayCell:
    step = plan.step_on(day)
    if step is None:
        return DayCell(day.day, False, "", False, False, (), "")
    if not step.doses:
        return DayCell(day.day, True, "STOP", True, False, (), "No more doses")
    previous = plan.step_on(day - timedelta(days=1))
    hold = step.kind == "hold"
    if previous is None:
        label, thick = "START", True
    elif step.start == day and not same_doses(previous, step):
        label, thick = "NEW DOSE", True
    else:
        label, thick = ("HOLD" if hold else ""), False
    multi = len({d.drug for d in step.doses}) > 1 or step.kind == "crossover"
    doses = tuple(
        (TIME_LABELS[d.time], dose_mg(d), tuple(unit_short(u) for u in d.units), d.drug if multi else "")
        for d in step.doses
    )
    return DayCell(day.day, True, label, thick, hold, doses, "")


class MonthGrid(Flowable):
    """One month; it takes the rest of the page's height (rows up to MAX_ROW_H).
    Each day's text is the largest size (11 pt down to 6 pt) its doses fit at."""

    HEADER_H = 18.0
    MAX_ROW_H = 130.0
    PAD = 3.0
    BAND_H = 14.0

    def __init__(self, plan: Plan, year: int, month: int, regular: str, bold: str) -> None:
        super().__init__()
        self.regular, self.bold = regular, bold
        self.weeks = [
            [None if d == 0 else day_cell(plan, date(year, month, d)) for d in week]
            for week in calendar.Calendar(firstweekday=0).monthdayscalendar(year, month)
        ]
        self._lines_cache: dict[tuple, list | None] = {}
        self._size_cache: dict[tuple, float] = {}

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        rows = len(self.weeks)
        self.row_h = max(48.0, min(self.MAX_ROW_H, (availHeight - self.HEADER_H) / rows))
        self.height = self.HEADER_H + rows * self.row_h
        return self.width, self.height

    # -- text fitting: one size for the whole month, the largest every day fits at
    def _dose_lines(self, dose: tuple, size: float, text_w: float) -> list[tuple[str, str]] | None:
        """[(regular text, bold text)] lines of one dose, wrapped between units; None if too wide."""
        key = (dose, size, text_w)
        if key in self._lines_cache:
            return self._lines_cache[key]
        time, mg, units, drug = dose
        width = lambda text, font=self.regular: stringWidth(text, font, size)  # noqa: E731
        lines: list[tuple[str, str]] | None
        if width(f"{time} ") + width(mg, self.bold) <= text_w:
            lines = [(time, mg)]
        else:
            lines = [(time, ""), ("", mg)]
        line = ""
        for i, unit in enumerate(units):
            piece = unit + (" +" if i < len(units) - 1 else "")
            candidate = f"{line} {piece}".strip()
            if width(candidate) <= text_w:
                line = candidate
            else:
                if line:
                    lines.append((line, ""))
                line = piece
        if line:
            lines.append((line, ""))
        if drug:
            lines.append((drug, ""))
        if any(width(a) + width(b, self.bold) > text_w for a, b in lines):
            lines = None
        self._lines_cache[key] = lines
        return lines

    def _layout(self, cell: DayCell, size: float, col_w: float) -> list[list[tuple[str, str]]] | None:
        pad = self.PAD + (2 if cell.thick else 0)
        text_w = col_w - 2 * pad - size - 3
        avail = self.row_h - pad - 18
        out, used = [], 0.0
        for dose in cell.doses:
            lines = self._dose_lines(dose, size, text_w)
            if lines is None:
                return None
            used += size * 1.18 * len(lines) + size * 0.35
            out.append(lines)
        return out if used - size * 0.35 <= avail else None

    def _font_size(self, cell: DayCell, col_w: float) -> float:
        """The largest size this day's doses fit at (days with the same doses share it)."""
        key = (cell.doses, cell.thick, bool(cell.label), col_w)
        size = self._size_cache.get(key)
        if size is None:
            size = next((s for s in SIZES if self._layout(cell, s, col_w) is not None), SIZES[-1])
            self._size_cache[key] = size
        return size

    # -- drawing ------------------------------------------------------------
    def draw(self) -> None:
        c = self.canv
        col_w = self.width / 7
        top = self.height
        c.setFillColor(SHADE)
        c.rect(0, top - self.HEADER_H, self.width, self.HEADER_H, stroke=0, fill=1)
        c.setFillColor(BLACK)
        c.setFont(self.bold, 11)
        for i, name in enumerate(DAYS):
            c.drawCentredString(col_w * (i + 0.5), top - self.HEADER_H + 5, name)
        for r, week in enumerate(self.weeks):
            y_top = top - self.HEADER_H - r * self.row_h
            for i, cell in enumerate(week):
                if cell is not None:
                    self._draw_cell(cell, i * col_w, y_top, col_w, self._font_size(cell, col_w))
        c.setStrokeColor(BLACK)
        c.setLineWidth(0.8)
        c.rect(0, 0, self.width, self.height, stroke=1, fill=0)
        for i in range(1, 7):
            c.line(i * col_w, 0, i * col_w, top)
        for r in range(len(self.weeks) + 1):
            y = top - self.HEADER_H - r * self.row_h
            c.line(0, y, self.width, y)
        c.setLineWidth(3)  # heavy borders last, so no thin line cuts them
        for r, week in enumerate(self.weeks):
            y_top = top - self.HEADER_H - r * self.row_h
            for i, cell in enumerate(week):
                if cell is not None and cell.thick:
                    c.rect(i * col_w + 1.5, y_top - self.row_h + 1.5, col_w - 3, self.row_h - 3, stroke=1, fill=0)

    def _draw_cell(self, cell: DayCell, x: float, y_top: float, col_w: float, size: float) -> None:
        c = self.canv
        pad = self.PAD + (2 if cell.thick else 0)
        if cell.hold:
            c.setFillColor(SHADE)
            c.rect(x, y_top - self.row_h, col_w, self.row_h, stroke=0, fill=1)
        if cell.label:  # a black band across the top: the day and the label in white capitals
            c.setFillColor(BLACK)
            c.rect(x, y_top - self.BAND_H - 3, col_w, self.BAND_H + 3, stroke=0, fill=1)
            c.setFillColor(WHITE)
            c.setFont(self.bold, 12)
            c.drawString(x + pad, y_top - 13, str(cell.day))
            room = col_w - 2 * pad - stringWidth(str(cell.day), self.bold, 12) - 4
            label_size = next((z for z in (9.0, 8.5, 8.0, 7.5, 7.0, 6.5) if stringWidth(cell.label, self.bold, z) <= room), 6.0)
            c.setFont(self.bold, label_size)
            c.drawRightString(x + col_w - pad, y_top - 12.5, cell.label)
            c.setFillColor(BLACK)
        else:
            c.setFillColor(BLACK if cell.in_plan else OUTSIDE_TEXT)
            c.setFont(self.bold, 12)
            c.drawString(x + pad, y_top - pad - 11, str(cell.day))
        if not cell.in_plan:
            return
        lead = size * 1.18
        y = y_top - pad - 17
        if cell.note:
            c.setFont(self.bold, 10)
            for word in cell.note.split(" ", 1):
                y -= 12
                c.drawString(x + pad, y + 2, word)
            return
        box = size
        tx = x + pad + box + 3
        c.setLineWidth(0.9)
        for lines in self._layout(cell, size, col_w) or []:
            y -= lead
            c.setFillColor(WHITE)
            c.rect(x + pad, y + 0.5, box, box, stroke=1, fill=1)
            c.setFillColor(BLACK)
            for n, (plain, strong) in enumerate(lines):
                if n:
                    y -= lead
                c.setFont(self.regular, size)
                c.drawString(tx, y + 1, plain)
                if strong:
                    c.setFont(self.bold, size)
                    c.drawString(tx + (stringWidth(plain + " ", self.regular, size) if plain else 0), y + 1, strong)
            y -= size * 0.35
