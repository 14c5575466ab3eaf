"""What the calendar shows for each day, read off the patient's course.

`expand(course)` walks `InForce.days()` (taperdesk.core.in_force, the one
answer to "what does this patient take on day D, and why") and keeps, for
every day, that answer, the text of the cell and the marks that do not
depend on the viewer (start, dose change, hold, stop, dose continuing,
draft). The plan's own steps are never read here: a paused plan shows no
later cut, a taper the clinician ended keeps its dose going, a completed
plan shows no dose, and a draft is shown as a draft. "Today" and "symptoms"
are added when a cell is asked for, since they change without the plan.

A paused or ended course has no last day: the days after the last one that
can change are made on demand, all alike, so a calendar can be paged years
ahead without expanding them.

No Qt in this module: it is plain data and plain words."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterator

from taperdesk.core.in_force import STATUS_LABELS, DayDoses, InForce, StatusChange
from taperdesk.core.plan import Plan, Step
from taperdesk.core.quantity import fmt_mg
from taperdesk.core.words import units_in_words

# every mark a cell may carry; painting and the legend draw them in this order
MARKS = ("start", "step_change", "hold", "continues", "stop", "draft", "symptoms", "today")

# states whose day has a cell in the calendar (nothing is shown before the start,
# after the taper finished or once the plan is complete)
SHOWN = frozenset({"draft", "taper", "hold", "paused", "taper_ended", "stop_day", "maintenance"})


@dataclass(frozen=True)
class CellInfo:
    """What a day's cell shows: its total dose text and its marks (see MARKS)."""

    total_text: str
    marks: frozenset[str]


@dataclass(frozen=True)
class PlanDay:
    answer: DayDoses
    text: str
    marks: frozenset[str]
    number: int  # 1 on the plan's first day

    @property
    def step(self) -> Step | None:
        return self.answer.step


def as_course(plan: Plan | InForce | None) -> InForce | None:
    """A bare plan (the wizard, tests of the drawing) is read as active from its start."""
    if plan is None or isinstance(plan, InForce):
        return plan
    return InForce(plan, (StatusChange("active", date.min),))


def total_text(answer: DayDoses) -> str:
    """'7.5 mg' of the one drug taken; '20 mg eq' (diazepam-equivalent) on the
    days two drugs are taken while switching; '0 mg' on the stop day."""
    daily = answer.daily_mg()
    if answer.state == "stop_day" or not daily:
        return "0 mg"
    step = answer.step
    if len(daily) > 1:
        eq = answer.eq_mg if answer.eq_mg is not None else (step.diazepam_eq_mg if step else 0.0)
        return f"{fmt_mg(eq)} mg eq"
    return f"{fmt_mg(sum(daily.values()))} mg"


def _marks(answer: DayDoses, first: date) -> frozenset[str]:
    marks = set()
    if answer.change == "start" or (answer.day == first and answer.change not in ("switch", "cut")
                                    and answer.state in ("taper", "hold", "draft")):
        marks.add("start")
    if answer.change in ("cut", "switch"):
        marks.add("step_change")
    if answer.state == "hold" or (answer.state == "draft" and answer.step is not None and answer.step.kind == "hold"):
        marks.add("hold")
    if answer.state == "stop_day" or (answer.state == "draft" and answer.step is not None and answer.step.kind == "stop"):
        marks |= {"stop", "step_change"}  # the last step down: to nothing
    if answer.state in ("paused", "taper_ended"):
        marks.add("continues")
    if answer.state == "draft":
        marks.add("draft")
    return frozenset(marks)


class CourseDays(Mapping):
    """day -> PlanDay for every day the calendar shows a dose (see SHOWN)."""

    def __init__(self, course: InForce | None):
        self.course = course
        self._days: dict[date, PlanDay] = {}
        self._steady: PlanDay | None = None
        self._steady_from: date | None = None
        if course is None or not course.plan.steps:
            self.course = None
            return
        plan = course.plan
        self.first = plan.start
        self.last_planned = course.horizon()
        texts: dict[tuple, str] = {}
        interned: dict[frozenset[str], frozenset[str]] = {}
        for answer in course.days(plan.start, self.last_planned + timedelta(days=1)):
            if answer.state not in SHOWN:
                continue
            key = (answer.state, answer.doses, answer.step.kind if answer.step else "")
            text = texts.get(key)
            if text is None:
                text = texts[key] = total_text(answer)
            marks = _marks(answer, plan.start)
            self._days[answer.day] = PlanDay(answer, text, interned.setdefault(marks, marks),
                                             (answer.day - plan.start).days + 1)
        # a dose that continues (paused, taper ended, a plan to a target above zero,
        # or such a draft): every later day is alike
        after = self.last_planned + timedelta(days=2)
        steady = course.on(after)
        if steady.state in SHOWN:
            self._steady_from = after
            self._steady = PlanDay(steady, total_text(steady), _marks(steady, plan.start), 0)

    # -- Mapping ----------------------------------------------------------------
    def __getitem__(self, day: date) -> PlanDay:
        found = self._days.get(day)
        if found is not None:
            return found
        if self._steady is not None and day >= self._steady_from:
            s = self._steady
            answer = DayDoses(day, s.answer.doses, s.answer.state, s.answer.status, s.answer.step,
                              eq_mg=s.answer.eq_mg)
            return PlanDay(answer, s.text, s.marks, (day - self.first).days + 1)
        raise KeyError(day)

    def __contains__(self, day) -> bool:
        return day in self._days or (self._steady is not None and day >= self._steady_from)

    def get(self, day, default=None):
        try:
            return self[day]
        except KeyError:
            return default

    def __iter__(self) -> Iterator[date]:
        return iter(self._days)  # the planned days (a continuing dose has no end)

    def __len__(self) -> int:
        return len(self._days)

    @property
    def bounded(self) -> bool:
        return self._steady is None


def expand(plan: Plan | InForce | None) -> CourseDays:
    return CourseDays(as_course(plan))


# -- the day-detail panel, in plain words ---------------------------------

def long_date(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def day_heading(day: date, today: date) -> str:
    """'Today, Monday 30 November 2026' or 'Monday 5 October 2026 (not today)'."""
    return f"Today, {long_date(day)}" if day == today else f"{long_date(day)} (not today)"


def _drug_list(daily: dict[str, float]) -> str:
    return " and ".join(f"{fmt_mg(mg)} mg {drug}" for drug, mg in daily.items())


def _step_line(plan: Plan, info: PlanDay) -> str:
    step, answer = info.step, info.answer
    count = f"Step {step.index + 1} of {len(plan.steps)}"
    if answer.change == "switch" or (step.kind == "crossover" and answer.day == plan.start):
        what = f"switching from {plan.drug} to {plan.crossover_to}" if plan.crossover_to else "switching medicines"
    elif step.kind == "start":
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


def _status_line(course: InForce, answer: DayDoses) -> str:
    since = course.status_change_on(answer.day)
    when = long_date(since.on)
    if answer.state == "paused":
        return (f"The plan is paused (since {when}): keep taking the same dose. "
                "No dose changes while it is paused.")
    if answer.state == "taper_ended":
        return (f"{STATUS_LABELS['stopped']} (since {when}): keep taking this dose. "
                "It is not lowered any more.")
    if answer.state == "draft":
        return "Draft (not started): nothing here is to be taken until the plan is started."
    return ""


def detail_lines(
    plan: Plan | InForce | None,
    days: CourseDays,
    day: date,
    *,
    today: date,
    symptoms: bool = False,
) -> list[str]:
    """The selected day for a patient or a clinician: what to take, when, and how.
    The first line says which day it is and whether it is today."""
    course = as_course(plan)
    lines = [day_heading(day, today)]
    if course is None:
        lines.append("No active plan")
    else:
        plan = course.plan
        info = days.get(day)
        if info is None:
            answer = course.on(day)
            if answer.state == "completed":
                lines.append(f"The plan is complete (since {long_date(course.status_change_on(day).on)}): "
                             "no more doses.")
            elif answer.state == "finished":
                lines.append("No doses: the taper has finished.")
            elif answer.state == "before_start" and answer.status == "draft":
                lines.append(f"Draft (not started). The draft would start on {long_date(plan.start)}.")
            else:
                lines.append(
                    f"Not in the plan. The plan runs from {long_date(plan.start)} to {long_date(plan.end)}."
                )
        else:
            answer, step = info.answer, info.step
            status = _status_line(course, answer)
            if status:
                lines.append(status)
            count = f"Day {info.number}" + (f" of {len(days)}" if days.bounded else "")
            if step is not None and answer.state not in ("paused", "taper_ended"):
                lines.append(f"{count}. " + _step_line(plan, info) + ".")
            else:
                lines.append(f"{count}.")
            if answer.state == "stop_day" or (answer.state == "draft" and step is not None and step.kind == "stop"):
                lines.append("No doses: the taper has stopped.")
            else:
                lines.extend(answer.change_words if answer.change in ("cut", "switch") else ())
                for d in answer.doses:
                    lines.append(f"{d.time.capitalize()}: {fmt_mg(d.mg)} mg {d.drug} — {units_in_words(d.units)}")
                daily = answer.daily_mg()
                total = f"Total for the day: {_drug_list(daily)}"
                if len(daily) > 1:
                    total += f" ({fmt_mg(answer.eq_mg or 0)} mg diazepam-equivalent)"
                lines.append(total + ".")
                lines.extend(_until(course, days, answer))
    if symptoms:
        lines.append("Symptoms were written down on this day.")
    return lines


def _until(course: InForce, days: CourseDays, answer: DayDoses) -> list[str]:
    """How long these doses last, from the course's next change."""
    nxt = course.next_change(answer.day)
    if nxt is None:
        if answer.state in ("paused", "taper_ended", "maintenance"):
            return ["Same doses every day from now on."]
        return []
    if nxt.day == answer.day + timedelta(days=1):
        if nxt.state in ("stop_day", "finished"):
            return ["Tomorrow the taper stops: no more doses after today."]
        return ["The doses change tomorrow."]
    return [f"Same doses every day until {long_date(nxt.day - timedelta(days=1))}."]
