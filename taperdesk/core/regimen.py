"""The patient's current regimen: one drug, mg at each time of day."""

from __future__ import annotations

from dataclasses import dataclass

TIMES = ("morning", "midday", "evening", "night")


class PlanInputError(ValueError):
    """Input a clinician must fix; the message says what and how, in one line."""


@dataclass(frozen=True)
class Regimen:
    drug: str
    doses: tuple[tuple[str, float], ...]  # (time of day, mg), in TIMES order

    def __post_init__(self) -> None:
        seen = set()
        for time, mg in self.doses:
            if time not in TIMES:
                raise PlanInputError(
                    f"unknown time of day {time!r}: use one of {', '.join(TIMES)}"
                )
            if time in seen:
                raise PlanInputError(f"the {time} dose is given twice: give each time of day once")
            seen.add(time)
            if not mg > 0:
                raise PlanInputError(
                    f"the {time} dose must be more than 0 mg (got {mg}); leave out times with no dose"
                )
        if not self.doses:
            raise PlanInputError("the regimen has no doses: give at least one, e.g. night=10")
        ordered = tuple(sorted(self.doses, key=lambda d: TIMES.index(d[0])))
        object.__setattr__(self, "doses", ordered)

    @property
    def daily_mg(self) -> float:
        return sum(mg for _, mg in self.doses)
