"""Crossover to diazepam, one time of day at a time (Ashton; NHS Scotland's
worked example: the night dose first, then the morning), each stage lasting
the clinic's crossover days. A dose becomes the nearest diazepam the stock can
make below its equivalent, never a cut larger than the pace allows: where that
is impossible the clinician is told what to change (allow splitting, or skip
the crossover). A mixin of the planner (core.planner), whose state it moves."""

from __future__ import annotations

import math
from fractions import Fraction

from taperdesk.core.quantity import Q, fmt_mg
from taperdesk.core.regimen import PlanInputError

CROSSOVER_ORDER = ("night", "evening", "midday", "morning")


class Crossover:
    def crossover(self) -> None:
        days = self.crossover_days
        dz = self.dispensers["diazepam"].only("solid") or self.dispensers["diazepam"]
        self.sources.append(self.guidance["crossover.default_days"].cite())
        for time in CROSSOVER_ORDER:
            dose = next((d for d in self.state if d[0] == time), None)
            if dose is None or dose[1] == "diazepam":
                continue
            exact = Fraction(dose[2]) * self.factors[dose[1]]  # diazepam quantity units
            made = dz.floor(math.floor(exact))
            label = f"the {time} dose ({fmt_mg(Fraction(dose[2], Q))} mg {dose[1]} ≈ diazepam {fmt_mg(exact / Q)} mg)"
            if made == 0:
                raise PlanInputError(
                    f"{label} is below the smallest diazepam tablet dose the stock can make: allow splitting, or skip crossover"
                )
            if exact - made > exact * self.pace.max_cut:
                raise PlanInputError(
                    f"{label} cannot be made in diazepam tablets without a cut of more than the pace allows"
                    f" (the nearest is {fmt_mg(made / Q)} mg): allow splitting, or skip crossover"
                )
            if made != exact:
                self.warnings.append(
                    f"Crossover: {label} becomes diazepam {fmt_mg(made / Q)} mg, the nearest the stock can make below it."
                )
            new = tuple((t, "diazepam", made) if t == time else (t, d, q) for t, d, q in self.state)
            self.change_to(new, "crossover", days)
        self.liquid = False
