"""Reading a handout's calendar the way a patient does: which words sit in which
day's cell, and at what size. Text comes from pypdf's content-stream visitor
(each drawn string with its position and font size); a string belongs to the
day whose number (12 pt digits) is the nearest above it in the same column."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date

from pypdf import PdfReader

from taperdesk.export.patient_text import MONTHS_LONG

FOOTER_TOP = 57.0  # the footer sits below 20 mm
COLUMN_SLACK = 8.0  # numbers of one column: a heavy border moves one in by a few points
_TITLE = re.compile(r"^(%s) (\d{4})( \(continued\))?$" % "|".join(MONTHS_LONG))


@dataclass
class Piece:
    text: str
    x: float
    y: float
    size: float


@dataclass
class Cell:
    day: date
    pieces: list[Piece] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(" ".join(p.text for p in self.pieces).replace("\u00a0", " ").split())

    @property
    def boxes(self) -> int:
        return sum(p.text.count("\u2610") for p in self.pieces)

    @property
    def smallest(self) -> float:
        return min((p.size for p in self.pieces), default=99.0)


def page_pieces(page) -> list[Piece]:
    out: list[Piece] = []

    def visit(text, cm, tm, _font, size):
        if text.strip():
            scale = abs(tm[0] * cm[0]) or 1.0
            out.append(Piece(text.strip(), cm[4] + tm[4] * cm[0], cm[5] + tm[5] * cm[3], size * scale))

    page.extract_text(visitor_text=visit)
    return out


def calendar_cells(pdf: bytes) -> tuple[dict[date, list[Cell]], int]:
    """Every day cell on the calendar pages, by date (a day printed twice shows up
    twice), and the number of calendar pages."""
    cells: dict[date, list[Cell]] = {}
    pages = 0
    for page in PdfReader(io.BytesIO(pdf)).pages:
        pieces = page_pieces(page)
        title = next((p for p in pieces if p.size >= 20), None)
        m = _TITLE.match(title.text) if title else None
        if not m:
            continue
        pages += 1
        year, month = int(m.group(2)), MONTHS_LONG.index(m.group(1)) + 1
        numbers = [p for p in pieces if p.size == 12 and p.text.isdigit() and p is not title]
        here = {id(n): Cell(date(year, month, int(n.text))) for n in numbers}
        for piece in pieces:
            if piece.y < FOOTER_TOP or id(piece) in here:
                continue
            above = [n for n in numbers if n.x <= piece.x + 2 and n.y >= piece.y - 1]
            if not above:
                continue
            col = max(n.x for n in above)  # a heavy border moves a day's number in by a few points
            owner = min((n for n in above if col - n.x < COLUMN_SLACK), key=lambda n: n.y)
            here[id(owner)].pieces.append(piece)
        for cell in here.values():
            cells.setdefault(cell.day, []).append(cell)
    return cells, pages
