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

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from taperdesk.core.in_force import StatusChange
from taperdesk.core.interactions import Findings
from taperdesk.core.plan import Plan
from taperdesk.core.plan_diff import format_day
from taperdesk.export.fonts import register_fonts
from taperdesk.export.handout_data import HandoutClinic, HandoutPatient, page_size
from taperdesk.export.scripts import markup
from taperdesk.export.summary_course import CourseSections
from taperdesk.export.summary_look import MARGIN, esc, numbered_canvas, summary_table
from taperdesk.export.summary_plan import PlanSections

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


class _Builder(PlanSections, CourseSections):
    """The summary's sections in the order a colleague reads them."""

    def header(self) -> None:
        c, pt, plan = self.clinic, self.patient, self.plan
        clinic_lines = [x for x in (c.letterhead or c.name, c.address.replace("\n", ", "), c.phone and f"Tel. {c.phone}")
                        if x]
        if clinic_lines:
            self.story.append(self.p("<br/>".join(esc(x) for x in clinic_lines), self.s.clinic))
            self.story.append(Spacer(1, 4))
        drug = plan.drug + (f" with a crossover to {plan.crossover_to}" if plan.crossover_to else "")
        self.story.append(self.p(f"Clinician summary: {esc(drug)} taper", self.s.title))
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
        self.story.append(summary_table(rows, [0.13 * w, 0.37 * w, 0.13 * w, 0.37 * w], header=False, zebra=False))

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
    doc.build(story, canvasmaker=numbered_canvas(footer, font))
    return buffer.getvalue()

