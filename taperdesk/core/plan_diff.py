"""What changed between two revisions of a plan, in plain sentences for the
History tab: pace, method and target, holds, the first day the doses differ,
the end date and the number of cuts. Pure Python (no Qt), reads only the Plan."""

from __future__ import annotations

from datetime import date, timedelta

from taperdesk.core.plan import Plan, Step
from taperdesk.core.quantity import fmt_mg
from taperdesk.core.regimen import TIMES

__all__ = ["diff_plans", "first_plan_summary", "format_day", "describe_doses"]

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_AT = {"morning": "in the morning", "midday": "at midday", "evening": "in the evening", "night": "at night"}

Hold = tuple[date, int, str]  # (first day, days, reason)


def format_day(day: date) -> str:
    """'10 Feb 2026': the same in every locale (no strftime)."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def describe_doses(step: Step | None) -> str:
    """'8 mg diazepam a day at night'; '2 mg lorazepam a day (morning 1 mg, night 1 mg)'."""
    if step is None:
        return "nothing (outside the plan)"
    if not step.doses:
        return "no dose (stopped)"
    totals = step.daily_mg
    doses = sorted(step.doses, key=lambda d: TIMES.index(d.time))
    total = " and ".join(f"{fmt_mg(mg)} mg {drug}" for drug, mg in totals.items())
    if len(doses) == 1:
        return f"{total} a day {_AT[doses[0].time]}"
    if len(totals) == 1:
        parts = [f"{d.time} {fmt_mg(d.mg)} mg" for d in doses]
    else:
        parts = [f"{d.time} {fmt_mg(d.mg)} mg {d.drug}" for d in doses]
    return f"{total} a day ({', '.join(parts)})"


def _target(plan: Plan) -> str:
    if not plan.target_mg:
        return "stopping"
    return f"staying on {fmt_mg(plan.target_mg)} mg {plan.crossover_to or plan.drug} a day"


def _pace_text(max_cut: float, interval: int) -> str:
    return f"{fmt_mg(max_cut)}% every {_days(interval)}"


def _approach(old: Plan, new: Plan) -> list[str]:
    out = []
    if old.drug != new.drug:
        out.append(f"Drug changed from {old.drug} to {new.drug}.")
    if old.method != new.method:
        out.append(f"Method changed from {old.method} to {new.method}.")
    if old.crossover_to != new.crossover_to:
        if new.crossover_to is None:
            out.append(f"Crossover to {old.crossover_to} removed.")
        else:
            out.append(f"Crossover to {new.crossover_to} added.")
    if old.target_mg != new.target_mg:
        out.append(f"Target changed from {_target(old)} to {_target(new)}.")
    if old.equivalence_table != new.equivalence_table:
        out.append(f"Equivalence table changed from {old.equivalence_table} to {new.equivalence_table}.")
    return out


def _pace(old: Plan, new: Plan) -> list[str]:
    a, b = old.pace, new.pace
    since = f" from {format_day(b.since)}" if b.since > new.start else ""
    out = []
    if (a.max_cut_percent, a.interval_days) != (b.max_cut_percent, b.interval_days):
        out.append(f"Pace{since}: cuts of at most {_pace_text(b.max_cut_percent, b.interval_days)}"
                   f" (was {_pace_text(a.max_cut_percent, a.interval_days)}).")
    if b.rules >= 2:
        if (a.final_dose_eq_mg, a.end_band, a.cut_order) != (b.final_dose_eq_mg, b.end_band, b.cut_order):
            out.append(f"End{since}: stops from {fmt_mg(b.final_dose_eq_mg)} mg diazepam-equivalent a day or less"
                       f"{', NICE CKS end band' if b.end_band == 'nice' else ''}, cut order {b.cut_order}"
                       + (f" (was {fmt_mg(a.final_dose_eq_mg)} mg{', NICE CKS end band' if a.end_band == 'nice' else ''},"
                          f" cut order {a.cut_order})." if a.rules >= 2 else "."))
    elif (a.end_phase_eq_mg, a.end_step_eq_mg) != (b.end_phase_eq_mg, b.end_step_eq_mg):
        out.append(f"End phase{since}: begins at {fmt_mg(b.end_phase_eq_mg)} mg diazepam-equivalent a day,"
                   f" cuts of at most {fmt_mg(b.end_step_eq_mg)} mg there (was {fmt_mg(a.end_phase_eq_mg)} mg,"
                   f" cuts of at most {fmt_mg(a.end_step_eq_mg)} mg).")
    return out


def _holds_of(plan: Plan) -> list[Hold]:
    return [(s.start, s.days, s.reason) for s in plan.holds()]


def _hold_text(hold: Hold) -> str:
    start, days, reason = hold
    return f"from {format_day(start)} for {_days(days)}" + (f" ({reason})" if reason else "")


def _later_match(items: list[Hold], hold: Hold) -> Hold | None:
    """The same hold (length and reason) at another date: the nearest one on or
    after its old date (holds laid earlier push later ones on), else the latest."""
    same = sorted(n for n in items if n[1:] == hold[1:])
    if not same:
        return None
    return next((n for n in same if n[0] >= hold[0]), same[-1])


def _prefix_summing_to(pieces: list[Hold], days: int) -> list[Hold] | None:
    total = 0
    for i, piece in enumerate(pieces):
        total += piece[1]
        if total == days:
            return pieces[: i + 1] if i else None
        if total > days:
            return None
    return None


def _split_pieces(hold: Hold, news: list[Hold]) -> tuple[list[Hold], Hold | None] | None:
    """The pieces of `hold` when a hold was laid inside it, and that new hold if
    it has the same reason (it is then one of the middle pieces); None if not split."""
    later = sorted(n for n in news if n[2] == hold[2] and n[0] >= hold[0])
    if later[:1] and later[0][0] != hold[0]:
        return None
    kept = _prefix_summing_to(later, hold[1])
    if kept is not None:
        return kept, None
    for i in range(1, len(later) - 1):
        rest = later[:i] + later[i + 1:]
        kept = _prefix_summing_to(rest, hold[1])
        if kept is not None and len(kept) > i:
            return kept, later[i]
    return None


def _holds(old: Plan, new: Plan) -> list[str]:
    """Holds added, removed, moved (pushed on by an earlier new hold), or split in
    two by a hold laid inside them."""
    olds, news = _holds_of(old), _holds_of(new)
    for h in list(olds):
        if h in news:
            olds.remove(h)
            news.remove(h)
    added: list[Hold] = []
    moved: list[str] = []
    for h in list(olds):
        pieces = _split_pieces(h, news)
        if pieces is None:
            continue
        kept, inside = pieces
        olds.remove(h)
        for n in kept + ([inside] if inside else []):
            news.remove(n)
        if inside:
            added.append(inside)
        end = kept[-1][0] + timedelta(days=kept[-1][1] - 1)
        moved.append(f"Hold {_hold_text(h)} is split by a new hold; it now ends on {format_day(end)}.")
    for h in list(olds):
        other = _later_match(news, h)
        if other is not None:
            olds.remove(h)
            news.remove(other)
            moved.append(f"Hold {_hold_text(h)} moved to {format_day(other[0])}.")
    out = [f"Hold added {_hold_text(h)}." for h in sorted(added + news)]
    out += [f"Hold {_hold_text(h)} removed." for h in olds]
    return out + moved


def _changed_day(old: Plan, new: Plan, key) -> date | None:
    first = min(old.start, new.start)
    last = max(old.end, new.end)
    day = first
    while day <= last:
        a, b = old.step_on(day), new.step_on(day)
        if key(a) != key(b):
            return day
        # jump to the next day either plan changes step
        ends = [s.end for s in (a, b) if s is not None]
        nxt = min(ends) + timedelta(days=1) if ends else day + timedelta(days=1)
        day = max(nxt, day + timedelta(days=1))
    return None


def _mg_key(step: Step | None):
    return None if step is None else tuple(sorted((d.time, d.drug, d.mg) for d in step.doses))


def _units_key(step: Step | None):
    return None if step is None else tuple(sorted((d.time, d.drug, d.mg, d.units) for d in step.doses))


def _doses(old: Plan, new: Plan) -> list[str]:
    day = _changed_day(old, new, _mg_key)
    if day is not None:
        return [f"Doses first differ on {format_day(day)}: {describe_doses(old.step_on(day))} before this"
                f" revision, {describe_doses(new.step_on(day))} now."]
    day = _changed_day(old, new, _units_key)
    if day is not None:
        return [f"Same doses, made up from other tablets or liquid from {format_day(day)}."]
    return []


def _end(old: Plan, new: Plan) -> list[str]:
    if old.end == new.end:
        return []
    what = "Stop date" if old.stops and new.stops else "End date"
    shift = (new.end - old.end).days
    direction = "later" if shift > 0 else "earlier"
    return [f"{what} moved from {format_day(old.end)} to {format_day(new.end)}"
            f" ({_days(abs(shift))} {direction})."]


def _cuts(old: Plan, new: Plan) -> list[str]:
    a, b = len(old.cut_dates()), len(new.cut_dates())
    return [f"{b} cut{'s' if b != 1 else ''} instead of {a}."] if a != b else []


def diff_plans(old: Plan, new: Plan) -> list[str]:
    """Plain sentences saying what `new` changes in `old`; [] when the schedule,
    pace and approach are the same."""
    return [*_approach(old, new), *_pace(old, new), *_holds(old, new), *_doses(old, new),
            *_end(old, new), *_cuts(old, new)]


def first_plan_summary(plan: Plan) -> list[str]:
    """What a first revision sets out, as the History tab shows for revision 1."""
    pace = plan.pace
    crossover = f" with a crossover to {plan.crossover_to}" if plan.crossover_to else ""
    out = [
        f"First plan: {plan.drug}{crossover}, {plan.method} method, cuts of at most"
        f" {_pace_text(pace.max_cut_percent, pace.interval_days)}.",
        f"Starts on {format_day(plan.start)} with {describe_doses(plan.steps[0])}.",
    ]
    cuts = len(plan.cut_dates())
    length = _days((plan.end - plan.start).days + 1)
    if plan.stops:
        out.append(f"{cuts} cut{'s' if cuts != 1 else ''}; stops on {format_day(plan.end)} ({length}).")
    else:
        out.append(f"{cuts} cut{'s' if cuts != 1 else ''}; from {format_day(plan.end)} stays on"
                   f" {describe_doses(plan.steps[-1])} ({length}).")
    out += [f"Hold {_hold_text(h)}." for h in _holds_of(plan)]
    return out
