"""The pharmacy order: what to dispense for each supply period of the plan, with
the directions a label needs, the totals for the whole plan, and the
prescriber's signature and date line.

Every quantity comes from taperdesk.core.supply, which sums the days of the
one answer to "what is taken on day D" (InForce): the order and the patient's
calendar cannot disagree. The dose-box sheet (what goes in each day and time
compartment of a weekly compliance pack) is in taperdesk.export.dose_box.
"""

from __future__ import annotations

import io
from datetime import date

from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from taperdesk.core.in_force import STATUS_LABELS, InForce, StatusChange
from taperdesk.core.plan import Plan
from taperdesk.core.supply import BOTTLE_ML, Period, dispensed_total, supply_periods, totals
from taperdesk.export.fonts import CELL_FONT, ExportError, register_fonts
from taperdesk.export.handout_data import HandoutClinic, HandoutPatient, page_size
from taperdesk.export.calendar_days import nb
from taperdesk.export.scripts import markup
from taperdesk.export.patient_handout import BOTTOM, MARGIN, _footer_canvas
from taperdesk.export.patient_pages import BLACK, SHADE, Styles, esc, make_styles
from taperdesk.export.patient_text import date_plain, date_range
from taperdesk.core.quantity import fmt_mg

__all__ = ["pharmacy_order_pdf"]

SPLIT_WORDS = {"halves": "split into halves", "quarters": "split into quarters", "": "whole"}


def _grid(rows: list[list], widths: list[float], header: bool = True) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0, splitInRow=1)
    style = [CELL_FONT, ("GRID", (0, 0), (-1, -1), 0.6, BLACK), ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), SHADE))
    table.setStyle(TableStyle(style))
    return table


def _who(patient: HandoutPatient, clinic: HandoutClinic, prescriber: str, revision: int, course: InForce,
         st: Styles, width: float) -> Table:
    rows = [
        ("Patient", patient.name),
        ("Date of birth", date_plain(patient.born)),
        ("Patient number", patient.identifier),
        ("Prescriber", prescriber or "(not set: the prescriber signs below)"),
        ("Clinic", " · ".join(x for x in (clinic.name, " ".join(clinic.address.split()), clinic.phone) if x)),
        ("Plan", f"revision {revision}; status: {STATUS_LABELS.get(course.status, course.status)}"),
    ]
    data = [[Paragraph(label, st.cell),
             Paragraph(f"<b>{markup(value, st.bold) if label == 'Patient' else esc(value)}</b>", st.cell)]
            for label, value in rows if value]
    return _grid(data, [width * 0.24, width * 0.76], header=False)


def _period_block(n: int, period: Period, st: Styles, width: float) -> list[Flowable]:
    head = Paragraph(f"Supply {n}: {esc(date_range(period.first, period.last))} ({period.days} days)", st.h2)
    rows = [[Paragraph(x, st.cell_bold) for x in ("Product", "Split", "Used over the period", "Dispense")]]
    for line in period.lines:
        used = (f"{fmt_mg(float(line.used), 1)} mL" if line.product.form == "liquid"
                else f"{fmt_mg(float(line.used), 2)} {line.product.form}s")
        rows.append([Paragraph(esc(nb(line.product.label())), st.cell), Paragraph(SPLIT_WORDS[line.split], st.cell),
                     Paragraph(esc(nb(used)), st.cell), Paragraph(f"<b>{esc(nb(line.quantity_words()))}</b>", st.cell)])
    if not period.lines:
        rows.append([Paragraph("Nothing to dispense", st.cell), "", "", ""])
    table = _grid(rows, [width * f for f in (0.36, 0.17, 0.22, 0.25)])
    directions = [Paragraph("<b>Directions</b>", st.cell)] + [
        Paragraph(f"{esc(nb(date_range(d.first, d.last)))}: {esc(nb(d.text))}", st.cell) for d in period.directions]
    return [KeepTogether([head, table]), Spacer(0, 4), *directions]


def _totals_block(periods: list[Period], st: Styles, width: float) -> list[Flowable]:
    rows = [[Paragraph(x, st.cell_bold) for x in ("Product", "Used over the whole plan", "Dispensed in all supplies")]]
    for line in totals(periods):
        if line.product.form == "liquid":
            used = f"{fmt_mg(float(line.used), 1)} mL"
            given = f"{dispensed_total(periods, line.product)} × {BOTTLE_ML} mL bottles"
        else:
            used = f"{fmt_mg(float(line.used), 2)} {line.product.form}s"
            given = f"{dispensed_total(periods, line.product)} {line.product.form}s"
        rows.append([Paragraph(esc(nb(line.product.label())), st.cell), Paragraph(esc(nb(used)), st.cell),
                     Paragraph(f"<b>{esc(nb(given))}</b>", st.cell)])
    return [Paragraph("Totals for the plan", st.h2), _grid(rows, [width * f for f in (0.4, 0.3, 0.3)])]


def _signature(prescriber: str, st: Styles, width: float) -> Table:
    rows = [[Paragraph(f"Prescriber: <b>{esc(prescriber)}</b>" if prescriber else "Prescriber (name):", st.cell),
             ""],
            [Paragraph("Signature:", st.cell), Paragraph("Date:", st.cell)]]
    table = Table(rows, colWidths=[width * 0.62, width * 0.38], rowHeights=[22, 40])
    table.setStyle(TableStyle([CELL_FONT, ("LINEBELOW", (0, 1), (-1, 1), 0.8, BLACK), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return KeepTogether([Spacer(0, 10), table])


def pharmacy_order_pdf(*, plan: Plan, patient: HandoutPatient, clinic: HandoutClinic, revision: int,
                       printed_on: date, statuses: tuple[StatusChange, ...] = (), supply_days: int = 28,
                       prescriber: str | None = None, invariant: bool = False) -> bytes:
    """The pharmacy order as PDF bytes, from `printed_on` (or the plan's start)
    to the last dose, in periods of `supply_days`. Raises ExportError."""
    course = InForce(plan, tuple(statuses))
    if course.status == "draft":
        raise ExportError("This plan is a draft: start it before ordering its supply")
    try:
        periods = supply_periods(course, printed_on, supply_days)
    except ValueError as exc:
        raise ExportError(str(exc)) from None
    prescriber = clinic.prescriber if prescriber is None else prescriber
    regular, bold = register_fonts()
    st = make_styles(regular, bold)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=page_size(clinic), leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=BOTTOM, title="Pharmacy order", author=clinic.name,
                            subject=f"Plan revision {revision}", creator="TaperDesk", lang="en-GB", initialFontName=regular,
                            invariant=1 if invariant else 0)
    width = doc.width - 12
    story: list[Flowable] = [
        Paragraph("Pharmacy order", st.title),
        Paragraph(f"Supplies of {supply_days} days from {esc(date_plain(periods[0].first))}" if periods else
                  "Nothing to dispense: no doses are left in this plan.", st.body),
        Spacer(0, 6),
        _who(patient, clinic, prescriber, revision, course, st, width),
    ]
    if course.last_day() is None and periods:
        story.append(Paragraph("The dose continues with no end date in the plan: this order covers one supply;"
                               " order the next when it is due.", st.body))
    for n, period in enumerate(periods, 1):
        story += _period_block(n, period, st, width)
    if periods:
        story += _totals_block(periods, st, width)
    story.append(_signature(prescriber, st, width))
    line = f"Pharmacy order · plan revision {revision} · printed {date_plain(printed_on)}"
    rest = f" · born {date_plain(patient.born)}" + (f" · {patient.identifier}" if patient.identifier else "")
    doc.build(story, canvasmaker=_footer_canvas(regular, bold, line, patient.name, rest, False))
    return buf.getvalue()
