"""The clinician summary's account of what has happened since: the status now and
every change with its reason, each revision with its author, reason and what it
changed, the holds and why, the chart of dose and symptom scores, and the table
of symptom entries."""

from __future__ import annotations

from datetime import date, datetime

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer

from taperdesk.core.in_force import STATUS_LABELS, InForce
from taperdesk.core.plan_diff import describe_doses, format_day
from taperdesk.core.quantity import fmt_mg
from taperdesk.export.summary_chart import Series, symptom_chart
from taperdesk.export.summary_look import SummaryStory, esc, summary_table


def _when(moment: datetime) -> str:
    return f"{format_day(moment.date())} {moment:%H:%M}"


class CourseSections(SummaryStory):
    def revision_history(self) -> None:
        self.heading("Revisions")
        if not self.revisions:
            self.story.append(self.p("No revisions were given."))
            return
        for rev in self.revisions:
            block = [self.p(f"<b>Revision {rev.number}</b> — {esc(_when(rev.when))}, by {esc(rev.author)}. "
                            f"Reason: {esc(rev.reason or 'none given')}")]
            block += [Paragraph(esc(c), self.s.bullet, bulletText="•") for c in rev.changes]
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
        self.story.append(summary_table(rows, [0.14 * w, 0.14 * w, 0.07 * w, 0.35 * w, 0.30 * w]))

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
                                        self.p(esc(note), self.s.small)]))

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
        self.story.append(summary_table(rows, [0.12 * w, 0.18 * w, 0.07 * w, 0.08 * w, 0.06 * w, 0.12 * w, 0.15 * w,
                                        0.22 * w]))

    def status(self) -> None:
        """The plan's status now and every change with its date and reason."""
        statuses = getattr(self, "statuses", ())
        course = InForce(self.plan, tuple(statuses))
        self.heading("Status")
        today = course.on(self.printed_on)
        self.story.append(self.p(
            f"<b>{esc(STATUS_LABELS.get(course.status, course.status))}</b> on {esc(format_day(self.printed_on))}:"
            f" {esc(today.summary())}."))
        if statuses:
            rows = [[self.cell(h, bold=True) for h in ("From", "Status", "Reason")]]
            for change in statuses:
                rows.append([self.cell(format_day(change.on) if change.on.year > 1 else "—"),
                             self.cell(STATUS_LABELS.get(change.status, change.status)), self.cell(change.reason)])
            w = self.width
            self.story.append(summary_table(rows, [0.22 * w, 0.28 * w, 0.5 * w]))
