"""How the clinician summary looks: its type sizes, colours and ruled tables, the
"page x of y" footer (a canvas that holds every page until it knows how many
there are), and the writing helpers its sections share. Apart from the sections,
so that what the paper says (summary_plan, summary_course) reads on its own."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Paragraph, Table, TableStyle

from taperdesk.core.plan import Plan
from taperdesk.export.fonts import CELL_FONT
from taperdesk.export.handout_data import HandoutClinic, HandoutPatient
from taperdesk.export.page_count import PageCountCanvas
from taperdesk.export.scripts import draw_runs

if TYPE_CHECKING:
    from taperdesk.export.clinician_summary import EntryNote, RevisionNote

MARGIN = 15 * mm
INK = colors.black
RULE = colors.Color(0.55, 0.55, 0.55)
SHADE = colors.Color(0.92, 0.92, 0.92)
ALERT = colors.Color(1.0, 0.93, 0.80)


def esc(text: object) -> str:
    """Text safe inside a Paragraph's markup."""
    return escape(str(text))


class Styles:
    """A colleague's paper, denser than the patient's: body 9.5 pt, tables 8.5 pt."""

    def __init__(self, font: str, bold: str) -> None:
        base = dict(fontName=font, textColor=INK, alignment=TA_LEFT)
        self.body = ParagraphStyle("body", fontSize=9.5, leading=12.5, spaceAfter=3, **base)
        self.small = ParagraphStyle("small", fontSize=8.5, leading=10.8, **base)
        self.cell = ParagraphStyle("cell", fontSize=8.5, leading=10.5, **base)
        self.cell_bold = ParagraphStyle("cellb", parent=self.cell, fontName=bold)
        self.title = ParagraphStyle("title", parent=self.body, fontName=bold, fontSize=16, leading=20,
                                    spaceAfter=2)
        self.clinic = ParagraphStyle("clinic", parent=self.body, fontSize=9, leading=11.5, spaceAfter=0)
        self.h2 = ParagraphStyle("h2", parent=self.body, fontName=bold, fontSize=12, leading=15,
                                 spaceBefore=9, spaceAfter=4)
        self.bullet = ParagraphStyle("bullet", parent=self.body, leftIndent=12, bulletIndent=2, spaceAfter=1.5,
                                     bulletFontName=self.body.fontName)  # not the default Helvetica
        self.alert = ParagraphStyle("alert", parent=self.body, fontName=bold, spaceAfter=0)


def summary_table(rows: list[list], widths: Sequence[float], *, header: bool = True, zebra: bool = True,
                  extra: Sequence[tuple] = ()) -> Table:
    table = Table(rows, colWidths=list(widths), repeatRows=1 if header else 0, hAlign="LEFT",
                  splitInRow=1)  # a 2,000-character note or a very long name splits across pages
    style = [
        CELL_FONT,  # plain-string cells (even "") would otherwise use the unembedded Helvetica
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
        ("BOX", (0, 0), (-1, -1), 0.6, INK),
    ]
    if header:
        style += [("BACKGROUND", (0, 0), (-1, 0), SHADE), ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK)]
    if zebra:
        first = 1 if header else 0
        style += [("ROWBACKGROUNDS", (0, first), (-1, -1), [colors.white, colors.Color(0.975, 0.975, 0.975)])]
    table.setStyle(TableStyle(style + list(extra)))
    return table


class SummaryStory:
    """The flowables of the summary so far, and how a section adds to them."""

    def __init__(self, plan: Plan, patient: HandoutPatient, clinic: HandoutClinic,
                 revisions: Sequence[RevisionNote], entries: Sequence[EntryNote], printed_on: date,
                 font: str, bold: str, width: float) -> None:
        self.plan, self.patient, self.clinic = plan, patient, clinic
        self.revisions = sorted(revisions, key=lambda r: r.number)
        self.entries = sorted(entries, key=lambda e: (e.day, e.scale))
        self.printed_on = printed_on
        self.font, self.bold = font, bold
        self.s = Styles(font, bold)
        self.width = width
        self.story: list = []

    def p(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(text, style or self.s.body)

    def cell(self, text: object, bold: bool = False) -> Paragraph:
        return Paragraph(esc(text), self.s.cell_bold if bold else self.s.cell)

    def heading(self, text: str) -> None:
        self.story.append(CondPageBreak(40 * mm))
        self.story.append(self.p(esc(text), self.s.h2))

    def bullets(self, lines: Sequence[str]) -> None:
        for line in lines:
            self.story.append(Paragraph(esc(line), self.s.bullet, bulletText="•"))


def numbered_canvas(footer_left: str, font: str):
    """A canvas class that holds each page until the end, then draws 'page x of y'."""

    class NumberedCanvas(PageCountCanvas):
        def footer(self, number: int, total: int) -> None:
            width, _ = self._pagesize
            self.saveState()
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(MARGIN, MARGIN - 4 * mm, width - MARGIN, MARGIN - 4 * mm)
            self.setFont(font, 8)
            self.setFillColor(INK)
            draw_runs(self, MARGIN, MARGIN - 8 * mm, footer_left, font, 8)
            self.drawRightString(width - MARGIN, MARGIN - 8 * mm, f"Page {number} of {total}")
            self.restoreState()

    return NumberedCanvas
