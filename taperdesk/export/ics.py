"""The plan as an iCalendar file (RFC 5545, the icalendar library): an all-day
event on the first day, on every day the doses change, on each hold's first day
and on the stop day, each saying the doses in words; and, if asked, a daily
reminder at each dose time (one repeating event per step and time of day,
until the step ends).

No clock is read: UIDs come from the plan's content and the event's date, and
every DTSTAMP is the plan's first day, so the same plan gives the same bytes.
Reminder times are floating (local wall-clock time wherever the calendar is):
"08:00" means the patient's own morning, also after travelling."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta, timezone

from icalendar import Alarm, Calendar, Event

from taperdesk.core.plan import Dose, Plan, Step
from taperdesk.core.plan_diff import format_day
from taperdesk.core.quantity import fmt_mg
from taperdesk.core.regimen import TIMES
from taperdesk.core.words import units_in_words

__all__ = ["DEFAULT_DOSE_TIMES", "plan_ics"]

PRODID = "-//TaperDesk//Taper plan//EN"
DEFAULT_DOSE_TIMES: dict[str, time] = {
    "morning": time(8, 0),
    "midday": time(13, 0),
    "evening": time(18, 0),
    "night": time(22, 0),
}
REMINDER_MINUTES = 5


def _dose_words(dose: Dose) -> str:
    return f"{fmt_mg(dose.mg)} mg {dose.drug} ({units_in_words(dose.units)})"


def _ordered(step: Step) -> list[Dose]:
    return sorted(step.doses, key=lambda d: TIMES.index(d.time))


def _doses_line(step: Step) -> str:
    """'morning 1 mg lorazepam (one 1 mg tablet); night 10 mg diazepam (one 10 mg tablet)'."""
    return "; ".join(f"{d.time} {_dose_words(d)}" for d in _ordered(step))


def _doses_text(step: Step) -> str:
    lines = [f"{d.time.capitalize()}: {_dose_words(d)}" for d in _ordered(step)]
    return "\n".join(lines)


def _mg_key(step: Step) -> tuple:
    return tuple(sorted((d.time, d.drug, d.mg) for d in step.doses))


def _units_key(step: Step) -> tuple:
    return tuple(sorted((d.time, d.drug, d.mg, d.units) for d in step.doses))


def _until(step: Step, plan: Plan) -> str:
    if step is plan.steps[-1]:
        return "From then on, stay on this dose until your prescriber says otherwise."
    return f"Until {format_day(step.end)} ({step.days} day{'s' if step.days != 1 else ''})."


def _day_events(plan: Plan) -> list[tuple[date, str, str, str]]:
    """(day, kind, summary, description) for each day the patient must notice."""
    out = []
    previous: Step | None = None
    for step in plan.steps:
        if step.kind == "stop":
            out.append((step.start, "stop", "Stop day: no more doses",
                        "The taper ends today: take no more tablets or liquid.\n"
                        "Keep your appointments and call the clinic if you feel unwell."))
        elif previous is None:
            out.append((step.start, "start", f"Taper starts: {_doses_line(step)}",
                        f"Take each day:\n{_doses_text(step)}\n{_until(step, plan)}"))
        elif step.kind == "hold":
            why = f" ({step.reason})" if step.reason else ""
            out.append((step.start, "hold", f"Hold{why}: stay on {_doses_line(step)}",
                        f"Your dose stays the same for {step.days} day{'s' if step.days != 1 else ''}"
                        f"{why}.\nTake each day:\n{_doses_text(step)}\n{_until(step, plan)}"))
        elif _mg_key(step) != _mg_key(previous):
            out.append((step.start, "new-dose", f"New dose: {_doses_line(step)}",
                        f"From today take each day:\n{_doses_text(step)}\n{_until(step, plan)}"))
        elif _units_key(step) != _units_key(previous):
            out.append((step.start, "new-tablets", f"Same dose, other tablets: {_doses_line(step)}",
                        f"The dose is the same; from today make it up as:\n{_doses_text(step)}\n"
                        f"{_until(step, plan)}"))
        previous = step
    return out


def _uid(digest: str, day: date, kind: str) -> str:
    return f"{digest}-{day.isoformat()}-{kind}@taperdesk"


def _check_times(dose_times: Mapping[str, time] | None) -> dict[str, time]:
    chosen = dict(DEFAULT_DOSE_TIMES)
    for key, value in (dose_times or {}).items():
        if key not in TIMES:
            raise ValueError(f"unknown time of day {key!r}: use one of {', '.join(TIMES)}")
        if not isinstance(value, time):
            raise ValueError(f"the {key} reminder needs a time of day, not {value!r}")
        chosen[key] = value.replace(tzinfo=None, second=0, microsecond=0)
    return chosen


def plan_ics(plan: Plan, *, patient_name: str, reminders: bool = False,
             dose_times: dict[str, time] | None = None) -> bytes:
    """The plan as .ics bytes. `dose_times` overrides DEFAULT_DOSE_TIMES per time
    of day (only used with reminders=True); ValueError for an unknown time of day."""
    times = _check_times(dose_times)
    digest = hashlib.sha256(plan.to_json().encode("utf-8")).hexdigest()[:16]
    stamp = datetime.combine(plan.start, time(0, 0), tzinfo=timezone.utc)
    name = " ".join(patient_name.split())
    title = f"Taper plan: {name}" if name else "Taper plan"

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", title)

    for day, kind, summary, description in _day_events(plan):
        event = Event()
        event.add("uid", _uid(digest, day, kind))
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("summary", summary)
        event.add("description", f"{title}.\n{description}")
        event.add("categories", ["TaperDesk", kind])
        event.add("transp", "TRANSPARENT")  # an all-day note, not a busy day
        cal.add_component(event)

    if reminders:
        for step in plan.steps:
            for dose in _ordered(step):
                at = times[dose.time]
                event = Event()
                event.add("uid", _uid(digest, step.start, f"reminder-{dose.time}"))
                event.add("dtstamp", stamp)
                event.add("dtstart", datetime.combine(step.start, at))
                event.add("duration", timedelta(minutes=REMINDER_MINUTES))
                event.add("rrule", {"freq": "daily", "until": datetime.combine(step.end, at)})
                event.add("summary", f"Take {_dose_words(dose)}")
                event.add("description", f"{title}.\nThe {dose.time} dose: {_dose_words(dose)}.\n"
                                         f"{_until(step, plan)}")
                event.add("categories", ["TaperDesk", "reminder"])
                alarm = Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("description", f"Take {_dose_words(dose)}")
                alarm.add("trigger", timedelta(0))
                event.add_component(alarm)
                cal.add_component(event)
    return cal.to_ical()


# -- calendar files that update (the course, stable UIDs, SEQUENCE, cancellations) ----------
TITLE_MAX = 79  # event titles stay under 80 characters; the details go in the description
DAY_WORDS = {"start": "Taper starts today", "cut": "New dose from today", "switch": "Medicine change today",
             "hold": "Hold: same dose for now", "stop": "Stop day: no more doses",
             "paused": "Taper paused: same dose", "taper_ended": "Taper ended: same dose continues",
             "completed": "Plan complete: no more doses"}


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TITLE_MAX else text[:TITLE_MAX - 1].rstrip() + "…"


def _day_doses(answer) -> str:
    ordered = sorted(answer.doses, key=lambda d: TIMES.index(d.time))
    return "\n".join(f"{d.time.capitalize()}: {_dose_words(d)}" for d in ordered) or "No doses."


def course_events(course, *, first: date, last: date, uid_prefix: str, reminders: bool = False,
                  dose_times: Mapping[str, time] | None = None) -> list[tuple[str, date, time | None, str, str]]:
    """(uid, day, time or None for all day, title, description) for every event of
    the calendar: an all-day note on each day something changes, and with
    `reminders` one event per dose per day. The UID is stable for (patient,
    plan, date, time of day), so a later file replaces or cancels it."""
    times = _check_times(dose_times)
    out = []
    for answer in course.days(first, last):
        if answer.change in DAY_WORDS:
            words = "\n".join(answer.change_words)
            description = f"{words}\nTake each day:\n{_day_doses(answer)}" if answer.doses else words
            out.append((f"{uid_prefix}-{answer.day.isoformat()}-day@taperdesk", answer.day, None,
                        _short(DAY_WORDS[answer.change]), description))
        if reminders and answer.in_force:
            for dose in sorted(answer.doses, key=lambda d: TIMES.index(d.time)):
                title = _short(f"Take {fmt_mg(dose.mg)} mg {dose.drug} ({dose.time})")
                out.append((f"{uid_prefix}-{answer.day.isoformat()}-{dose.time}@taperdesk", answer.day,
                            times[dose.time], title, f"The {dose.time} dose: {_dose_words(dose)}."))
    return out


def _digest(day: date, at: time | None, title: str, description: str) -> str:
    text = f"{day.isoformat()}|{at.isoformat() if at else ''}|{title}|{description}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _when(uid: str, times: dict[str, time]) -> tuple[date, time | None]:
    """The date and time of day an event's UID names (for a cancelled event)."""
    body = uid.split("@", 1)[0]
    day_text, slot = body[-10 - len(body.rsplit("-", 1)[1]) - 1:].rsplit("-", 1)
    return date.fromisoformat(day_text), (None if slot == "day" else times.get(slot, time(8, 0)))


def course_ics(events: list[tuple[str, date, time | None, str, str]],
               previous: Mapping[str, tuple[int, str, bool]], *, calendar_name: str, stamp: datetime,
               dose_times: Mapping[str, time] | None = None,
               keep_before: date | None = None) -> tuple[bytes, dict[str, tuple[int, str, bool]]]:
    """The .ics bytes and what to remember of them (UID -> SEQUENCE, digest, cancelled).

    An event the previous file had with other content gets the next SEQUENCE; an
    event it had that this plan no longer has is sent again as cancelled
    (STATUS:CANCELLED, next SEQUENCE), so importing the old file and then this
    one leaves exactly this plan's events. Events before `keep_before` (days
    this file no longer covers) are left as they were, not cancelled."""
    times = _check_times(dose_times)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", calendar_name)
    memory: dict[str, tuple[int, str, bool]] = {}

    def add(uid: str, day: date, at: time | None, title: str, description: str, sequence: int,
            cancelled: bool) -> None:
        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", stamp)
        event.add("sequence", sequence)
        if at is None:
            event.add("dtstart", day)
            event.add("dtend", day + timedelta(days=1))
            event.add("transp", "TRANSPARENT")
        else:
            event.add("dtstart", datetime.combine(day, at))
            event.add("duration", timedelta(minutes=REMINDER_MINUTES))
        event.add("summary", title)
        event.add("description", description)
        event.add("categories", ["TaperDesk"])
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        if at is not None and not cancelled:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", title)
            alarm.add("trigger", timedelta(0))
            event.add_component(alarm)
        cal.add_component(event)

    seen = set()
    for uid, day, at, title, description in events:
        digest = _digest(day, at, title, description)
        before = previous.get(uid)
        if before is None:
            sequence = 0
        elif before[1] == digest and not before[2]:
            sequence = before[0]
        else:
            sequence = before[0] + 1
        add(uid, day, at, title, description, sequence, False)
        memory[uid] = (sequence, digest, False)
        seen.add(uid)
    for uid in sorted(set(previous) - seen):
        sequence, digest, cancelled = previous[uid]
        day, at = _when(uid, times)
        if keep_before is not None and day < keep_before:
            memory[uid] = previous[uid]
            continue
        sequence = sequence if cancelled else sequence + 1
        add(uid, day, at, "Cancelled: this plan changed", "This event is no longer part of the plan.",
            sequence, True)
        memory[uid] = (sequence, digest, True)
    return cal.to_ical(), memory
