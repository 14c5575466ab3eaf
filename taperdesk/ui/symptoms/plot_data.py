"""The symptom plot's numbers, worked out without drawing anything.

The dose curve is read off the patient's course (taperdesk.core.in_force), not
the plan's steps: a paused plan draws its dose flat from the pause with no
later cut, a taper the clinician ended draws its dose continuing, a completed
plan drops to nothing on the day it was completed, and a draft draws nothing
(nothing is in force). Every day the doses change (a cut, a crossover switch,
the stop) gets a ▼, as on the calendar.

Days are whole calendar days: day D is drawn from midnight to midnight in UTC
seconds (the date axis is told utcOffset=0, so the labels are calendar dates in
every time zone), and a score for day D sits at D's noon."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from taperdesk.core.in_force import InForce, StatusChange
from taperdesk.core.plan import Plan
from taperdesk.core.plan_diff import format_day
from taperdesk.core.quantity import fmt_mg

DAY_SECONDS = 86400
_EPOCH = date(1970, 1, 1).toordinal()
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
AHEAD_DAYS = 56  # the default view runs to eight weeks past today
DRAWN = frozenset({"taper", "hold", "paused", "taper_ended", "maintenance", "stop_day", "finished", "completed"})


def day_x(day: date) -> float:
    """The x (epoch seconds) where `day` begins: its midnight, UTC."""
    return float((day.toordinal() - _EPOCH) * DAY_SECONDS)


def x_day(x: float) -> date:
    """The day whose span [midnight, next midnight) holds x."""
    return date.fromordinal(math.floor(x / DAY_SECONDS) + _EPOCH)


def long_day(day: date) -> str:
    return f"{_WEEKDAYS[day.weekday()]} {format_day(day)}"


def as_course(plan: Plan | InForce | None) -> InForce | None:
    """A bare plan (the wizard's review, benches) is read as active from its start."""
    if plan is None or isinstance(plan, InForce):
        return plan if plan is None or plan.plan.steps else None
    return InForce(plan, (StatusChange("active", date.min),)) if plan.steps else None


@dataclass(frozen=True)
class DoseCurve:
    """The step curve (x[i] to x[i+1] at y[i]; the last y repeats to give the last
    run its width), the ▼ at the top corner of every dose change, and the holds."""

    x: tuple[float, ...]
    y: tuple[float, ...]
    changes: tuple[tuple[date, float], ...]  # (day, the dose before it)
    holds: tuple[tuple[date, date, str], ...]  # (first day, last day, reason)


def dose_curve(course: InForce | None, *, until: date) -> DoseCurve:
    """The curve from the plan's start to `until` (or the course's last day, whichever is later)."""
    if course is None:
        return DoseCurve((), (), (), ())
    plan = course.plan
    # the answer only changes on a step's first day, a status change or the day
    # after the end: ask the course on those days only (a 15-year plan has ~150)
    settled = course.horizon() + timedelta(days=2)
    days = sorted({plan.start, plan.end + timedelta(days=1), settled}
                  | {s.start for s in plan.steps} | {s.on for s in course.statuses if s.on > plan.start})
    days = [d for d in days if plan.start <= d <= settled]
    xs: list[float] = []
    ys: list[float] = []
    changes: list[tuple[date, float]] = []
    holds: list[tuple[date, date, str]] = []
    previous = None
    end = None
    continuing = False
    for i, day in enumerate(days):
        answer = course.on(day)
        last_day = days[i + 1] - timedelta(days=1) if i + 1 < len(days) else day
        continuing = False
        if answer.state not in DRAWN:
            previous = None
            continue
        eq = answer.eq_mg if answer.eq_mg is not None else 0.0
        if answer.state == "finished" and previous == 0.0:
            break  # the stop day already drew the drop to nothing
        if previous is not None and answer.change in ("cut", "switch", "stop"):
            changes.append((answer.day, previous))
        if previous is None or eq != previous:
            xs.append(day_x(answer.day))
            ys.append(eq)
        if answer.state == "hold" and answer.step is not None:
            if not holds or holds[-1][1] != answer.day - timedelta(days=1):
                holds.append((answer.day, last_day, answer.step.reason))
            else:
                holds[-1] = (holds[-1][0], last_day, holds[-1][2])
        previous = eq
        end = last_day
        if answer.state in ("finished", "completed"):
            end = answer.day
            break  # nothing more to draw: the curve ends on the day the doses ended
        continuing = answer.in_force
    if continuing and end is not None and until > end:
        end = until
    if xs:
        xs.append(day_x(end) + DAY_SECONDS)
        ys.append(ys[-1])
    return DoseCurve(tuple(xs), tuple(ys), tuple(changes), tuple(holds))


def home_days(course: InForce | None, score_days: list[date], today: date) -> tuple[date, date]:
    """The default view: from the plan's start (or the first score) to eight weeks past today."""
    firsts = ([course.plan.start] if course is not None else []) + score_days[:1]
    first = min(firsts) if firsts else today - timedelta(days=30)
    last = today + timedelta(days=AHEAD_DAYS)
    return first, max(last, first + timedelta(days=14))


def dose_words(course: InForce | None, day: date) -> str:
    """The hover's dose line: what the course says the patient takes that day."""
    if course is None:
        return "Dose: no plan"
    answer = course.on(day)
    if answer.state == "before_start":
        return "Dose: none (before the plan starts)"
    if answer.state == "draft":
        return "Dose: none in force (draft plan)"
    if answer.state in ("finished", "stop_day"):
        return f"Dose: {fmt_mg(0)} mg diazepam-eq/day, stopped"
    if answer.state == "completed":
        return "Dose: none (plan completed)"
    text = f"Dose: {fmt_mg(answer.eq_mg or 0)} mg diazepam-eq/day"
    totals = answer.daily_mg()
    if totals and set(totals) != {"diazepam"}:
        text += " (" + " + ".join(f"{drug} {fmt_mg(mg)} mg" for drug, mg in totals.items()) + ")"
    if answer.state == "hold":
        reason = answer.step.reason if answer.step else ""
        text += f"\nHold: {reason}" if reason else "\nHold"
    elif answer.state == "paused":
        text += "\nPaused: the same dose continues"
    elif answer.state == "taper_ended":
        text += "\nTaper ended: the same dose continues"
    return text
