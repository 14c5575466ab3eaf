"""The handout calendar's text laid out at its one size (10 pt, never shrunk): the
lines of each dose in a grid column or a list row, how tall a day needs to be,
and None where a word cannot fit, so that the page chooses a list instead of
a smaller type or a blank day."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from reportlab.pdfbase.pdfmetrics import stringWidth

from taperdesk.export.calendar_days import CellDose, DayCell

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
    """cell_layout by what the layout depends on (days with the same doses share one):
    (height needed, lines per dose) for a cell `width` wide; None if it cannot fit that wide."""
    cell = DayCell(date(2000, 1, 10 if two_digits else 1), True, label, thick, False, doses, note)
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
