"""How a taper is to be built: method, pace, crossover, stock, target.

Settings are plain data (they are stored with every plan revision); the
planner resolves the defaults that depend on the method and the guidance."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace
from datetime import date

from taperdesk.core.dispensing import DrugStock
from taperdesk.core.regimen import TIMES, PlanInputError

METHODS = ("proportional", "fixed", "stepwise")
END_BANDS = ("default", "nice")
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)
MAX_INTERVAL_DAYS = 91  # 13 weeks: the guideline's 2-4 weeks with room for a slow taper
MAX_CROSSOVER_DAYS = 56


def parse_cut_order(text: str) -> tuple[str, ...]:
    """"even" -> (); "morning,night" -> ("morning", "night"). Refuses unknown or repeated times."""
    text = (text or "even").strip().lower()
    if text == "even":
        return ()
    times = tuple(t.strip() for t in text.split(",") if t.strip())
    for t in times:
        if t not in TIMES:
            raise PlanInputError(f"cut order {text!r}: unknown time of day {t!r}; write even, or times such as morning,night")
    if len(set(times)) != len(times):
        raise PlanInputError(f"cut order {text!r}: name each time of day once")
    if not times:
        raise PlanInputError("cut order: write even, or times such as morning,night")
    return times


@dataclass(frozen=True)
class PlanSettings:
    start: date
    method: str = "proportional"
    interval_days: int = 14
    cut_percent: float | None = None  # proportional: of the current dose; fixed: of the starting dose
    cut_mg: float | None = None  # fixed: mg of the tapered drug per cut
    max_cut_percent: float | None = None  # the pace cap per interval; None: from the method
    target_mg: float = 0.0  # mg a day of the tapered drug to end on (0: stop)
    crossover: bool = False
    crossover_days: int | None = None  # None: the guidance default
    keep_longest: str = "night"  # the dose time cut last
    table: str = "ashton"
    end_step_eq_mg: float | None = None  # None: the smallest amount the stock can take off
    end_phase_eq_mg: float | None = None  # None: guidance multiple of the end step
    allow_fast: bool = False  # the clinician's explicit override of the pace limit
    stock: tuple[DrugStock, ...] = field(default=())
    # issue 10: how the cuts fall across the day and how the taper ends
    cut_order: str = "even"  # "even": doses stay equal; "morning,night": cut morning to zero first
    final_dose_eq_mg: float | None = None  # stop from at or below this (None: 0.5 mg, or the smallest makeable)
    end_band: str = "default"  # "nice": NICE CKS 0.5-1 mg cuts below 5 mg, one interval apart
    confirm_high_dose: bool = False  # the clinician confirmed a dose above the catalogue maximum

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, float) and not math.isfinite(value):
                raise PlanInputError(f"{f.name.replace('_', ' ')} must be a finite number (got {value})")
        if not isinstance(self.start, date) or not FIRST_DAY <= self.start <= LAST_DAY:
            raise PlanInputError(f"the start date must be between {FIRST_DAY} and {LAST_DAY} (got {self.start})")
        if isinstance(self.interval_days, int) and self.interval_days > MAX_INTERVAL_DAYS:
            raise PlanInputError(f"the interval must be {MAX_INTERVAL_DAYS} days or fewer (got {self.interval_days})")
        if isinstance(self.crossover_days, int) and self.crossover_days > MAX_CROSSOVER_DAYS:
            raise PlanInputError(f"crossover stages must last {MAX_CROSSOVER_DAYS} days or fewer (got {self.crossover_days})")
        parse_cut_order(self.cut_order)
        if self.end_band not in END_BANDS:
            raise PlanInputError(f"unknown end band {self.end_band!r}: use default or nice")
        if self.final_dose_eq_mg is not None and not 0 < self.final_dose_eq_mg <= 10:
            raise PlanInputError(f"the final dose must be more than 0 and at most 10 mg diazepam-equivalent (got {self.final_dose_eq_mg})")
        if self.method not in METHODS:
            raise PlanInputError(f"unknown method {self.method!r}: use proportional, fixed or stepwise")
        if not isinstance(self.interval_days, int) or self.interval_days < 1:
            raise PlanInputError(f"the interval must be a whole number of days, 1 or more (got {self.interval_days})")
        if self.crossover_days is not None and (not isinstance(self.crossover_days, int) or self.crossover_days < 1):
            raise PlanInputError(f"crossover stages must last 1 day or more (got {self.crossover_days})")
        for name in ("cut_percent", "max_cut_percent"):
            value = getattr(self, name)
            if value is not None and not 0 < value < 100:
                raise PlanInputError(f"{name.replace('_', ' ')} must be more than 0 and less than 100 (got {value})")
        if self.cut_mg is not None and not self.cut_mg > 0:
            raise PlanInputError(f"the cut must be more than 0 mg (got {self.cut_mg})")
        if self.method == "fixed" and self.cut_mg is not None and self.cut_percent is not None:
            raise PlanInputError("a fixed taper takes a cut in mg or a cut in percent of the starting dose, not both: leave one out")
        if self.method != "fixed" and self.cut_mg is not None:
            raise PlanInputError("a cut in mg belongs to the fixed method: use --method fixed")
        if self.method == "stepwise" and self.cut_percent is not None:
            raise PlanInputError("the stepwise method sets its own cuts: leave out the cut percent")
        if not self.target_mg >= 0:
            raise PlanInputError(f"the target must be 0 (stop) or more (got {self.target_mg})")
        if self.keep_longest not in TIMES:
            raise PlanInputError(f"unknown time of day {self.keep_longest!r}: use one of {', '.join(TIMES)}")
        for name in ("end_step_eq_mg", "end_phase_eq_mg"):
            value = getattr(self, name)
            if value is not None and not value > 0:
                raise PlanInputError(f"{name.replace('_', ' ').replace(' eq mg', '')} must be more than 0 mg")

    def stock_for(self, drug: str) -> DrugStock:
        for s in self.stock:
            if s.drug == drug:
                return s
        return DrugStock(drug)

    def with_(self, **changes) -> "PlanSettings":
        return replace(self, **changes)

    def to_dict(self) -> dict:
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "start":
                value = value.isoformat()
            elif f.name == "stock":
                value = [s.to_dict() for s in value]
            out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, d: dict) -> "PlanSettings":
        known = {f.name for f in fields(cls)}
        unknown = set(d) - known
        if unknown:
            raise PlanInputError(f"unknown plan settings: {', '.join(sorted(unknown))}")
        args = dict(d)
        args["start"] = date.fromisoformat(d["start"])
        args["stock"] = tuple(DrugStock.from_dict(s) for s in d.get("stock", ()))
        return cls(**args)
