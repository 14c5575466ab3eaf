"""The patient's take-home PDF: what to take and when, in words.

Page 1: the clinic, the patient, the medicine, the stop date and a table of
what to take at each stage. Then a calendar page per month with a box to tick
for each dose, symptom diary pages and the advice and safety page. Every page's
footer carries the plan revision, the printed date and "page x of y".

    pdf = patient_handout_pdf(plan=plan, patient=patient, clinic=clinic,
                              revision=3, printed_on=date.today())
"""

from __future__ import annotations

import io
from datetime import date

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from taperdesk.core.plan import Plan, Step
from taperdesk.core.words import units_in_words
from taperdesk.export.fonts import ExportError, register_fonts
from taperdesk.export.handout_data import HandoutClinic, HandoutPatient, page_size
from taperdesk.export.patient_pages import (
    BLACK,
    LIGHT,
    SHADE,
    Styles,
    advice_page,
    calendar_page,
    diary_pages,
    esc,
    make_styles,
    months_of,
)
from taperdesk.export.patient_text import (
    TIME_LABELS,
    date_plain,
    date_range,
    day_long,
    day_short,
    dose_mg,
    drugs_in,
    last_dose_day,
    same_doses,
    times_used,
)

__all__ = ["ExportError", "patient_handout_pdf"]

MARGIN = 15 * mm
BOTTOM = 20 * mm  # room for the two-line footer


def _footer_canvas(regular: str, bold: str, line: str, who: str) -> type[Canvas]:
    """A canvas that holds pages back until the end, so each footer can say "page x of y"."""

    class FooterCanvas(Canvas):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held)
            for number, state in enumerate(self._held, 1):
                self.__dict__.update(state)
                self._footer(number, total)
                Canvas.showPage(self)
            Canvas.save(self)

        def _footer(self, number: int, total: int) -> None:
            width, _ = self._pagesize
            self.saveState()
            self.setStrokeColor(BLACK)
            self.setLineWidth(0.8)
            self.line(MARGIN, BOTTOM - 6, width - MARGIN, BOTTOM - 6)
            self.setFillColor(BLACK)
            self.setFont(bold, 10)
            self.drawString(MARGIN, BOTTOM - 19, f"{line} · page {number} of {total}")
            self.setFont(regular, 10)
            self.drawString(MARGIN, BOTTOM - 32, who)
            self.restoreState()

    return FooterCanvas


def _letterhead(clinic: HandoutClinic, st: Styles) -> list[Flowable]:
    lines = [x.strip() for x in (clinic.letterhead or "").splitlines() if x.strip()] or [clinic.name]
    out: list[Flowable] = [Paragraph(esc(lines[0]), st.big)]
    rest = lines[1:]
    if clinic.name and clinic.name not in lines:
        rest.insert(0, clinic.name)
    contact = [*rest, *(x.strip() for x in clinic.address.splitlines() if x.strip())]
    if contact:
        out.append(Paragraph(esc(" · ".join(contact)), st.body))
    if clinic.phone:
        out.append(Paragraph(f"Phone: <b>{esc(clinic.phone)}</b>", st.body))
    rule = Table([[""]], colWidths=["100%"], rowHeights=[4])
    rule.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 1.5, BLACK)]))
    return [*out, rule, Spacer(0, 8)]


def _details(plan: Plan, patient: HandoutPatient, clinic: HandoutClinic, st: Styles, width: float) -> Table:
    drugs = drugs_in(plan)
    medicine = plan.drug
    if plan.crossover_to and plan.crossover_to != plan.drug:
        medicine = f"{plan.drug}, switching to {plan.crossover_to}"
    elif len(drugs) > 1:
        medicine = ", ".join(drugs)
    rows = [
        ("Name", patient.name),
        ("Date of birth", date_plain(patient.born)),
        ("Patient number", patient.identifier),
        ("Medicine", medicine),
        ("Start date", day_long(plan.start)),
        ("Prescriber", clinic.prescriber),
    ]
    data = [[Paragraph(label, st.body), Paragraph(f"<b>{esc(value)}</b>", st.body)] for label, value in rows if value]
    table = Table(data, colWidths=[width * 0.25, width * 0.75])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]))
    return table


def _stop_box(plan: Plan, st: Styles, width: float) -> Table:
    last = last_dose_day(plan)
    if last is not None:
        after = plan.steps[-1].start
        text = (f"Your last dose is on {esc(day_long(last))}; "
                f"from {esc(day_long(after))} you take no more.")
    else:
        final = plan.steps[-1]
        amounts = ", ".join(f"{TIME_LABELS[d.time].lower()} {dose_mg(d)} {d.drug}" for d in final.doses)
        text = (f"Your plan ends on {esc(day_long(plan.end))} at {esc(amounts)}. "
                "Keep taking that dose until your prescriber tells you otherwise.")
    box = Table([[Paragraph(text, st.big)]], colWidths=[width])
    box.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 3, BLACK),
        ("BACKGROUND", (0, 0), (-1, -1), LIGHT),
        ("LEFTPADDING", (0, 0), (-1, -1), 10), ("RIGHTPADDING", (0, 0), (-1, -1), 10),
        ("TOPPADDING", (0, 0), (-1, -1), 8), ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
    ]))
    return box


def _step_label(plan: Plan, step: Step, previous: Step | None) -> str:
    days = f"{step.days} day{'s' if step.days != 1 else ''}"
    if step.kind == "hold":
        reason = f"<br/>Why: {esc(step.reason)}" if step.reason else ""
        return f"<b>Hold: same dose</b> ({days}){reason}"
    if previous is None:
        return f"<b>Starting dose</b> ({days})"
    if same_doses(previous, step):
        return f"Same dose, continued ({days})"
    if step.kind == "crossover":
        return f"<b>NEW DOSE</b>: switching to {esc(plan.crossover_to or '')} ({days})"
    return f"<b>NEW DOSE</b> ({days})"


def _what_to_take(plan: Plan, st: Styles, width: float) -> Table:
    times = times_used(plan)
    date_w = width * (0.36 if len(times) <= 2 else 0.27)
    dose_w = (width - date_w) / max(1, len(times))
    header = [Paragraph("Dates", st.cell_bold), *(Paragraph(TIME_LABELS[t], st.cell_bold) for t in times)]
    rows: list[list] = [header]
    style = [
        ("GRID", (0, 0), (-1, -1), 0.8, BLACK),
        ("BOX", (0, 0), (-1, -1), 1.5, BLACK),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEBELOW", (0, 0), (-1, 0), 1.5, BLACK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ]
    previous: Step | None = None
    for step in plan.steps:
        r = len(rows)
        if not step.doses:
            rows.append([Paragraph(f"<b>From {esc(day_short(step.start))}</b>", st.cell),
                         Paragraph("<b>No more doses. You have finished.</b>", st.cell)] + [""] * (len(times) - 1))
            style += [("SPAN", (1, r), (-1, r)), ("LINEABOVE", (0, r), (-1, r), 2, BLACK)]
            continue
        by_time = {d.time: d for d in step.doses}
        cells = [Paragraph(f"<b>{esc(date_range(step.start, step.end))}</b><br/>{_step_label(plan, step, previous)}", st.cell)]
        for t in times:
            d = by_time.get(t)
            if d is None:
                cells.append(Paragraph("<b>No dose</b>", st.cell))
            else:
                cells.append(Paragraph(f"<b>{esc(dose_mg(d))}</b> {esc(d.drug)}<br/>{esc(units_in_words(d.units))}", st.cell))
        rows.append(cells)
        if step.kind == "hold":
            style.append(("BACKGROUND", (0, r), (-1, r), SHADE))
        elif previous is not None and not same_doses(previous, step):
            style.append(("LINEABOVE", (0, r), (-1, r), 2, BLACK))
        previous = step
    table = Table(rows, colWidths=[date_w] + [dose_w] * len(times), repeatRows=1)
    table.setStyle(TableStyle(style))
    return table


def _front(plan: Plan, patient: HandoutPatient, clinic: HandoutClinic, st: Styles, width: float) -> list[Flowable]:
    return [
        *_letterhead(clinic, st),
        Paragraph("Your plan for coming off your medicine", st.title),
        _details(plan, patient, clinic, st, width),
        Spacer(0, 10),
        _stop_box(plan, st, width),
        Paragraph("What to take", st.h2),
        Paragraph(
            "Each row is one stage of your plan. Every day from the first date to the last date of a row,"
            " take the dose shown for each time of day. Do not change a dose without talking to your prescriber.",
            st.body,
        ),
        Spacer(0, 6),
        _what_to_take(plan, st, width),
    ]


def patient_handout_pdf(
    *,
    plan: Plan,
    patient: HandoutPatient,
    clinic: HandoutClinic,
    revision: int,
    printed_on: date,
    diary_weeks: int = 4,
    invariant: bool = False,
) -> bytes:
    """The patient handout as PDF bytes. Raises ExportError (one line for the user)."""
    if not plan.steps:
        raise ExportError("The plan has no steps: there is nothing to print")
    regular, bold = register_fonts()
    st = make_styles(regular, bold)
    size = page_size(clinic)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=size,
        leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=BOTTOM,
        title=f"Medicine plan for {patient.name}",
        author=clinic.name,
        subject=f"Plan revision {revision}",
        creator="TaperDesk",
        invariant=1 if invariant else 0,
    )
    width, height = doc.width - 12, doc.height - 12  # inside the frame's 6 pt padding
    story: list[Flowable] = _front(plan, patient, clinic, st, width)
    for year, month in months_of(plan):
        story += [PageBreak(), *calendar_page(plan, year, month, st)]
    diary = diary_pages(plan, printed_on, diary_weeks, st, width, height)
    if diary:
        story += [PageBreak(), *diary]
    story += [PageBreak(), *advice_page(clinic, st, width)]
    line = f"Plan revision {revision} · printed {date_plain(printed_on)}"
    who = f"{patient.name} · born {date_plain(patient.born)}"
    if patient.identifier:
        who += f" · {patient.identifier}"
    doc.build(story, canvasmaker=_footer_canvas(regular, bold, line, who))
    return buf.getvalue()
