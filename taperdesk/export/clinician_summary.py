"""The clinician summary: the taper's whole story on a few pages a colleague can
pick up cold. Patient and prescriber; the doses on day 1; method, pace (with
every change of pace) and their sources; the equivalence table used; the end
phase; warnings and overrides (a pace override stands out); the schedule step by
step; every revision with its author, reason and what it changed; the holds and
why; a chart of dose and symptom scores; the table of symptom entries.

ReportLab platypus in DejaVu Sans (any name prints). The footer on every page
carries the patient, plan revision, printed date and "page x of y" (a canvas
that counts its pages before it draws footers). With invariant=True the same
input gives the same bytes."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from taperdesk.core.catalogue import CatalogueError, UnknownDrug, load_catalogue
from taperdesk.core.in_force import STATUS_LABELS, InForce, StatusChange
from taperdesk.core.interactions import Findings
from taperdesk.core.plan import Plan, Step
from taperdesk.core.plan_diff import describe_doses, format_day
from taperdesk.core.quantity import fmt_mg
from taperdesk.core.regimen import TIMES
from taperdesk.core.words import units_compact
from taperdesk.export.fonts import CELL_FONT, register_fonts
from taperdesk.export.interaction_paper import summary_rows
from taperdesk.export.scripts import draw_runs, markup
from taperdesk.export.handout_data import HandoutClinic, HandoutPatient, page_size
from taperdesk.export.summary_chart import Series, symptom_chart

__all__ = ["EntryNote", "RevisionNote", "clinician_summary_pdf"]


@dataclass(frozen=True)
class RevisionNote:
    """One revision as the summary prints it; `changes` are plan_diff's sentences."""

    number: int
    when: datetime
    author: str
    reason: str
    changes: tuple[str, ...]


@dataclass(frozen=True)
class EntryNote:
    """One current symptom entry: its series value `score` on a scale whose value
    runs from `low` to `high`, the band it falls in ("" if none)."""

    day: date
    scale: str
    score: int
    low: int
    high: int
    band: str
    author: str
    note: str


KIND_WORDS = {"start": "Start", "crossover": "Crossover", "reduce": "Cut", "hold": "Hold", "stop": "Stop"}
MARGIN = 15 * mm
INK = colors.black
RULE = colors.Color(0.55, 0.55, 0.55)
SHADE = colors.Color(0.92, 0.92, 0.92)
ALERT = colors.Color(1.0, 0.93, 0.80)


def _t(text: object) -> str:
    """Text safe inside a Paragraph's markup."""
    return escape(str(text))


def _when(moment: datetime) -> str:
    return f"{format_day(moment.date())} {moment:%H:%M}"


class _Styles:
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


def _table(rows: list[list], widths: Sequence[float], *, header: bool = True, zebra: bool = True,
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


class _Builder:
    def __init__(self, plan: Plan, patient: HandoutPatient, clinic: HandoutClinic,
                 revisions: Sequence[RevisionNote], entries: Sequence[EntryNote], printed_on: date,
                 font: str, bold: str, width: float) -> None:
        self.plan, self.patient, self.clinic = plan, patient, clinic
        self.revisions = sorted(revisions, key=lambda r: r.number)
        self.entries = sorted(entries, key=lambda e: (e.day, e.scale))
        self.printed_on = printed_on
        self.font, self.bold = font, bold
        self.s = _Styles(font, bold)
        self.width = width
        self.story: list = []

    def p(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(text, style or self.s.body)

    def cell(self, text: object, bold: bool = False) -> Paragraph:
        return Paragraph(_t(text), self.s.cell_bold if bold else self.s.cell)

    def heading(self, text: str) -> None:
        self.story.append(CondPageBreak(40 * mm))
        self.story.append(self.p(_t(text), self.s.h2))

    def bullets(self, lines: Sequence[str]) -> None:
        for line in lines:
            self.story.append(Paragraph(_t(line), self.s.bullet, bulletText="•"))

    # -- sections -------------------------------------------------------
    def header(self) -> None:
        c, pt, plan = self.clinic, self.patient, self.plan
        clinic_lines = [x for x in (c.letterhead or c.name, c.address.replace("\n", ", "), c.phone and f"Tel. {c.phone}")
                        if x]
        if clinic_lines:
            self.story.append(self.p("<br/>".join(_t(x) for x in clinic_lines), self.s.clinic))
            self.story.append(Spacer(1, 4))
        drug = plan.drug + (f" with a crossover to {plan.crossover_to}" if plan.crossover_to else "")
        self.story.append(self.p(f"Clinician summary: {_t(drug)} taper", self.s.title))
        latest = self.revisions[-1].number if self.revisions else None
        facts = [
            ("Patient", pt.name),
            ("Born", format_day(pt.born) if pt.born else ""),
            ("Identifier", pt.identifier),
            ("Prescriber", c.prescriber or "not named in the clinic settings"),
            ("Plan", f"{format_day(plan.start)} to {format_day(plan.end)} "
                     f"({(plan.end - plan.start).days + 1} days)"
                     + (f", revision {latest}" if latest is not None else "")),
            ("Printed", format_day(self.printed_on)),
        ]
        half = (len(facts) + 1) // 2
        rows = []
        for i in range(half):
            row = []
            for label, value in (facts[i], facts[i + half] if i + half < len(facts) else ("", "")):
                shown = Paragraph(markup(value, self.s.cell.fontName), self.s.cell) if label == "Patient" \
                    else self.cell(value)
                row += [self.cell(label, bold=True), shown]
            rows.append(row)
        w = self.width
        self.story.append(_table(rows, [0.13 * w, 0.37 * w, 0.13 * w, 0.37 * w], header=False, zebra=False))

    def regimen(self) -> None:
        step = self.plan.steps[0]
        self.heading("Doses on day 1")
        kind = KIND_WORDS.get(step.kind, step.kind).lower()
        self.story.append(self.p(
            f"From {_t(format_day(step.start))} ({_t(kind)} step, {step.days} days): "
            f"{_t(describe_doses(step))}; {_t(fmt_mg(step.diazepam_eq_mg))} mg diazepam-equivalent a day."))
        rows = [[self.cell(h, bold=True) for h in ("Time", "Drug", "mg", "Made up as")]]
        for dose in sorted(step.doses, key=lambda d: TIMES.index(d.time)):
            rows.append([self.cell(dose.time), self.cell(dose.drug), self.cell(fmt_mg(dose.mg)),
                         self.cell(units_compact(dose.units))])
        w = self.width
        self.story.append(_table(rows, [0.16 * w, 0.2 * w, 0.1 * w, 0.54 * w]))

    def method(self) -> None:
        plan = self.plan
        self.heading("Method and pace")
        target = ("taper to zero (stop)" if not plan.target_mg
                  else f"taper to {fmt_mg(plan.target_mg)} mg {plan.crossover_to or plan.drug} a day and stay there")
        lines = [f"Method: {plan.method}; {target}."]
        if plan.crossover_to:
            lines.append(f"Crossover from {plan.drug} to {plan.crossover_to} before the cuts.")
        cuts = plan.cut_dates()
        lines.append(f"{len(cuts)} dose reductions" + (f", the first on {format_day(cuts[0])}" if cuts else "")
                     + (f"; stops on {format_day(plan.end)}." if plan.stops else
                        f"; from {format_day(plan.steps[-1].start)} stays on {describe_doses(plan.steps[-1])}."))
        for line in lines:
            self.story.append(self.p(_t(line)))
        rows = [[self.cell(h, bold=True) for h in ("From", "Largest cut", "Every", "How it ends",
                                                     "Cut order")]]
        for pace in plan.paces:
            if pace.rules >= 2:  # the pace holds the whole way down; the stop comes from a small dose
                ends = f"stop from {fmt_mg(pace.final_dose_eq_mg)} mg diazepam-eq/day or less" + (
                    " (NICE CKS last band)" if pace.end_band == "nice" else "")
                order = "even doses" if pace.cut_order in ("", "even") else pace.cut_order.replace(",", " first, then ")
            else:  # made before the pace held to the end: say how it was made
                ends = (f"end phase at or below {fmt_mg(pace.end_phase_eq_mg)} mg diazepam-eq/day, cuts of at most "
                        f"{fmt_mg(pace.end_step_eq_mg)} mg there")
                order = "even doses"
            rows.append([self.cell(format_day(pace.since)), self.cell(f"{fmt_mg(pace.max_cut_percent)}%"),
                         self.cell(f"{pace.interval_days} days"), self.cell(ends), self.cell(order)])
        w = self.width
        self.story.append(_table(rows, [0.18 * w, 0.15 * w, 0.14 * w, 0.29 * w, 0.24 * w]))
        if plan.sources:
            self.story.append(Spacer(1, 4))
            self.story.append(self.p("Sources:", self.s.alert))
            self.bullets(plan.sources)

    def equivalence(self) -> None:
        plan = self.plan
        self.heading("Equivalence table used")
        try:
            catalogue = load_catalogue()
            info = catalogue.table(plan.equivalence_table)
        except CatalogueError:
            self.story.append(self.p(f"Table {_t(plan.equivalence_table)} (not in this copy's catalogue)."))
            return
        self.story.append(self.p(f"<b>{_t(info.title)}</b> ({_t(info.name)}): {_t(info.source)}"))
        if info.note:
            self.story.append(self.p(_t(info.note), self.s.small))
        names = list(dict.fromkeys(n for n in (plan.drug, plan.crossover_to, "diazepam") if n))
        rows = [[self.cell(h, bold=True) for h in ("Drug", "≈ diazepam 10 mg", "Used (midpoint)",
                                                     "1 mg = diazepam mg", "Source")]]
        for name in names:
            try:
                eq = catalogue.drug(name).equivalence(info.name)
            except (CatalogueError, UnknownDrug):
                rows.append([self.cell(name), self.cell("no value in this table"), self.cell(""), self.cell(""),
                             self.cell("")])
                continue
            factor = 10 / float(eq.mid_mg)
            rows.append([self.cell(name), self.cell(eq.range_text()), self.cell(f"{fmt_mg(float(eq.mid_mg))} mg"),
                         self.cell(fmt_mg(factor, 3)), self.cell(eq.source)])
        w = self.width
        self.story.append(_table(rows, [0.15 * w, 0.15 * w, 0.13 * w, 0.14 * w, 0.43 * w]))

    def end_phase(self) -> None:
        plan, pace = self.plan, self.plan.pace
        self.heading("The end of the taper")
        if pace.rules >= 2:
            text = (f"The pace holds the whole way down (fastest cut used {fmt_mg(plan.fastest_rate_percent())}% per "
                    f"{pace.interval_days} days); the stop comes from {fmt_mg(pace.final_dose_eq_mg)} mg "
                    f"diazepam-equivalent a day or less, at least one interval after the last cut.")
        else:
            first = next((s for s in plan.steps if s.kind != "stop" and s.diazepam_eq_mg <= pace.end_phase_eq_mg
                          and s.doses), None)
            text = (f"Made under the earlier rules: the end phase begins at or below "
                    f"{fmt_mg(pace.end_phase_eq_mg)} mg diazepam-equivalent a day; there each cut is at most "
                    f"{fmt_mg(pace.end_step_eq_mg)} mg diazepam-equivalent, one per interval.")
            if first is not None:
                text += f" This plan enters it on {format_day(first.start)} at {fmt_mg(first.diazepam_eq_mg)} mg."
            else:
                text += " This plan does not reach it."
        if plan.stops:
            last_dose = plan.steps[-2] if len(plan.steps) > 1 else None
            if last_dose is not None:
                text += (f" Last dose: {describe_doses(last_dose)} until {format_day(last_dose.end)};"
                         f" no dose from {format_day(plan.end)}.")
        self.story.append(self.p(_t(text)))

    def warnings(self) -> None:
        self.heading("Warnings and overrides")
        if not self.plan.warnings:
            self.story.append(self.p("None: the plan keeps to the guideline pace and the clinic's stock."))
            return
        rows, extra = [], []
        for i, warning in enumerate(self.plan.warnings):
            override = "OVERRIDE" in warning.upper()
            label = "OVERRIDE" if override else "Warning"
            rows.append([self.cell(label, bold=True), self.cell(warning, bold=override)])
            if override:
                extra += [("BACKGROUND", (0, i), (-1, i), ALERT), ("BOX", (0, i), (-1, i), 1.6, INK)]
        w = self.width
        self.story.append(_table(rows, [0.14 * w, 0.86 * w], header=False, zebra=False, extra=extra))

    def interactions(self) -> None:
        found = getattr(self, "found", None)
        if found is None:
            return
        self.heading("Interactions with other medicines and alcohol")
        if not found.warnings:
            self.story.append(self.p(_t(found.status)))
            return
        w = self.width
        self.story.append(_table(summary_rows(found, self.cell), [0.3 * w, 0.7 * w],
                                 extra=[("BACKGROUND", (0, 1), (0, -1), ALERT)]))

    def schedule(self) -> None:
        self.heading("Schedule, step by step")
        head = ("#", "From", "To", "Days", "Step", "Doses (made up as)", "Dz-eq mg/day")
        rows = [[self.cell(h, bold=True) for h in head]]
        extra = []
        previous = None
        for n, step in enumerate(self.plan.steps, 1):
            rows.append([self.cell(step.index), self.cell(step.start.isoformat()), self.cell(step.end.isoformat()),
                         self.cell(step.days), self.cell(self._kind(step, previous), bold=step.kind in ("hold", "stop")),
                         self.cell(self._doses(step)), self.cell(fmt_mg(step.diazepam_eq_mg))])
            if step.kind == "hold":
                extra.append(("BACKGROUND", (0, n), (-1, n), SHADE))
            previous = step
        w = self.width
        self.story.append(_table(rows, [0.05 * w, 0.12 * w, 0.12 * w, 0.06 * w, 0.12 * w, 0.41 * w, 0.12 * w],
                                 extra=extra))

    @staticmethod
    def _kind(step: Step, previous: Step | None) -> str:
        if step.kind == "reduce" and previous is not None and step.diazepam_eq_mg >= previous.diazepam_eq_mg:
            return "Continue"  # a step laid after a hold: the same dose goes on
        return KIND_WORDS.get(step.kind, step.kind)

    @staticmethod
    def _doses(step: Step) -> str:
        if not step.doses:
            return "no dose"
        return "; ".join(f"{d.time} {fmt_mg(d.mg)} mg {d.drug} ({units_compact(d.units)})"
                         for d in sorted(step.doses, key=lambda d: TIMES.index(d.time)))

    def revision_history(self) -> None:
        self.heading("Revisions")
        if not self.revisions:
            self.story.append(self.p("No revisions were given."))
            return
        for rev in self.revisions:
            block = [self.p(f"<b>Revision {rev.number}</b> — {_t(_when(rev.when))}, by {_t(rev.author)}. "
                            f"Reason: {_t(rev.reason or 'none given')}")]
            block += [Paragraph(_t(c), self.s.bullet, bulletText="•") for c in rev.changes]
            block.append(Spacer(1, 3))
            self.story.append(KeepTogether(block))

    def holds(self) -> None:
        self.heading("Holds")
        holds = self.plan.holds()
        if not holds:
            self.story.append(self.p("No holds in this plan."))
            return
        rows = [[self.cell(h, bold=True) for h in ("From", "To", "Days", "Dose held", "Reason")]]
        for hold in holds:
            rows.append([self.cell(format_day(hold.start)), self.cell(format_day(hold.end)), self.cell(hold.days),
                         self.cell(f"{describe_doses(hold)}; {fmt_mg(hold.diazepam_eq_mg)} mg dz-eq"),
                         self.cell(hold.reason or "no reason recorded")])
        w = self.width
        self.story.append(_table(rows, [0.14 * w, 0.14 * w, 0.07 * w, 0.35 * w, 0.30 * w]))

    def chart(self) -> None:
        by_scale: dict[str, list[tuple[date, float]]] = {}
        for e in self.entries:
            span = e.high - e.low
            pct = 100.0 * (e.score - e.low) / span if span > 0 else 0.0
            by_scale.setdefault(e.scale, []).append((e.day, pct))
        series = [Series(name, tuple(points)) for name, points in by_scale.items()]
        drawing = symptom_chart(self.plan, series, width=self.width, height=92 * mm, font=self.font,
                                bold=self.bold, today=self.printed_on)
        note = ("Scores are plotted as a percentage of each scale's range (lowest possible score 0%, highest "
                "100%), so scales of different lengths share the right axis; the table of entries gives the raw "
                "scores. The dashed line is the printed date.")
        self.story.append(KeepTogether([self.p("Dose and symptoms", self.s.h2), drawing,
                                        self.p(_t(note), self.s.small)]))

    def entry_table(self) -> None:
        if not self.entries:  # two short lines: no page of their own (no CondPageBreak)
            self.story.append(KeepTogether([self.p("Symptom entries", self.s.h2),
                                            self.p("No symptom entries recorded for this period.")]))
            return
        self.heading("Symptom entries")
        head = ("Date", "Scale", "Score", "Range", "%", "Band", "Entered by", "Note")
        rows = [[self.cell(h, bold=True) for h in head]]
        for e in self.entries:
            span = e.high - e.low
            pct = round(100 * (e.score - e.low) / span) if span > 0 else 0
            rows.append([self.cell(e.day.isoformat()), self.cell(e.scale), self.cell(e.score),
                         self.cell(f"{e.low}–{e.high}"), self.cell(pct), self.cell(e.band),
                         self.cell(e.author), self.cell(e.note)])
        w = self.width
        self.story.append(_table(rows, [0.12 * w, 0.18 * w, 0.07 * w, 0.08 * w, 0.06 * w, 0.12 * w, 0.15 * w,
                                        0.22 * w]))

    def status(self) -> None:
        """The plan's status now and every change with its date and reason."""
        statuses = getattr(self, "statuses", ())
        course = InForce(self.plan, tuple(statuses))
        self.heading("Status")
        today = course.on(self.printed_on)
        self.story.append(self.p(
            f"<b>{_t(STATUS_LABELS.get(course.status, course.status))}</b> on {_t(format_day(self.printed_on))}:"
            f" {_t(today.summary())}."))
        if statuses:
            rows = [[self.cell(h, bold=True) for h in ("From", "Status", "Reason")]]
            for change in statuses:
                rows.append([self.cell(format_day(change.on) if change.on.year > 1 else "—"),
                             self.cell(STATUS_LABELS.get(change.status, change.status)), self.cell(change.reason)])
            w = self.width
            self.story.append(_table(rows, [0.22 * w, 0.28 * w, 0.5 * w]))

    def build(self) -> list:
        self.header()
        self.status()
        self.regimen()
        self.method()
        self.equivalence()
        self.end_phase()
        self.warnings()
        self.interactions()
        self.revision_history()
        self.holds()
        self.chart()
        self.schedule()
        self.entry_table()
        return self.story


def _numbered_canvas(footer_left: str, font: str):
    """A canvas class that holds each page until the end, then draws 'page x of y'."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            width, _ = self._pagesize
            self.saveState()
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(MARGIN, MARGIN - 4 * mm, width - MARGIN, MARGIN - 4 * mm)
            self.setFont(font, 8)
            self.setFillColor(INK)
            draw_runs(self, MARGIN, MARGIN - 8 * mm, footer_left, font, 8)
            self.drawRightString(width - MARGIN, MARGIN - 8 * mm, f"Page {self._pageNumber} of {total}")
            self.restoreState()

    return NumberedCanvas


def clinician_summary_pdf(*, plan: Plan, patient: HandoutPatient, clinic: HandoutClinic,
                          revisions: list[RevisionNote], entries: list[EntryNote], printed_on: date,
                          statuses: Sequence[StatusChange] = (), invariant: bool = False,
                          interactions: Findings | None = None) -> bytes:
    """The summary as PDF bytes (ExportError if the font is missing or the paper unknown).
    `statuses` is the plan's status history, oldest first (printed with its reasons);
    `interactions` what the patient's other medicines were checked to (None: not printed)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from taperdesk.export.patient_handout import fit_who

    font, bold = register_fonts()
    size = page_size(clinic)
    buffer = io.BytesIO()
    latest = max((r.number for r in revisions), default=None)
    rest = (f" ({patient.identifier})" + (f" · plan revision {latest}" if latest is not None else "")
            + f" · printed {format_day(printed_on)}")
    room = size[0] - 2 * MARGIN - stringWidth("Page 9999 of 9999", font, 8) - 12
    footer = fit_who(f"Clinician summary · {patient.name}", rest, font, 8, room)
    doc = SimpleDocTemplate(
        buffer, pagesize=size, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN + 4 * mm, title="Clinician summary",
        author=clinic.name or "TaperDesk", subject=f"{plan.drug} taper from {plan.start.isoformat()}",
        creator="TaperDesk", lang="en-GB", invariant=1 if invariant else 0, initialFontName=font,
    )
    builder = _Builder(plan, patient, clinic, revisions, entries, printed_on, font, bold, doc.width)
    builder.statuses = tuple(statuses)
    builder.found = interactions
    story = builder.build()
    doc.build(story, canvasmaker=_numbered_canvas(footer, font))
    return buffer.getvalue()

