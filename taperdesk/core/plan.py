"""The plan: an immutable list of steps, each a run of days on the same doses.

`Plan.step_on(day)` is the one source of truth for "the dose on day X": the
calendar, the plot, the handouts and the checks all read it. The JSON form is
the contract with storage, export and the command line (architecture.md)."""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Iterator

from taperdesk.core.dispensing import Unit

KINDS = ("start", "crossover", "reduce", "hold", "stop")


@dataclass(frozen=True)
class Dose:
    time: str
    drug: str
    mg: float
    units: tuple[Unit, ...]

    def to_dict(self) -> dict:
        return {"time": self.time, "drug": self.drug, "mg": self.mg, "units": [u.to_dict() for u in self.units]}

    @classmethod
    def from_dict(cls, d: dict) -> "Dose":
        return cls(d["time"], d["drug"], d["mg"], tuple(Unit.from_dict(u) for u in d["units"]))


@dataclass(frozen=True)
class Step:
    index: int
    start: date
    end: date  # inclusive
    kind: str
    doses: tuple[Dose, ...]
    diazepam_eq_mg: float
    reason: str = ""  # why a hold was made

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def daily_mg(self) -> dict[str, float]:
        totals: dict[str, float] = {}
        for d in self.doses:
            totals[d.drug] = round(totals.get(d.drug, 0.0) + d.mg, 6)
        return totals

    def to_dict(self) -> dict:
        out = {
            "index": self.index,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "kind": self.kind,
            "doses": [d.to_dict() for d in self.doses],
            "daily_mg": self.daily_mg,
            "diazepam_eq_mg": self.diazepam_eq_mg,
        }
        if self.reason:
            out["reason"] = self.reason
        return out

    @classmethod
    def from_dict(cls, d: dict) -> "Step":
        return cls(
            d["index"],
            date.fromisoformat(d["start"]),
            date.fromisoformat(d["end"]),
            d["kind"],
            tuple(Dose.from_dict(x) for x in d["doses"]),
            d["diazepam_eq_mg"],
            d.get("reason", ""),
        )


@dataclass(frozen=True)
class Pace:
    """The pace cuts were planned under, from a date on (a revision may change it)."""

    since: date
    max_cut_percent: float
    interval_days: int
    end_phase_eq_mg: float
    end_step_eq_mg: float
    # issue 10 (rules 2): a pace without these was planned under the first, looser quality rules
    rules: int = 1
    final_dose_eq_mg: float | None = None
    end_band: str = "default"
    cut_order: str = "even"
    crossover_days: int | None = None
    cut_grid_mg: float | None = None  # fixed cuts in mg: doses on its multiples; one step may exceed 25%

    def to_dict(self) -> dict:
        out = {
            "since": self.since.isoformat(),
            "max_cut_percent": self.max_cut_percent,
            "interval_days": self.interval_days,
            "end_phase_eq_mg": self.end_phase_eq_mg,
            "end_step_eq_mg": self.end_step_eq_mg,
        }
        if self.rules >= 2:
            out.update(rules=self.rules, final_dose_eq_mg=self.final_dose_eq_mg, end_band=self.end_band,
                       cut_order=self.cut_order, crossover_days=self.crossover_days, cut_grid_mg=self.cut_grid_mg)
        return out

    @classmethod
    def from_dict(cls, d: dict) -> "Pace":
        return cls(
            date.fromisoformat(d["since"]),
            d["max_cut_percent"],
            d["interval_days"],
            d["end_phase_eq_mg"],
            d["end_step_eq_mg"],
            d.get("rules", 1),
            d.get("final_dose_eq_mg"),
            d.get("end_band", "default"),
            d.get("cut_order", "even"),
            d.get("crossover_days"),
            d.get("cut_grid_mg"),
        )


@dataclass(frozen=True)
class Plan:
    drug: str
    method: str
    crossover_to: str | None
    equivalence_table: str
    target_mg: float
    steps: tuple[Step, ...]
    paces: tuple[Pace, ...]
    stock: tuple[dict, ...] = ()
    warnings: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    # per drug: diazepam factor and maximum daily dose with its source (R10, R11)
    drugs: tuple[dict, ...] = ()
    high_dose_confirmed: bool = False
    _starts: tuple[date, ...] = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", tuple(s.start for s in self.steps))

    # -- the one source of truth for the dose on a day ----------------------
    @property
    def start(self) -> date:
        return self.steps[0].start

    @property
    def end(self) -> date:
        return self.steps[-1].end

    @property
    def pace(self) -> Pace:
        return self.paces[-1]

    @property
    def stops(self) -> bool:
        return self.steps[-1].kind == "stop"

    def step_on(self, day: date) -> Step | None:
        """The step in force on `day`; None before the start or after the end."""
        if not self.steps or day < self.start or day > self.end:
            return None
        return self.steps[bisect.bisect_right(self._starts, day) - 1]

    def doses_on(self, day: date) -> tuple[Dose, ...]:
        step = self.step_on(day)
        return step.doses if step else ()

    def eq_on(self, day: date) -> float | None:
        step = self.step_on(day)
        return step.diazepam_eq_mg if step else None

    def pace_on(self, day: date) -> Pace:
        current = self.paces[0]
        for p in self.paces:
            if p.since <= day:
                current = p
        return current

    def days(self) -> Iterator[tuple[date, Step]]:
        """Every day of the plan with its step (the calendar and handouts' feed)."""
        for step in self.steps:
            for i in range(step.days):
                yield step.start + timedelta(days=i), step

    def cut_dates(self) -> list[date]:
        return [s.start for prev, s in zip(self.steps, self.steps[1:]) if s.diazepam_eq_mg < prev.diazepam_eq_mg]

    def holds(self) -> list[Step]:
        return [s for s in self.steps if s.kind == "hold"]

    def fastest_rate_percent(self) -> float:
        """R12: the fastest cut actually used, as % of the dose per interval
        (the final stop excluded): what the header states."""
        return fastest_rate_percent(self.to_dict(rate=False))

    # -- JSON contract ------------------------------------------------------
    def to_dict(self, *, rate: bool = True) -> dict:
        pace = self.pace
        out = {
            "drug": self.drug,
            "method": self.method,
            "crossover_to": self.crossover_to,
            "start": self.start.isoformat(),
            "interval_days": pace.interval_days,
            "max_cut_percent": pace.max_cut_percent,
            "end_phase_eq_mg": pace.end_phase_eq_mg,
            "end_step_eq_mg": pace.end_step_eq_mg,
            "equivalence_table": self.equivalence_table,
            "target_mg": self.target_mg,
            "paces": [p.to_dict() for p in self.paces],
            "stock": list(self.stock),
            "steps": [s.to_dict() for s in self.steps],
            "warnings": list(self.warnings),
            "sources": list(self.sources),
        }
        if pace.rules >= 2:
            out.update(rules=pace.rules, final_dose_eq_mg=pace.final_dose_eq_mg, end_band=pace.end_band,
                       cut_order=pace.cut_order, crossover_days=pace.crossover_days, drugs=list(self.drugs),
                       high_dose_confirmed=self.high_dose_confirmed)
            if rate:
                out["fastest_rate_percent"] = fastest_rate_percent(out)
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_dict(cls, d: dict) -> "Plan":
        return cls(
            drug=d["drug"],
            method=d["method"],
            crossover_to=d.get("crossover_to"),
            equivalence_table=d["equivalence_table"],
            target_mg=d.get("target_mg", 0.0),
            steps=tuple(Step.from_dict(s) for s in d["steps"]),
            paces=tuple(Pace.from_dict(p) for p in d["paces"]),
            stock=tuple(d.get("stock", ())),
            warnings=tuple(d.get("warnings", ())),
            sources=tuple(d.get("sources", ())),
            drugs=tuple(d.get("drugs", ())),
            high_dose_confirmed=bool(d.get("high_dose_confirmed", False)),
        )

    @classmethod
    def from_json(cls, text: str) -> "Plan":
        return cls.from_dict(json.loads(text))


def step_days(step: dict) -> int:
    return (date.fromisoformat(step["end"]) - date.fromisoformat(step["start"])).days + 1


def pace_on(plan: dict, day: str) -> dict:
    current = plan["paces"][0]
    for pace in plan["paces"]:
        if pace["since"] <= day:
            current = pace
    return current


def cut_rates(plan: dict) -> list[tuple[int, float, float, int]]:
    """Each cut other than the final stop: (step index, fraction cut, rate per interval, days waited).
    The wait is every day at the dose before the cut (holds included)."""
    steps = plan["steps"]
    out, run = [], 0
    for i, step in enumerate(steps):
        if i and step["diazepam_eq_mg"] < steps[i - 1]["diazepam_eq_mg"] and step["kind"] != "stop":
            old, new = steps[i - 1]["diazepam_eq_mg"], step["diazepam_eq_mg"]
            interval = pace_on(plan, step["start"])["interval_days"]
            frac = (old - new) / old
            out.append((i, frac, frac / (run / interval), run))
        same = i and step["diazepam_eq_mg"] == steps[i - 1]["diazepam_eq_mg"]
        run = run + step_days(step) if same else step_days(step)
    return out


def fastest_rate_percent(plan: dict) -> float:
    return round(max((rate for _, _, rate, _ in cut_rates(plan)), default=0.0) * 100, 2)
