"""What the calendar shows for each day, worked out once per plan.

`expand(plan)` walks the plan's own day-by-day expansion (`Plan.days()`, the
same feed the handouts and the plot read) and keeps, for every day, the step
in force, the text of the cell and the marks that do not depend on the
viewer (start, step change, hold, stop). "Today" and "symptoms" are added
when a cell is asked for, since they change without the plan changing.
Doses are never recomputed here: the texts are read off the steps.

No Qt in this module: it is plain data and plain words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from taperdesk.core.plan import Plan, Step
from taperdesk.core.quantity import fmt_mg
from taperdesk.core.words import units_in_words

# every mark a cell may carry; painting and the legend draw them in this order
MARKS = ("start", "step_change", "hold", "stop", "symptoms", "today")


@dataclass(frozen=True)
class CellInfo:
    """What a day's cell shows: its total dose text and its marks (see MARKS)."""

    total_text: str
    marks: frozenset[str]


@dataclass(frozen=True)
class PlanDay:
    step: Step
    text: str
    marks: frozenset[str]
    number: int  # 1 on the plan's first day
    same_dose_until: date  # last day of the run of steps with exactly these doses


def total_text(step: Step) -> str:
    """'7.5 mg' of the one drug taken; '20 mg eq' (diazepam-equivalent) while
    two drugs are crossed over; '0 mg' on the stop day."""
    daily = step.daily_mg
    if step.kind == "crossover" or len(daily) > 1:
        return f"{fmt_mg(step.diazepam_eq_mg)} mg eq"
    return f"{fmt_mg(sum(daily.values()))} mg"


def expand(plan: Plan | None) -> dict[date, PlanDay]:
    if plan is None or not plan.steps:
        return {}
    cuts = set(plan.cut_dates())
    steps = plan.steps
    # the last day each step's exact doses stay the same (a hold splits a step in three)
    until: dict[int, date] = {}
    run_end = steps[-1].end
    for i in range(len(steps) - 1, -1, -1):
        if i + 1 < len(steps) and steps[i + 1].doses != steps[i].doses:
            run_end = steps[i].end
        until[i] = run_end
    texts: dict[int, str] = {}
    interned: dict[frozenset[str], frozenset[str]] = {}
    out: dict[date, PlanDay] = {}
    first = plan.start
    for number, (day, step) in enumerate(plan.days(), 1):
        text = texts.get(step.index)
        if text is None:
            text = texts[step.index] = total_text(step)
        marks = set()
        if day == first:
            marks.add("start")
        if day in cuts:
            marks.add("step_change")
        if step.kind == "hold":
            marks.add("hold")
        elif step.kind == "stop":
            marks.add("stop")
        key = frozenset(marks)
        out[day] = PlanDay(step, text, interned.setdefault(key, key), number, until[step.index])
    return out


# -- the day-detail panel, in plain words ---------------------------------

def long_date(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _drug_list(step: Step) -> str:
    parts = [f"{fmt_mg(mg)} mg {drug}" for drug, mg in step.daily_mg.items()]
    return " and ".join(parts)


def _step_line(plan: Plan, info: PlanDay) -> str:
    step = info.step
    count = f"Step {step.index + 1} of {len(plan.steps)}"
    if step.kind == "start":
        what = "starting dose"
    elif step.kind == "crossover":
        what = f"switching from {plan.drug} to {plan.crossover_to}" if plan.crossover_to else "switching medicines"
    elif step.kind == "reduce":
        what = "lower dose"
    elif step.kind == "hold":
        what = "hold, keep taking the same dose"
        if step.reason:
            what += f" (reason: {step.reason})"
    else:
        what = "stop"
    return f"{count}: {what}"


def detail_lines(
    plan: Plan | None,
    days: dict[date, PlanDay],
    day: date,
    *,
    today: date,
    symptoms: bool = False,
) -> list[str]:
    """The selected day for a patient or a clinician: what to take, when, and how."""
    lines = [long_date(day) + (" (today)" if day == today else "")]
    if plan is None:
        lines.append("No active plan")
    else:
        info = days.get(day)
        if info is None:
            lines.append(
                f"Not in the plan. The plan runs from {long_date(plan.start)} to {long_date(plan.end)}."
            )
        else:
            step = info.step
            lines.append(f"Day {info.number} of {len(days)}. " + _step_line(plan, info) + ".")
            if step.kind == "stop":
                lines.append("No doses: the taper has stopped.")
            else:
                if "step_change" in info.marks:
                    lines.append("The dose goes down today.")
                for d in step.doses:
                    lines.append(f"{d.time.capitalize()}: {fmt_mg(d.mg)} mg {d.drug} — {units_in_words(d.units)}")
                total = f"Total for the day: {_drug_list(step)}"
                if len(step.daily_mg) > 1 or step.kind == "crossover":
                    total += f" ({fmt_mg(step.diazepam_eq_mg)} mg diazepam-equivalent)"
                lines.append(total + ".")
                if info.same_dose_until > day:
                    lines.append(f"Same doses every day until {long_date(info.same_dose_until)}.")
                elif info.same_dose_until < plan.end:
                    after = days.get(info.same_dose_until + timedelta(days=1))
                    if after is not None and after.step.kind == "stop":
                        lines.append("Tomorrow the taper stops: no more doses after today.")
                    else:
                        lines.append("The doses change tomorrow.")
    if symptoms:
        lines.append("Symptoms were written down on this day.")
    return lines
