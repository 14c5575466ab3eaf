"""The clinician summary's account of the plan as made: the doses on day 1, the
method and pace (every change of pace) with their sources, the equivalence table
used, how the taper ends, warnings and overrides (an override stands out),
interactions, and the schedule step by step."""

from __future__ import annotations

from reportlab.platypus import Spacer

from taperdesk.core.catalogue import CatalogueError, UnknownDrug, load_catalogue
from taperdesk.core.plan import Step
from taperdesk.core.plan_diff import describe_doses, format_day
from taperdesk.core.quantity import fmt_mg
from taperdesk.core.regimen import TIMES
from taperdesk.core.words import units_compact
from taperdesk.export.interaction_paper import summary_rows
from taperdesk.export.summary_look import ALERT, INK, SHADE, SummaryStory, esc, summary_table

KIND_WORDS = {"start": "Start", "crossover": "Crossover", "reduce": "Cut", "hold": "Hold", "stop": "Stop"}


class PlanSections(SummaryStory):
    def regimen(self) -> None:
        step = self.plan.steps[0]
        self.heading("Doses on day 1")
        kind = KIND_WORDS.get(step.kind, step.kind).lower()
        self.story.append(self.p(
            f"From {esc(format_day(step.start))} ({esc(kind)} step, {step.days} days): "
            f"{esc(describe_doses(step))}; {esc(fmt_mg(step.diazepam_eq_mg))} mg diazepam-equivalent a day."))
        rows = [[self.cell(h, bold=True) for h in ("Time", "Drug", "mg", "Made up as")]]
        for dose in sorted(step.doses, key=lambda d: TIMES.index(d.time)):
            rows.append([self.cell(dose.time), self.cell(dose.drug), self.cell(fmt_mg(dose.mg)),
                         self.cell(units_compact(dose.units))])
        w = self.width
        self.story.append(summary_table(rows, [0.16 * w, 0.2 * w, 0.1 * w, 0.54 * w]))

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
            self.story.append(self.p(esc(line)))
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
        self.story.append(summary_table(rows, [0.18 * w, 0.15 * w, 0.14 * w, 0.29 * w, 0.24 * w]))
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
            self.story.append(self.p(f"Table {esc(plan.equivalence_table)} (not in this copy's catalogue)."))
            return
        self.story.append(self.p(f"<b>{esc(info.title)}</b> ({esc(info.name)}): {esc(info.source)}"))
        if info.note:
            self.story.append(self.p(esc(info.note), self.s.small))
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
        self.story.append(summary_table(rows, [0.15 * w, 0.15 * w, 0.13 * w, 0.14 * w, 0.43 * w]))

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
        self.story.append(self.p(esc(text)))

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
        self.story.append(summary_table(rows, [0.14 * w, 0.86 * w], header=False, zebra=False, extra=extra))

    def interactions(self) -> None:
        found = getattr(self, "found", None)
        if found is None:
            return
        self.heading("Interactions with other medicines and alcohol")
        if not found.warnings:
            self.story.append(self.p(esc(found.status)))
            return
        w = self.width
        self.story.append(summary_table(summary_rows(found, self.cell), [0.3 * w, 0.7 * w],
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
        self.story.append(summary_table(rows, [0.05 * w, 0.12 * w, 0.12 * w, 0.06 * w, 0.12 * w, 0.41 * w, 0.12 * w],
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
