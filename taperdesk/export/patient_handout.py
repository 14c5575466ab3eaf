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
from datetime import date, timedelta

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from taperdesk.core.advice import AdviceFacts
from taperdesk.core.advice import advice_page as build_advice_page
from taperdesk.core.in_force import DayDoses, InForce, StatusChange
from taperdesk.core.interactions import Findings
from taperdesk.core.plan import Dose, Plan
from taperdesk.core.words import units_in_words
from taperdesk.export.calendar_pages import calendar_range
from taperdesk.export.page_count import PageCountCanvas
from taperdesk.export.calendar_days import nb
from taperdesk.export.scripts import draw_runs, markup, runs_width, visual
from taperdesk.export.fonts import CELL_FONT, ExportError, register_fonts
from taperdesk.export.handout_data import HandoutClinic, HandoutPatient, page_size
from taperdesk.export.interaction_paper import patient_box
from taperdesk.export.patient_pages import (
    BLACK,
    LIGHT,
    SHADE,
    Styles,
    advice_facts,
    advice_page,
    calendar_pages,
    diary_pages,
    esc,
    make_styles,
)
from taperdesk.export.patient_text import (
    HOLD_WORDS,
    TIME_LABELS,
    date_plain,
    date_range,
    day_long,
    day_short,
    dose_mg,
    drugs_in,
    times_used,
)

__all__ = ["ExportError", "patient_handout_pdf"]

MARGIN = 15 * mm
BOTTOM = 20 * mm  # room for the two-line footer
DRAFT_MARK = "DRAFT: not agreed, do not follow"


def fit_who(name: str, rest: str, font: str, size: float, width: float) -> str:
    """The footer's 'name · born … · number' in `width`, the name in visual order
    (Arabic and Hebrew): the name is shortened with an ellipsis so the birth date
    and the patient number always print."""
    name = visual(" ".join(name.split()))
    full = f"{name}{rest}"
    if runs_width(full, font, size) <= width:
        return full
    lo, hi = 0, len(name)  # the longest cut that fits
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if runs_width(f"{name[:mid].rstrip()}…{rest}", font, size) <= width:
            lo = mid
        else:
            hi = mid - 1
    return f"{name[:lo].rstrip()}…{rest}"


def _footer_canvas(regular: str, bold: str, line: str, name: str, rest: str, draft: bool) -> type[PageCountCanvas]:
    """The handout's footer (and a draft's mark) on a canvas that knows the page count."""

    class FooterCanvas(PageCountCanvas):
        def footer(self, number: int, total: int) -> None:
            width, height = self._pagesize
            self.saveState()
            self.setStrokeColor(BLACK)
            self.setLineWidth(0.8)
            self.line(MARGIN, BOTTOM - 6, width - MARGIN, BOTTOM - 6)
            self.setFillColor(BLACK)
            self.setFont(bold, 10)
            self.drawString(MARGIN, BOTTOM - 19, f"{line} · page {number} of {total}")
            self.setFont(regular, 10)
            draw_runs(self, MARGIN, BOTTOM - 32, fit_who(name, rest, regular, 10, width - 2 * MARGIN), regular, 10)
            if draft:
                self.setFont(bold, 11)
                self.drawCentredString(width / 2, height - MARGIN + 14, DRAFT_MARK)
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
    rule.setStyle(TableStyle([CELL_FONT, ("LINEBELOW", (0, 0), (-1, -1), 1.5, BLACK)]))
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
        ("Next review", day_long(patient.next_review) if patient.next_review else ""),
    ]
    data = [[Paragraph(label, st.body),
             Paragraph(f"<b>{markup(value, st.bold) if label == 'Name' else esc(value)}</b>", st.body)]
            for label, value in rows if value]
    table = Table(data, colWidths=[width * 0.25, width * 0.75], splitInRow=1)  # a very long name may split
    table.setStyle(TableStyle([
        CELL_FONT,
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]))
    return table


def doses_sentence(doses: tuple[Dose, ...]) -> str:
    """'morning 5 mg diazepam (one 5 mg tablet) and night 2 mg diazepam (one 2 mg tablet)'."""
    parts = [f"{TIME_LABELS[d.time].lower()} <b>{esc(nb(dose_mg(d)))}</b> {esc(d.drug)} "
             f"({esc(nb(units_in_words(d.units)))})" for d in doses]
    return ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1] if parts else "no medicine"


def status_words(course: InForce, printed_on: date) -> str:
    """The box at the top of page 1: what the paper means, by the plan's status."""
    status = course.status
    plan = course.plan
    if status == "draft":
        return ("DRAFT: this plan has not been agreed yet. Do not follow it. Your clinic will give you"
                " the final copy when your plan starts.")
    if status == "completed":
        return "Your plan is complete. You take no more of this medicine."
    if status in ("paused", "stopped"):
        answer = course.on(max(printed_on, course.statuses[-1].on, plan.start))
        if not answer.doses:
            return "You take no more of this medicine."
        if status == "paused":
            return (f"Your plan is paused. Keep taking {doses_sentence(answer.doses)} every day until your"
                    " clinic tells you otherwise.")
        return (f"Your clinic has ended the taper. Keep taking {doses_sentence(answer.doses)} every day."
                " Do not stop this medicine suddenly: talk to your clinic before any change.")
    last = course.last_day()
    if plan.stops and last is not None:
        final = next((a for a in course.days(plan.steps[-1].start, last) if a.state == "stop_day"), None)
        last_dose = (final.day if final else last) - timedelta(days=1)
        return (f"Your last dose is on {esc(day_long(last_dose))}; "
                f"from {esc(day_long(last_dose + timedelta(days=1)))} you take no more.")
    final = plan.steps[-1]
    return (f"Your plan ends on {esc(day_long(plan.end))} at {doses_sentence(final.doses)}. "
            "Keep taking that dose until your prescriber tells you otherwise.")


def _stop_box(course: InForce, printed_on: date, st: Styles, width: float) -> Table:
    box = Table([[Paragraph(status_words(course, printed_on), st.big)]], colWidths=[width])
    box.setStyle(TableStyle([
        CELL_FONT,
        ("BOX", (0, 0), (-1, -1), 3, BLACK),
        ("BACKGROUND", (0, 0), (-1, -1), LIGHT),
        ("LEFTPADDING", (0, 0), (-1, -1), 10), ("RIGHTPADDING", (0, 0), (-1, -1), 10),
        ("TOPPADDING", (0, 0), (-1, -1), 8), ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
    ]))
    return box




def _key(answer: DayDoses) -> tuple:
    kept = answer.state if answer.state in ("hold", "paused", "taper_ended", "maintenance", "stop_day",
                                            "finished") else "dose"
    step = answer.step.index if answer.step is not None and answer.state == "hold" else None
    return kept, step, tuple(sorted((d.time, d.drug, d.mg, d.units) for d in answer.doses))


def stages(course: InForce, first: date, last: date) -> list[tuple[DayDoses, date, bool]]:
    """Runs of days with the same doses and reason: (first day's answer, last day, open-ended)."""
    out: list[tuple[DayDoses, date, bool]] = []
    for answer in course.days(first, last):
        if answer.state in ("before_start", "completed"):
            continue
        if out and _key(out[-1][0]) == _key(answer) and not answer.dose_change:
            out[-1] = (out[-1][0], answer.day, False)
        elif answer.state == "finished" and out and out[-1][0].state in ("stop_day", "finished"):
            continue
        else:
            out.append((answer, answer.day, False))
    if out and course.last_day() is None:
        out[-1] = (out[-1][0], out[-1][1], True)
    return out


def _stage_label(plan: Plan, answer: DayDoses, end: date, open_ended: bool, first_row: bool) -> str:
    days = (end - answer.day).days + 1
    length = "" if open_ended else f" ({days}\u00a0day{'s' if days != 1 else ''})"
    if answer.state == "paused":
        return "<b>Paused: same dose</b> until your clinic tells you otherwise"
    if answer.state == "taper_ended":
        return "<b>Taper ended: keep taking this dose</b>"
    if answer.state == "maintenance":
        return "<b>Keep taking this dose</b> until your prescriber tells you otherwise"
    if answer.state == "hold":
        return f"<b>Hold: same dose</b>{length}<br/>{HOLD_WORDS}"
    if answer.change == "switch":
        return f"<b>NEW DOSE</b>: switching to {esc(plan.crossover_to or '')}{length}"
    if answer.change == "cut":
        return f"<b>NEW DOSE</b>{length}"
    if first_row:
        return (f"<b>Starting dose</b>{length}" if answer.day == plan.start else f"<b>Your dose now</b>{length}")
    return f"Same dose, continued{length}"


def _what_to_take(course: InForce, first: date, last: date, st: Styles, width: float) -> Table:
    plan = course.plan
    times = times_used(plan)
    date_w = width * (0.36 if len(times) <= 2 else 0.27)
    dose_w = (width - date_w) / max(1, len(times))
    header = [Paragraph("Dates", st.cell_bold), *(Paragraph(TIME_LABELS[t], st.cell_bold) for t in times)]
    rows: list[list] = [header]
    style = [

        CELL_FONT,
        ("GRID", (0, 0), (-1, -1), 0.8, BLACK),
        ("BOX", (0, 0), (-1, -1), 1.5, BLACK),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEBELOW", (0, 0), (-1, 0), 1.5, BLACK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ]
    for n, (answer, end, open_ended) in enumerate(stages(course, first, last)):
        r = len(rows)
        when = f"From {day_short(answer.day)}" if open_ended else date_range(answer.day, end)
        if not answer.doses:
            rows.append([Paragraph(f"<b>From {esc(day_short(answer.day))}</b>", st.cell),
                         Paragraph("<b>No more doses. You have finished.</b>", st.cell)] + [""] * (len(times) - 1))
            style += [("SPAN", (1, r), (-1, r)), ("LINEABOVE", (0, r), (-1, r), 2, BLACK)]
            continue
        by_time = {d.time: d for d in answer.doses}
        label = _stage_label(plan, answer, end, open_ended, n == 0)
        cells = [Paragraph(f"<b>{esc(nb(when))}</b><br/>{label}", st.cell)]
        for t in times:
            d = by_time.get(t)
            if d is None:
                cells.append(Paragraph("<b>No dose</b>", st.cell))
            else:
                cells.append(Paragraph(f"<b>{esc(nb(dose_mg(d)))}</b> {esc(d.drug)}<br/>"
                                       f"{esc(nb(units_in_words(d.units)))}", st.cell))
        rows.append(cells)
        if answer.state in ("hold", "paused", "taper_ended"):
            style.append(("BACKGROUND", (0, r), (-1, r), SHADE))
        elif answer.dose_change and n:
            style.append(("LINEABOVE", (0, r), (-1, r), 2, BLACK))
    table = Table(rows, colWidths=[date_w] + [dose_w] * len(times), repeatRows=1, splitInRow=1)
    table.setStyle(TableStyle(style))
    return table


def _front(course: InForce, span: tuple[date, date] | None, patient: HandoutPatient, clinic: HandoutClinic,
           printed_on: date, st: Styles, width: float, interactions: Findings | None = None) -> list[Flowable]:
    story: list[Flowable] = [
        *_letterhead(clinic, st),
        Paragraph("Your plan for coming off your medicine", st.title),
        _details(course.plan, patient, clinic, st, width),
        Spacer(0, 10),
        _stop_box(course, printed_on, st, width),
        *patient_box(interactions, st, width),
    ]
    if span is None:
        return story
    return story + [
        Paragraph("What to take", st.h2),
        Paragraph(
            "Each row is one stage of your plan. Every day from the first date to the last date of a row,"
            " take the dose shown for each time of day. Do not change a dose without talking to your prescriber.",
            st.body,
        ),
        Spacer(0, 6),
        _what_to_take(course, span[0], span[1], st, width),
    ]


def patient_handout_pdf(
    *,
    plan: Plan,
    patient: HandoutPatient,
    clinic: HandoutClinic,
    revision: int,
    printed_on: date,
    statuses: tuple[StatusChange, ...] = (),
    allow_draft: bool = False,
    diary_weeks: int = 4,
    invariant: bool = False,
    interactions: Findings | None = None,
    advice: AdviceFacts | None = None,
) -> bytes:
    """The patient handout as PDF bytes, following the plan's status (`statuses`,
    oldest first; none means active). A draft is refused unless `allow_draft`,
    and then says DRAFT on every page. The advice page is built from what applies
    to the patient (`advice`: their support and substances; the plan's medicines
    and the clinic's numbers are filled in). Raises ExportError (one line for the user)."""
    if not plan.steps:
        raise ExportError("The plan has no steps: there is nothing to print")
    course = InForce(plan, tuple(statuses))
    draft = course.status == "draft"
    if draft and not allow_draft:
        raise ExportError("This plan is a draft: start it before printing the patient handout"
                          " (or ask for a copy marked DRAFT)")
    regular, bold = register_fonts()
    st = make_styles(regular, bold)
    size = page_size(clinic)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=size,
        leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=BOTTOM,
        title="Medicine plan" + (" (DRAFT)" if draft else ""),
        author=clinic.name,
        subject=f"Plan revision {revision}",
        creator="TaperDesk",
        lang="en-GB",
        initialFontName=regular,
        invariant=1 if invariant else 0,
    )
    width, height = doc.width - 12, doc.height - 12  # inside the frame's 6 pt padding
    span = calendar_range(course, printed_on)
    story: list[Flowable] = _front(course, span, patient, clinic, printed_on, st, width, interactions)
    if span is not None:
        story += [PageBreak(), *calendar_pages(course, span[0], span[1], st, width, height)]
        diary = diary_pages(course, printed_on, diary_weeks, st, width, height)
        if diary:
            story += [PageBreak(), *diary]
    story += [PageBreak(), *advice_page(build_advice_page(advice_facts(plan, clinic, advice)), st, width)]
    line = ("DRAFT · " if draft else "") + f"Plan revision {revision} · printed {date_plain(printed_on)}"
    rest = f" · born {date_plain(patient.born)}" + (f" · {patient.identifier}" if patient.identifier else "")
    doc.build(story, canvasmaker=_footer_canvas(regular, bold, line, patient.name, rest, draft))
    return buf.getvalue()
