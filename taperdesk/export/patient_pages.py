"""The patient handout's pages after the first: a calendar per month, the
symptom diary and the advice and safety page. Every day's doses are read from
the plan (`Plan.step_on`), never worked out here."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

from taperdesk.core.advice import AdviceFacts, AdvicePage, medicines_for
from taperdesk.core.plan import Plan, Step
from taperdesk.core.words import units_in_words
from taperdesk.export.fonts import CELL_FONT
from taperdesk.export.handout_data import HandoutClinic
from taperdesk.core.in_force import DayDoses, InForce
from taperdesk.export.calendar_pages import month_chunks, months_between
from taperdesk.export.calendar_days import nb
from taperdesk.export.patient_text import (
    TIME_LABELS,
    date_range,
    day_short,
    dose_mg,
    month_title,
)

BLACK = colors.black
SHADE = colors.Color(0.86, 0.86, 0.86)  # hold days, table headers: still clear printed grey
LIGHT = colors.Color(0.94, 0.94, 0.94)


def esc(text: str) -> str:
    """Text safe inside a ReportLab Paragraph's mini-markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass(frozen=True)
class Styles:
    regular: str
    bold: str
    body: ParagraphStyle
    bold_body: ParagraphStyle
    small: ParagraphStyle
    title: ParagraphStyle
    h2: ParagraphStyle
    big: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    bullet: ParagraphStyle


def make_styles(regular: str, bold: str) -> Styles:
    body = ParagraphStyle("body", fontName=regular, fontSize=12, leading=15.5, textColor=BLACK, alignment=TA_LEFT)
    return Styles(
        regular=regular,
        bold=bold,
        body=body,
        bold_body=ParagraphStyle("bold_body", parent=body, fontName=bold),
        small=ParagraphStyle("small", parent=body, fontSize=9, leading=11),  # the floor for anything a patient reads
        title=ParagraphStyle("title", parent=body, fontName=bold, fontSize=22, leading=27, spaceAfter=6),
        h2=ParagraphStyle("h2", parent=body, fontName=bold, fontSize=16, leading=20, spaceBefore=7, spaceAfter=3),
        big=ParagraphStyle("big", parent=body, fontName=bold, fontSize=16, leading=21),
        cell=ParagraphStyle("cell", parent=body, fontSize=12, leading=14.5),
        cell_bold=ParagraphStyle("cell_bold", parent=body, fontName=bold, fontSize=12, leading=14.5),
        bullet=ParagraphStyle(
            "bullet", parent=body, leftIndent=16, bulletIndent=2, bulletFontName=bold, spaceAfter=2
        ),
    )


def months_of(plan: Plan) -> list[tuple[int, int]]:
    return months_between(plan.start, plan.end)


CALENDAR_HELP = ("Tick a box each time you take a dose. A <b>thick border</b> and <b>NEW DOSE</b> mark a day"
                 " your dose changes. <b>HOLD</b> means your dose stays the same for now.")


def calendar_pages(course: InForce, first: date, last: date, st: Styles, width: float,
                   height: float) -> list[Flowable]:
    """A month title, the help line and the month's days, page by page; a month
    that needs more than one page says "continued" on the next."""
    multi = len({d.drug for s in course.plan.steps for d in s.doses}) > 1
    fonts = (st.regular, st.bold)
    story: list[Flowable] = []
    for year, month in months_between(first, last):
        title = Paragraph(esc(month_title(year, month)), st.title)
        title_more = Paragraph(esc(month_title(year, month)) + " (continued)", st.title)
        help_ = Paragraph(CALENDAR_HELP, st.body)
        used = max(title.wrap(width, height)[1], title_more.wrap(width, height)[1]) + title.getSpaceAfter()
        used += help_.wrap(width, height)[1] + 6 + 12  # the spacer and the frame's slack
        for chunk in month_chunks(course, year, month, multi=multi, width=width, avail=height - used,
                                  fonts=fonts):
            if story:
                story.append(PageBreak())
            story += [title_more if chunk.continued else title, help_, Spacer(0, 6), chunk.flowable]
    return story


# -- symptom diary ------------------------------------------------------------

def diary_days_per_page(plan: Plan) -> int:
    """Two weeks a page; one week when a day has more than two doses to list."""
    return 14 if max((len(s.doses) for s in plan.steps), default=0) <= 2 else 7


def diary_start(plan: Plan, printed_on: date) -> date:
    return max(printed_on, plan.start)


def _diary_dose(answer: DayDoses) -> str:
    if answer.state == "before_start":
        return "Plan not started"
    if not answer.doses:
        return "No dose"
    return "<br/>".join(f"{TIME_LABELS[x.time]} <b>{esc(nb(dose_mg(x)))}</b>" for x in answer.doses)


def diary_pages(course: InForce, printed_on: date, weeks: int, st: Styles, width: float,
                height: float) -> list[Flowable]:
    """Rows share out the page's height, so a page holds its days on A4 and Letter alike."""
    if weeks <= 0:
        return []
    plan = course.plan
    start = diary_start(plan, printed_on)
    days = list(course.days(start, start + timedelta(days=weeks * 7 - 1)))
    per_page = diary_days_per_page(plan)
    head = ParagraphStyle("diary_head", parent=st.cell_bold, fontSize=10.5, leading=12.5)
    title = ParagraphStyle("diary_title", parent=st.title, fontSize=18, leading=22, spaceAfter=4)
    header = [
        Paragraph("Date", head),
        Paragraph("Your dose that day", head),
        Paragraph("Symptoms (0 to 10)", head),
        Paragraph("Sleep (0 to 10)", head),
        Paragraph("Notes: side effects, what helped", head),
    ]
    widths = [width * f for f in (0.17, 0.25, 0.155, 0.145, 0.28)]
    story: list[Flowable] = []
    for page, first in enumerate(range(0, len(days), per_page)):
        chunk = days[first:first + per_page]
        if page:
            story.append(PageBreak())
        top = [
            Paragraph(f"Symptom diary: {esc(date_range(chunk[0].day, chunk[-1].day))}", title),
            Paragraph(
                "Fill in one row each evening. <b>Symptoms:</b> 0 = none, 10 = the worst you can imagine."
                " <b>Sleep:</b> 0 = no sleep at all, 10 = slept very well.",
                st.body,
            ),
            Spacer(0, 5),
        ]
        story += top
        rows = [header]
        for answer in chunk:
            rows.append([Paragraph(f"<b>{esc(day_short(answer.day, year=False))}</b>", st.cell),
                         Paragraph(_diary_dose(answer), st.cell), "", "", ""])
        used = sum(f.wrap(width, height)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in top)
        used += max(p.wrap(w - 12, height)[1] for p, w in zip(header, widths)) + 10
        row_h = min(64.0, (height - used - 6) / per_page)
        table = Table(rows, colWidths=widths, repeatRows=1, rowHeights=[None] + [row_h] * len(chunk))
        style = [

            CELL_FONT,
            ("GRID", (0, 0), (-1, -1), 0.8, BLACK),
            ("BOX", (0, 0), (-1, -1), 1.5, BLACK),
            ("BACKGROUND", (0, 0), (-1, 0), SHADE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 1), (-1, -1), 4),
        ]
        style += [("BACKGROUND", (0, i), (1, i), LIGHT) for i in range(2, len(rows), 2)]
        table.setStyle(TableStyle(style))
        story.append(table)
    return story


# -- advice and safety ---------------------------------------------------------

def advice_facts(plan: Plan, clinic: HandoutClinic, facts: AdviceFacts | None = None) -> AdviceFacts:
    """What the advice page is built from: the facts given (the patient's support
    and substances) with the plan's medicines and the clinic's numbers filled in."""
    from dataclasses import replace

    from taperdesk.core.catalogue import load_catalogue

    medicines = medicines_for([plan.drug, plan.crossover_to or ""], load_catalogue())
    base = facts or AdviceFacts()
    return replace(base, medicines=base.medicines or medicines, clinic_name=clinic.name, clinic_phone=clinic.phone,
                   emergency_number=clinic.emergency_number or "")


def advice_page(page: AdvicePage, st: Styles, width: float) -> list[Flowable]:
    """The page as built for this patient (core.advice): headings, points, the
    urgent box with the clinic's emergency sentence, and every source at the foot."""
    story: list[Flowable] = [Paragraph(esc(page.title), st.title)]
    for section in page.sections:
        points = [Paragraph(esc(p.text), st.bullet, bulletText="•") for p in section.points]
        if section.urgent:
            inner = [Paragraph(esc(section.heading), st.big), Spacer(0, 3), *points,
                     Spacer(0, 3), Paragraph(f"<b>{esc(page.emergency)}</b>", st.body)]
            box = Table([[inner]], colWidths=[width])
            box.setStyle(TableStyle([
                CELL_FONT,
                ("BOX", (0, 0), (-1, -1), 3, BLACK),
                ("LEFTPADDING", (0, 0), (-1, -1), 10), ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, -1), 8), ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]))
            story += [box, Spacer(0, 4)]
        else:
            story.append(KeepTogether([Paragraph(esc(section.heading), st.h2), *points]))
    sources = ParagraphStyle("sources", parent=st.body, fontSize=9, leading=11)  # nothing printed under 9 pt
    story += [Spacer(0, 4), Paragraph("Sources: " + esc("; ".join(page.sources)) + ".", sources)]
    return story
