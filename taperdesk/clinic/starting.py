"""Starting a plan: the one question asked before a plan comes into force.

Starting is what makes the doses real (the list, "What to take" and the
handouts show them from then on), so the clinician is asked once, and the
question names what will happen first: the first day the tablets change
(a cut, or on a crossover the first switch), not only the start date."""

from __future__ import annotations

from datetime import date

from taperdesk.core.in_force import DayDoses, InForce, StatusChange
from taperdesk.core.plan import Plan


def long_day(day: date) -> str:
    """'Tuesday 15 December 2026': the weekday helps a clinician check a date."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def first_change(plan: Plan) -> DayDoses | None:
    """The first day the patient's tablets change once the plan is in force:
    day 1 when it already switches a crossover dose, else the first cut, switch or stop."""
    course = InForce(plan, (StatusChange("active", date.min),))
    day_one = course.on(plan.start)
    if day_one.change == "switch":
        return day_one
    return course.next_change(plan.start)


def start_question(plan: Plan, today: date) -> str:
    """'Start the plan? It starts on ...; the first change is on ...: <what changes>.'"""
    lines = ["Start the plan?"]
    if plan.start < today:
        lines.append(f"It was written to start on {long_day(plan.start)}, {(today - plan.start).days} days ago: "
                     "the days before today count as taken. Revise it first if the patient has not begun.")
    elif plan.start == today:
        lines.append("It starts today.")
    else:
        lines.append(f"It starts on {long_day(plan.start)}.")
    change = first_change(plan)
    if change is None:
        lines.append("The dose does not change in this plan.")
    else:
        lines.append(f"The first change is on {long_day(change.day)}: " + " ".join(change.change_words))
    return " ".join(lines)
