"""What a patient takes on day D, and why: the one answer every screen and paper uses.

A plan alone cannot answer it. The clinician's status changes decide whether
the plan's doses are in force at all: a draft is only a proposal; a paused
plan keeps the dose of the pause day and shows no later cut; a taper the
clinician ended keeps its dose going (the medicine is *not* stopped); a
completed plan has no more doses. The patient list's "Dose today", "What to
take", the calendar, the symptom plot, the handouts, the pharmacy order, the
.ics and the CSV all read `InForce.on(day)` and nothing else, so they cannot
disagree.

A day also says what changed since the day before (a cut, a crossover switch,
the start, a hold, the stop), so every surface marks the same days and says
them in the same words.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Iterable, Iterator, Sequence

from taperdesk.core.plan import Dose, Plan, Step
from taperdesk.core.quantity import fmt_mg

# Storage's status words. "stopped" is the clinician ending the *taper*: the dose
# in force continues. It is never shown as "stopped" (that reads as "medicine stopped").
STATUSES = ("draft", "active", "paused", "completed", "stopped")
STATUS_LABELS = {
    "draft": "Draft (not started)",
    "active": "Active",
    "paused": "Paused",
    "completed": "Completed",
    "stopped": "Taper ended, dose continues",
}

# Why a day has the doses it has.
STATES = (
    "draft",         # a proposal: nothing is in force, anything shown is marked draft
    "before_start",  # the plan has not started yet
    "taper",         # a step of the plan
    "hold",          # a hold step: the dose stays the same for longer
    "paused",        # the plan is paused: the dose of the pause day continues, no cuts
    "taper_ended",   # the clinician ended the taper: the dose of that day continues
    "stop_day",      # the plan's stop day: no more doses from today
    "finished",      # after the stop day: no medicine
    "maintenance",   # a plan to a target above zero has ended: its last dose continues
    "completed",     # the clinician marked the plan complete: no more doses
)
TAKING = frozenset({"taper", "hold", "paused", "taper_ended", "maintenance"})

CHANGES = ("", "start", "cut", "switch", "hold", "stop", "paused", "taper_ended", "completed")
DOSE_CHANGES = frozenset({"start", "cut", "switch", "stop"})


@dataclass(frozen=True)
class StatusChange:
    """A status the plan took on a day (the local date of the stored event)."""

    status: str
    on: date
    reason: str = ""

    @classmethod
    def at(cls, status: str, when: datetime, reason: str = "") -> "StatusChange":
        """From a stored event's time (UTC): the date it was in the clinic's time zone."""
        local = when.astimezone() if when.tzinfo else when
        return cls(status, local.date(), reason)


@dataclass(frozen=True)
class DayDoses:
    """What the patient takes on `day` and why."""

    day: date
    doses: tuple[Dose, ...]
    state: str
    status: str
    step: Step | None
    change: str = ""
    change_words: tuple[str, ...] = ()
    eq_mg: float | None = None

    @property
    def in_force(self) -> bool:
        """True when these doses are what the patient is to take (not a draft or a past plan)."""
        return self.state in TAKING

    @property
    def draft(self) -> bool:
        return self.state == "draft"

    @property
    def dose_change(self) -> bool:
        """A day the tablets change: a cut, a crossover switch, the start or the stop."""
        return self.change in DOSE_CHANGES

    def daily_mg(self) -> dict[str, float]:
        totals: dict[str, float] = {}
        for d in self.doses:
            totals[d.drug] = round(totals.get(d.drug, 0.0) + d.mg, 6)
        return totals

    def summary(self) -> str:
        """A short line for a list column: 'diazepam 10 mg', 'No dose', 'Draft: diazepam 10 mg'."""
        doses = " + ".join(f"{drug} {fmt_mg(mg)} mg" for drug, mg in self.daily_mg().items())
        if self.state == "draft":
            return f"Draft: {doses}" if doses else "Draft"
        if self.state == "before_start":
            return "Not started"
        if self.state in ("stop_day", "finished"):
            return "No dose (taper finished)"
        if self.state == "completed":
            return "No dose (plan completed)"
        return doses or "No dose"


def _by_time(doses: Iterable[Dose]) -> dict[str, Dose]:
    return {d.time: d for d in doses}


def _dose_text(dose: Dose) -> str:
    return f"{dose.drug} {fmt_mg(dose.mg)} mg"


def change_words(before: Sequence[Dose], after: Sequence[Dose], *, tablet: str = "dose") -> tuple[str, ...]:
    """Plain sentences for what changes between two days' doses, one per time of day."""
    old, new = _by_time(before), _by_time(after)
    out = []
    times = [t for t in ("morning", "midday", "evening", "night") if t in old or t in new]
    for t in times:
        a, b = old.get(t), new.get(t)
        if a is not None and b is not None and a.drug == b.drug and a.mg == b.mg:
            continue
        if a is None:
            out.append(f"Start a {t} dose today: {_dose_text(b)}.")
        elif b is None:
            out.append(f"No more {t} dose from today (it was {_dose_text(a)}).")
        elif a.drug != b.drug:
            out.append(f"Your {t} {tablet} changes from {_dose_text(a)} to {_dose_text(b)} today.")
        else:
            out.append(f"Your {t} dose changes from {fmt_mg(a.mg)} mg to {fmt_mg(b.mg)} mg {b.drug} today.")
    return tuple(out)


def _before_plan(plan: Plan) -> tuple[Dose, ...]:
    """The doses the patient took before day 1, where the plan lets us know them.

    A plain taper's first step is the patient's own regimen. A crossover's first
    step already has one time of day on the new drug; that time was on the old
    drug at the equivalent dose (the planner switches at equivalence)."""
    first = plan.steps[0]
    if first.kind != "crossover" or not plan.crossover_to:
        return first.doses
    from taperdesk.core.catalogue import load_catalogue

    try:
        catalogue = load_catalogue()
        old = catalogue.drug(plan.drug).diazepam_factor(plan.equivalence_table)
        new = catalogue.drug(plan.crossover_to).diazepam_factor(plan.equivalence_table)
    except Exception:  # a drug this catalogue does not know: no words are better than wrong ones
        return first.doses
    out = []
    for d in first.doses:
        if d.drug == plan.crossover_to:
            mg = round(float(d.mg * new / old), 4)
            out.append(Dose(d.time, plan.drug, mg, ()))
        else:
            out.append(d)
    return tuple(out)


@dataclass(frozen=True)
class InForce:
    """A plan (its newest revision) with its status history: ask it about any day."""

    plan: Plan
    statuses: tuple[StatusChange, ...]
    _status_days: tuple[date, ...] = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.statuses, key=lambda s: s.on))  # stable: same-day events keep their order
        if not ordered:
            ordered = (StatusChange("active", date.min),)
        object.__setattr__(self, "statuses", ordered)
        object.__setattr__(self, "_status_days", tuple(s.on for s in ordered))

    # -- status ---------------------------------------------------------------
    def status_change_on(self, day: date) -> StatusChange:
        i = bisect.bisect_right(self._status_days, day) - 1
        return self.statuses[max(i, 0)]

    def status_on(self, day: date) -> str:
        return self.status_change_on(day).status

    @property
    def status(self) -> str:
        return self.statuses[-1].status

    # -- the answer -------------------------------------------------------------
    def _base(self, day: date) -> tuple[str, Step | None, tuple[Dose, ...]]:
        """The plan's own answer for `day`, before status is applied."""
        plan = self.plan
        if day < plan.start:
            return "before_start", None, ()
        step = plan.step_on(day)
        if step is None:  # after the last step
            if plan.stops:
                return "finished", None, ()
            last = plan.steps[-1]
            return "maintenance", last, last.doses
        if step.kind == "stop":
            return "stop_day", step, ()
        return ("hold" if step.kind == "hold" else "taper"), step, step.doses

    def _raw(self, day: date) -> DayDoses:
        change = self.status_change_on(day)
        status = change.status
        if status == "draft":
            state, step, doses = self._base(day)
            if state == "before_start":
                return DayDoses(day, (), "before_start", status, None)
            return DayDoses(day, doses, "draft", status, step, eq_mg=step.diazepam_eq_mg if step else None)
        if status in ("paused", "stopped"):
            frozen_on = max(change.on, self.plan.start)
            state, step, doses = self._base(frozen_on)
            if state in ("finished", "stop_day"):
                return DayDoses(day, (), "finished", status, None, eq_mg=0.0)
            if day < self.plan.start:
                return DayDoses(day, (), "before_start", status, None)
            kept = "paused" if status == "paused" else "taper_ended"
            return DayDoses(day, doses, kept, status, step, eq_mg=step.diazepam_eq_mg if step else None)
        if status == "completed":
            return DayDoses(day, (), "completed", status, None, eq_mg=0.0)
        state, step, doses = self._base(day)
        eq = 0.0 if state in ("stop_day", "finished") else (step.diazepam_eq_mg if step else None)
        return DayDoses(day, doses, state, status, step, eq_mg=eq)

    def on(self, day: date) -> DayDoses:
        """What the patient takes on `day`, why, and what changed since the day before."""
        today = self._raw(day)
        yesterday = self._raw(day - timedelta(days=1)) if day > date.min else None
        return self._with_change(today, yesterday)

    def _with_change(self, today: DayDoses, yesterday: DayDoses | None) -> DayDoses:
        from dataclasses import replace

        if yesterday is None:
            return today
        if today.state != yesterday.state:
            if today.state == "paused":
                return replace(today, change="paused", change_words=("The taper is paused: keep taking the same dose.",))
            if today.state == "taper_ended":
                return replace(today, change="taper_ended",
                               change_words=("The taper has ended: keep taking the same dose.",))
            if today.state == "completed":
                return replace(today, change="completed", change_words=("The plan is complete: no more doses.",))
            if today.state == "stop_day":
                return replace(today, change="stop", change_words=("Stop today: take no more doses.",))
            if today.state in ("finished",) and yesterday.state not in ("stop_day",):
                return replace(today, change="stop", change_words=("No more doses from today.",))
        if today.step is not None and today.state in ("taper", "hold", "draft") and \
                yesterday.state in ("before_start",) and today.day == self.plan.start:
            return self._first_day(today)
        if today.state in ("taper", "hold", "draft", "maintenance") and \
                yesterday.state in ("taper", "hold", "draft", "maintenance"):
            if today.state == "hold" and (yesterday.state != "hold" or
                                          (yesterday.step is not None and yesterday.step.index != today.step.index)):
                if _by_time(today.doses) == _by_time(yesterday.doses):
                    return replace(today, change="hold",
                                   change_words=("Hold: keep taking the same dose for now.",))
            if _by_time(today.doses) != _by_time(yesterday.doses):
                switched = any(
                    (a := _by_time(yesterday.doses).get(t)) is not None and a.drug != d.drug
                    for t, d in _by_time(today.doses).items())
                kind = "switch" if switched else "cut"
                return replace(today, change=kind, change_words=change_words(yesterday.doses, today.doses))
        return today

    def _first_day(self, today: DayDoses) -> DayDoses:
        from dataclasses import replace

        plan = self.plan
        if plan.steps[0].kind == "crossover" and any(d.drug != plan.drug for d in today.doses):
            return replace(today, change="switch", change_words=change_words(_before_plan(plan), today.doses))
        return replace(today, change="start", change_words=("Start the plan today.",))

    def days(self, first: date, last: date) -> Iterator[DayDoses]:
        """Every day from `first` to `last` inclusive (a calendar page, a handout)."""
        yesterday = self._raw(first - timedelta(days=1)) if first > date.min else None
        day = first
        while day <= last:
            today = self._raw(day)
            yield self._with_change(today, yesterday)
            yesterday = today
            day += timedelta(days=1)

    # -- questions every surface asks ---------------------------------------------
    @property
    def bounded(self) -> bool:
        """False when a dose continues with no end in the plan (paused, taper ended,
        a plan to a target above zero)."""
        return self.last_day() is not None

    def last_day(self) -> date | None:
        """The last day the answer can change or a dose is taken; None if a dose
        continues indefinitely."""
        final = self.statuses[-1]
        if final.status == "completed":
            return max(final.on, self.plan.start)
        if final.status in ("paused", "stopped"):
            state = self._raw(max(final.on, self.plan.start)).state
            return max(final.on, self.plan.start) if state == "finished" else None
        if final.status == "draft" or self.plan.stops:
            return self.plan.end
        return None

    def horizon(self) -> date:
        """The last day worth showing: the plan's end, or past the latest status change."""
        return max(self.plan.end, self.statuses[-1].on)

    def next_change(self, after: date, *, dose_only: bool = True) -> DayDoses | None:
        """The first day after `after` whose doses change (or any change, with dose_only=False)."""
        last = self.horizon() + timedelta(days=1)
        if after >= last:
            return None
        if self.status_on(after) in ("paused", "stopped", "completed") and self.statuses[-1].on <= after:
            return None  # nothing is planned to change
        candidates = sorted({s.start for s in self.plan.steps if s.start > after} |
                            {self.plan.end + timedelta(days=1)} |
                            {s.on for s in self.statuses if s.on > after})
        for day in candidates:
            if day > last:
                break
            answer = self.on(day)
            if answer.change and (answer.dose_change or not dose_only):
                return answer
        return None


def in_force(plan: Plan, statuses: Iterable[StatusChange]) -> InForce:
    return InForce(plan, tuple(statuses))
