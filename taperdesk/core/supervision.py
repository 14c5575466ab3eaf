"""Supervision: the flare rule that suggests a hold, and the plain reasons a
patient needs attention today. Pure functions of a plan, symptom observations,
the clinic's thresholds and today's date; nothing here acts on its own (the
clinician decides, Joint Guideline 2025 Rec 11).

The thresholds are data (data/supervision.toml) with their sources; a clinic
may change them (its settings hold a partial dict, `FlareRule.from_dict`)."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import date, timedelta
from fractions import Fraction
from functools import cache
from importlib.resources import files

from taperdesk.core.plan import Plan

DAILY = "daily"
CIWA_B = "ciwa-b"
ACTIVE_STATUSES = ("active",)  # a paused plan is only checked for its review
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class FlareRuleError(ValueError):
    """A threshold a clinician must fix; the message names it, in one line."""


_NAMES = {
    "window_days": "The flare window (days after a cut)",
    "baseline_days": "The baseline (days before a cut)",
    "daily_rise": "The daily rating rise",
    "ciwa_band_rise": "The CIWA-B band rise",
    "review_every_days": "The review interval (days)",
    "step_change_soon_days": "The days ahead a step change is shown",
    "fall_days": "The days a recorded fall keeps the patient on the list",
}


@dataclass(frozen=True)
class FlareRule:
    window_days: int = 14
    baseline_days: int = 7
    daily_rise: float = 3.0
    ciwa_band_rise: int = 1
    review_every_days: int = 91
    step_change_soon_days: int = 7
    fall_days: int = 14

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "daily_rise":
                if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 100:
                    raise FlareRuleError(f"{_NAMES[f.name]} must be a number above 0 (at most 100), not {value!r}.")
                object.__setattr__(self, f.name, float(value))
            elif isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 3650:
                raise FlareRuleError(f"{_NAMES[f.name]} must be a whole number from 1 to 3650, not {value!r}.")

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: Mapping) -> "FlareRule":
        """A rule from a (possibly partial) dict: missing values take the defaults
        from data/supervision.toml; unknown names and bad values are refused."""
        if not isinstance(d, Mapping):
            raise FlareRuleError("The flare thresholds must be a table of named values.")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(d) - known)
        if unknown:
            raise FlareRuleError(f"Unknown flare threshold {unknown[0]!r} (known: {', '.join(sorted(known))}).")
        defaults = load_flare_rule()[0].to_dict()
        return cls(**{**defaults, **d})


def _citation(entry: dict, sources: dict) -> str:
    where = f", {entry['where']}" if entry.get("where") else ""
    return f"{entry['text']}. Source: {sources[entry['source']]}{where}."


@cache
def _load() -> tuple[FlareRule, tuple[tuple[str, str], ...]]:
    data = tomllib.loads(files("taperdesk.data").joinpath("supervision.toml").read_text(encoding="utf-8"))
    flare, sources = data["flare"], data["sources"]
    rule = FlareRule(**{name: entry["value"] for name, entry in flare.items()})
    return rule, tuple((name, _citation(entry, sources)) for name, entry in flare.items())


def load_flare_rule() -> tuple[FlareRule, dict[str, str]]:
    """The default thresholds and, for each, the sentence saying where it comes from."""
    rule, cited = _load()
    return rule, dict(cited)


@dataclass(frozen=True)
class Observation:
    day: date
    scale: str
    value: int  # the series value: ScaleDefinition.score(items)
    band_index: int | None = None  # ScaleDefinition.band_index(value)
    falls: int = 0  # falls recorded that day (the daily rating's side effect `falls`)


@dataclass(frozen=True)
class Flare:
    cut_date: date
    day: date
    scale: str
    text: str


def format_day(day: date, today: date | None = None) -> str:
    """'5 Mar'; with the year ('5 Mar 2025') when it is not within 300 days of today."""
    text = f"{day.day} {_MONTHS[day.month - 1]}"
    return text if today is not None and abs((today - day).days) < 300 else f"{text} {day.year}"


def _num(x: Fraction | float) -> str:
    text = f"{float(x):.1f}"
    return text[:-2] if text.endswith(".0") else text


def _last_cut(plan: Plan, today: date) -> date | None:
    cuts = [c for c in plan.cut_dates() if c <= today]
    return cuts[-1] if cuts else None


def _first_flare(cut: date, observations: Sequence[Observation], rule: FlareRule,
                 today: date) -> Flare | None:
    end = min(cut + timedelta(days=rule.window_days - 1), today)
    ordered = sorted(observations, key=lambda o: o.day)
    base_from = cut - timedelta(days=rule.baseline_days)
    baseline = [o.value for o in ordered if o.scale == DAILY and base_from <= o.day < cut]
    ciwa_before = [o for o in ordered if o.scale == CIWA_B and o.day < cut and o.band_index is not None]
    last_ciwa = ciwa_before[-1] if ciwa_before else None
    mean = Fraction(sum(baseline), len(baseline)) if baseline else None
    rise = Fraction(str(rule.daily_rise))
    for o in ordered:
        if not cut <= o.day <= end:
            continue
        if o.scale == DAILY and mean is not None and o.value - mean >= rise:
            return Flare(cut, o.day, DAILY, (
                f"Daily rating {o.value} on {format_day(o.day, today)}, {_num(o.value - mean)} above the "
                f"{rule.baseline_days} days before the cut on {format_day(cut, today)} (mean {_num(mean)})."))
        if (o.scale == CIWA_B and last_ciwa is not None and o.band_index is not None
                and o.band_index >= last_ciwa.band_index + rule.ciwa_band_rise):
            up = o.band_index - last_ciwa.band_index
            bands = "a band" if up == 1 else f"{up} bands"
            return Flare(cut, o.day, CIWA_B, (
                f"CIWA-B {o.value} on {format_day(o.day, today)}, {bands} higher than {last_ciwa.value} on "
                f"{format_day(last_ciwa.day, today)}, before the cut on {format_day(cut, today)}."))
    return None


def find_flare(plan: Plan, observations: Sequence[Observation], rule: FlareRule, today: date) -> Flare | None:
    """A flare after the most recent cut on or before `today`, if there is one the
    plan has not yet answered. Within `window_days` from the cut (and not after
    today), the first day on which either
      - a daily rating is at least `daily_rise` above the mean of the daily ratings
        in the `baseline_days` before the cut (at least one is needed), or
      - a CIWA-B total is `ciwa_band_rise` bands or more above the last CIWA-B
        before the cut.
    A hold starting on or after that day means it was acted on: no flare."""
    cut = _last_cut(plan, today)
    if cut is None:
        return None
    flare = _first_flare(cut, observations, rule, today)
    if flare is None or any(h.start >= flare.day for h in plan.holds()):
        return None
    return flare


def lookback(plan: Plan | None, rule: FlareRule, today: date) -> date:
    """The day from which to fetch observations for `find_flare` and `attention`
    on this plan today: far enough before the last cut to hold its daily baseline
    and the last CIWA-B before it. (A CIWA-B older than the review interval
    before the cut is not fetched: it is no fair baseline.)"""
    cut = _last_cut(plan, today) if plan is not None and plan.steps else None
    start = cut or today
    return start - timedelta(days=max(rule.baseline_days, rule.review_every_days))


def _period(days: int) -> str:
    if days % 7 == 0 and days < 60:
        return f"{days // 7} week{'s' if days > 7 else ''}"
    months = round(days / 30.4375)
    if months >= 1 and abs(months * 30.4375 - days) <= 3:
        return f"{months} month{'s' if months > 1 else ''}"
    return f"{days} days"


def _next_change(plan: Plan, rule: FlareRule, today: date) -> date | None:
    last = today + timedelta(days=rule.step_change_soon_days - 1)
    for prev, step in zip(plan.steps, plan.steps[1:]):
        if today <= step.start <= last and step.doses != prev.doses:
            return step.start
    return None


def last_fall(observations: Sequence[Observation], rule: FlareRule, today: date) -> date | None:
    """The latest day with a fall recorded within `fall_days` up to today, or None.
    A fall is a reason on its own (no threshold): falls are the harm that makes
    older adults the first to taper (Joint Guideline 2025), and one may call for
    a slower taper or a medical review."""
    first = today - timedelta(days=rule.fall_days - 1)
    days = [o.day for o in observations if o.falls > 0 and first <= o.day <= today]
    return max(days) if days else None


def fall_changes(observations: Sequence[Observation], rule: FlareRule) -> set[date]:
    """The days on which `last_fall` can change with no new entry: a fall day and the day it leaves the window."""
    out: set[date] = set()
    for o in observations:
        if o.falls > 0:
            out.update((o.day, o.day + timedelta(days=rule.fall_days)))
    return out


def attention(plan: Plan | None, status: str | None, observations: Sequence[Observation],
              last_review: date | None, rule: FlareRule, today: date) -> list[str]:
    """Why this patient needs the clinician today, in plain words (empty: nothing).
    Only a plan in progress is looked at: an active one (or one without a status)
    for flares, step changes and missing symptoms; a paused one for its review.
    `observations` should reach back to `lookback(plan, rule, today)`."""
    if plan is None or not plan.steps:
        return []
    if status is not None and status not in ACTIVE_STATUSES + ("paused",):
        return []
    reasons: list[str] = []
    active = status is None or status in ACTIVE_STATUSES
    if active:
        flare = find_flare(plan, observations, rule, today)
        if flare is not None:
            reasons.append(f"Flare after the cut on {format_day(flare.cut_date, today)}")
        change = _next_change(plan, rule, today)
        if change is not None:
            when = ("today" if change == today else "this week" if rule.step_change_soon_days == 7
                    else f"within {rule.step_change_soon_days} days")
            reasons.append(f"Step change on {format_day(change, today)} ({when})")
    fall = last_fall(observations, rule, today)
    if fall is not None:
        reasons.append(f"Fall recorded on {format_day(fall, today)}")
    if last_review is not None:
        if (today - last_review).days > rule.review_every_days:
            reasons.append(f"Review overdue (last {format_day(last_review, today)}, "
                           f"over {_period(rule.review_every_days)})")
    elif (today - plan.start).days > rule.review_every_days:
        reasons.append("Review overdue (none recorded)")
    if active:
        cut = _last_cut(plan, today)
        if cut is not None and cut < today and not any(cut <= o.day <= today for o in observations):
            reasons.append(f"No symptoms recorded since the cut on {format_day(cut, today)}")
    return reasons
