"""The Plan tab: what the patient's plan is (drug, status, pace and its
source, warnings), the supervision buttons, and the calendar."""

from __future__ import annotations

import html
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QToolButton, QVBoxLayout, QWidget

from taperdesk.core.in_force import STATUS_LABELS
from taperdesk.core.interactions import Findings
from taperdesk.core.quantity import fmt_mg
from taperdesk.ui.calendar import PlanCalendar
from taperdesk.clinic.plans import PatientPlan


def plan_summary_html(info: PatientPlan | None) -> str:
    if info is None:
        return "<b>No plan yet.</b> Start one with <i>Plan → New plan</i> (Ctrl+Shift+N)."
    plan, record = info.plan, info.record
    pace = plan.pace
    drug = plan.drug + (f" → {plan.crossover_to}" if plan.crossover_to else "")
    lines = [
        f"<b>{html.escape(drug)}</b> &nbsp;·&nbsp; <b>{STATUS_LABELS.get(record.status, record.status)}</b>"
        f" &nbsp;·&nbsp; revision {info.revision.number}",
        f"{plan.method} taper, at most {fmt_mg(pace.max_cut_percent)}% every {pace.interval_days} days"
        + (f" the whole way down (fastest cut used {fmt_mg(plan.fastest_rate_percent())}%); stops from "
           f"{fmt_mg(pace.final_dose_eq_mg)} mg diazepam-equivalent a day or less"
           if pace.rules >= 2 else  # a plan made before the pace held to the end says how it was made
           f"; end phase from {fmt_mg(pace.end_phase_eq_mg)} mg diazepam-equivalent in steps of "
           f"{fmt_mg(pace.end_step_eq_mg)} mg")
        + f"; {plan.start.isoformat()} to {plan.end.isoformat()}"
        + (" (stop)" if plan.stops else f" (stays on {fmt_mg(plan.steps[-1].diazepam_eq_mg)} mg eq)"),
    ]
    if plan.warnings:
        items = "".join(f"<li>{html.escape(w)}</li>" for w in plan.warnings)
        lines.append(f"<span style='color:#7a4a00'><b>Warnings</b></span><ul style='margin:0'>{items}</ul>")
    if plan.sources:
        lines.append("<small>Sources: " + html.escape("; ".join(plan.sources)) + "</small>")
    return "<br>".join(lines)


def interactions_html(found: Findings | None) -> str:
    """The interaction block: each warning with what to do and its source, or what was
    checked when nothing matched (never a silent pass)."""
    if found is None:
        return ""
    if not found.warnings:
        return f"<b>Interactions:</b> {html.escape(found.status)}"
    items = "".join(
        f"<br>⚠ <b>{html.escape(w.pair)}</b>: {html.escape(w.risk)} <i>What to do:</i> {html.escape(w.action)} "
        f"<small>Source: {html.escape(w.cite())}</small>" for w in found.warnings)
    pairs = "; ".join(html.escape(f"{w.other} with {w.drug}") for w in found.warnings)  # all in view at once
    return f"<span style='color:#8b0000'><b>Interactions ({len(found.warnings)}): {pairs}</b></span>{items}"


class PlanTab(QWidget):
    def __init__(self, actions: list, parent=None):
        super().__init__(parent)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(self.summary.textFormat().RichText)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.interactions = QLabel(objectName="interactions")
        self.interactions.setWordWrap(True)
        self.interactions.setTextFormat(Qt.TextFormat.RichText)
        self.interactions.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # the interactions stand above the plan, in their own frame (they are about this
        # patient, not the plan's arithmetic), scrolling past about four lines
        self.interactions_area = QScrollArea(objectName="interactionsArea")
        self.interactions_area.setWidget(self.interactions)
        self.interactions_area.setWidgetResizable(True)
        self.interactions_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.interactions_area.setStyleSheet("QScrollArea#interactionsArea { border: 2px solid #8b0000; }")
        self.interactions_area.setMaximumHeight(self.interactions.fontMetrics().lineSpacing() * 3 + 10)
        # a plan with many warnings scrolls here, in at most about six lines, rather
        # than pushing the calendar's last row (today's, often) off a 768-pixel screen
        self.summary_area = QScrollArea()
        self.summary_area.setWidget(self.summary)
        self.summary_area.setWidgetResizable(True)
        self.summary_area.setFrameShape(QFrame.Shape.NoFrame)
        self.summary_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.summary_area.setMaximumHeight(self.summary.fontMetrics().lineSpacing() * 6 + 6)
        buttons = QHBoxLayout()
        for action in actions:
            button = QToolButton()
            button.setDefaultAction(action)
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.calendar = PlanCalendar()
        layout = QVBoxLayout(self)
        layout.addWidget(self.interactions_area)
        layout.addWidget(self.summary_area)
        layout.addLayout(buttons)
        layout.addWidget(self.calendar, 1)

    def show_plan(self, info: PatientPlan | None, symptom_days: set[date] = frozenset(), *,
                  go_today: bool = False, interactions: Findings | None = None) -> None:
        """Show the patient's course (plan and status history); go_today for a
        different patient, so "What to take" always opens on today."""
        found = interactions if info is not None else None
        warned = found is not None and bool(found.warnings)
        # warnings stand in their own framed block above the plan (the plan's own block
        # gives up three lines for it, so a 768-pixel screen still shows the calendar);
        # "nothing found" or "nothing recorded" is the plan block's last line
        self.interactions.setText(interactions_html(found) if warned else "")
        self.interactions_area.setVisible(warned)
        text = plan_summary_html(info)
        if found is not None and not warned:
            text += "<br>" + interactions_html(found)
        self.summary.setText(text)
        lines = 3 if warned else 6
        self.summary_area.setMaximumHeight(self.summary.fontMetrics().lineSpacing() * lines + 6)
        self.calendar.set_plan(info.course if info else None, go_today=go_today)
        self.calendar.set_symptom_days(set(symptom_days))
