"""The handout calendar's pages: each month cut into as few pages as its days
need at the one text size (taperdesk.export.calendar_layout lays out a day).
A grid when every day fits its column, else a list of days; never smaller text."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from reportlab.platypus import Flowable

from taperdesk.core.in_force import InForce
from taperdesk.core.paper_rows import paper_span
from taperdesk.export.calendar_days import DayCell, day_cell
from taperdesk.export.calendar_layout import HEADER_H, MAX_ROW, MIN_ROW, cell_layout, list_layout
from taperdesk.export.patient_calendar import DayList, WeekGrid


@dataclass(frozen=True)
class CalendarChunk:
    """One page's worth of a month: its flowable and whether it continues the month."""

    year: int
    month: int
    flowable: Flowable
    continued: bool


def month_cells(course: InForce, year: int, month: int, *, multi: bool) -> list[list[DayCell | None]]:
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    cells = {a.day: day_cell(a, multi=multi) for a in course.days(first, last)}
    return [[None if d == 0 else cells[date(year, month, d)] for d in week]
            for week in calendar.Calendar(firstweekday=0).monthdayscalendar(year, month)]


def month_chunks(course: InForce, year: int, month: int, *, multi: bool, width: float, avail: float,
                 fonts: tuple[str, str]) -> list[CalendarChunk]:
    """The month on as few pages as its days need at the one text size.

    A grid when every day fits its column: rows as tall as their days need,
    stretched to fill a single page, else as many weeks a page as fit. A list of
    days otherwise (and when even one week is taller than the page)."""
    weeks = month_cells(course, year, month, multi=multi)
    col_w = width / 7
    needs: list[float] = []
    grid_ok = True
    for week in weeks:
        row = MIN_ROW
        for cell in week:
            if cell is None or not cell.in_plan:
                continue
            found = cell_layout(cell, col_w, fonts)
            if found is None:
                grid_ok = False
                break
            row = max(row, found[0])
        if not grid_ok:
            break
        needs.append(row)
    room = avail - HEADER_H
    if grid_ok and max(needs) <= room:
        if sum(needs) <= room:
            stretch = min(MAX_ROW, room / len(weeks))
            heights = [max(n, stretch) for n in needs]
            if sum(heights) > room:
                heights = needs
            return [CalendarChunk(year, month, WeekGrid(weeks, heights, fonts), False)]
        out: list[CalendarChunk] = []
        page: list[int] = []
        for i, need in enumerate(needs):
            if page and sum(needs[j] for j in page) + need > room:
                out.append(CalendarChunk(year, month, WeekGrid([weeks[j] for j in page], [needs[j] for j in page],
                                                               fonts), bool(out)))
                page = []
            page.append(i)
        out.append(CalendarChunk(year, month, WeekGrid([weeks[j] for j in page], [needs[j] for j in page], fonts),
                                 bool(out)))
        return out
    days = [cell for week in weeks for cell in week if cell is not None]
    heights = [list_layout(cell, width, fonts)[0] for cell in days]
    out = []
    page_cells: list[DayCell] = []
    page_heights: list[float] = []
    for cell, h in zip(days, heights):
        h = min(h, avail)
        if page_cells and sum(page_heights) + h > avail:
            out.append(CalendarChunk(year, month, DayList(page_cells, page_heights, fonts), bool(out)))
            page_cells, page_heights = [], []
        page_cells.append(cell)
        page_heights.append(h)
    out.append(CalendarChunk(year, month, DayList(page_cells, page_heights, fonts), bool(out)))
    return out


def months_between(first: date, last: date) -> list[tuple[int, int]]:
    out = []
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def calendar_range(course: InForce, printed_on: date) -> tuple[date, date] | None:
    """The days the patient's calendar covers (taperdesk.core.paper_rows.paper_span)."""
    return paper_span(course, printed_on)
