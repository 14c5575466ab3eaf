"""The dose-box sheet: for pharmacies that fill weekly compliance packs, what
goes in each day's compartment for each time of day, a week a page (the
tapering-strip idea on paper). Read from the one answer to "what is taken on
day D" (InForce), like the calendar and the pharmacy order.

A liquid cannot go in a pack: its compartment says so and how much to measure."""

from __future__ import annotations

import io
from datetime import date, timedelta

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from taperdesk.core.in_force import InForce, StatusChange
from taperdesk.core.plan import Plan
from taperdesk.core.supply import supply_span
from taperdesk.core.words import unit_in_words
from taperdesk.export.fonts import CELL_FONT, ExportError, register_fonts
from taperdesk.export.handout_data import HandoutClinic, HandoutPatient, page_size
from taperdesk.export.calendar_days import nb
from taperdesk.export.patient_handout import BOTTOM, MARGIN, _footer_canvas
from taperdesk.export.patient_pages import BLACK, SHADE, esc, make_styles
from taperdesk.export.patient_text import DAYS, TIME_LABELS, date_plain, date_range, day_short, dose_mg
from taperdesk.export.patient_text import times_used

__all__ = ["dose_box_pdf", "compartment"]

MAX_WEEKS = 104
ROW_H = 78.0  # a compartment's row: room to write a check mark and initials


def compartment(doses, time: str) -> str:
    """What goes in one compartment: 'one 5 mg tablet + half of a 2 mg tablet (6 mg diazepam)'."""
    dose = next((d for d in doses if d.time == time), None)
    if dose is None:
        return "empty"
    solid = [u for u in dose.units if u.form != "liquid"]
    liquid = [u for u in dose.units if u.form == "liquid"]
    parts = [" + ".join(unit_in_words(u) for u in solid)] if solid else []
    parts += [f"not in the box: measure {unit_in_words(u)}" for u in liquid]
    return f"{'; '.join(parts)} ({dose_mg(dose)} {dose.drug})"


def dose_box_pdf(*, plan: Plan, patient: HandoutPatient, clinic: HandoutClinic, revision: int, printed_on: date,
                 statuses: tuple[StatusChange, ...] = (), invariant: bool = False) -> bytes:
    """One page per week, Monday to Sunday, from the week of `printed_on` (or the
    plan's start) to the last dose. Raises ExportError."""
    course = InForce(plan, tuple(statuses))
    if course.status == "draft":
        raise ExportError("This plan is a draft: start it before filling dose boxes")
    span = supply_span(course, printed_on)
    regular, bold = register_fonts()
    st = make_styles(regular, bold)
    cell = ParagraphStyle("box_cell", parent=st.cell, fontSize=10, leading=12.4)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=page_size(clinic), leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=BOTTOM, title="Dose-box sheet", author=clinic.name,
                            subject=f"Plan revision {revision}", creator="TaperDesk", lang="en-GB", initialFontName=regular,
                            invariant=1 if invariant else 0)
    width = doc.width - 12
    story: list[Flowable] = []
    if span is None:
        story.append(Paragraph("Dose-box sheet: nothing to fill, no doses are left in this plan.", st.title))
    else:
        first, last = span
        if course.last_day() is None:
            last = first + timedelta(days=27)
        monday = first - timedelta(days=first.weekday())
        times = times_used(plan)
        weeks = 0
        while monday <= last and weeks < MAX_WEEKS:
            days = [monday + timedelta(days=i) for i in range(7)]
            if story:
                story.append(PageBreak())
            story += [Paragraph(f"Dose box: week of {esc(day_short(monday))}", st.title),
                      Paragraph("Fill each compartment with exactly what it says. A heavy line marks a day the"
                                " dose changes.", st.body), Spacer(0, 6)]
            rows = [[Paragraph("Day", st.cell_bold)] + [Paragraph(TIME_LABELS[t], st.cell_bold) for t in times]]
            style = [CELL_FONT, ("GRID", (0, 0), (-1, -1), 0.6, BLACK), ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                     ("VALIGN", (0, 0), (-1, -1), "TOP")]
            for r, answer in enumerate(course.days(days[0], days[-1]), 1):
                day = f"<b>{DAYS[answer.day.weekday()]} {answer.day.day}</b>"
                if answer.day < first or answer.day > last or not answer.in_force:
                    rows.append([Paragraph(day, cell)] + [Paragraph("not in this supply", cell) for _ in times])
                    continue
                if answer.dose_change:
                    day += "<br/>NEW DOSE"
                    style.append(("LINEABOVE", (0, r), (-1, r), 2.5, BLACK))
                rows.append([Paragraph(day, cell)] + [Paragraph(esc(nb(compartment(answer.doses, t))), cell)
                                                      for t in times])
            table = Table(rows, colWidths=[width * 0.14] + [width * 0.86 / max(1, len(times))] * len(times),
                          repeatRows=1, rowHeights=[None] + [ROW_H] * 7)
            table.setStyle(TableStyle(style))
            story.append(table)
            monday += timedelta(days=7)
            weeks += 1
    line = f"Dose-box sheet · plan revision {revision} · printed {date_plain(printed_on)}"
    rest = f" · born {date_plain(patient.born)}" + (f" · {patient.identifier}" if patient.identifier else "")
    doc.build(story, canvasmaker=_footer_canvas(regular, bold, line, patient.name, rest, False))
    return buf.getvalue()
