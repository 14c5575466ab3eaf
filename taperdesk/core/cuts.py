"""The next cut: the dose the method aims at (proportional, fixed, or the
stepwise bands), kept within what the pace allows, and the best set of doses
the stock can make there (core.configs.Chooser: equal at each time of day or
the clinician's cut order, whole tablets, few pieces). Where the stock makes
none in range, the smallest cut it can make, which the planner then waits
longer for. A mixin of the planner (core.planner)."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import TYPE_CHECKING

from taperdesk.core.quantity import Q, fmt_mg
from taperdesk.core.regimen import TIMES

if TYPE_CHECKING:
    from taperdesk.core.planner import State

NICE_BAND_BELOW_EQ = 5  # NICE CKS last band: below 5 mg diazepam, cut 0.5-1 mg
NICE_BAND_CUT_EQ = 1


class Cuts:
    def desired(self, eq: Fraction, start_eq: Fraction) -> Fraction:
        s, pace = self.settings, self.pace
        if s.method == "proportional":
            return eq * (1 - pace.cut_percent / 100)
        if s.method == "fixed":
            if s.cut_mg is not None:
                return eq - Fraction(str(s.cut_mg)) * self.factors[self.tapered]
            return eq - start_eq * pace.cut_percent / 100
        band = self.guidance.band_for(eq)
        return max(eq - band.cut_eq_mg, band.above_eq_mg) if eq > band.above_eq_mg else eq - band.cut_eq_mg

    def next_state(self, eq: Fraction, start_eq: Fraction) -> tuple[State, bool] | None:
        """The next doses: the best set the pace allows (configs.Chooser);
        where the stock makes none, the smallest cut it can, waited for."""
        factor = self.factors[self.tapered]
        if self.settings.end_band == "nice" and eq <= NICE_BAND_BELOW_EQ:
            lo = max(eq - NICE_BAND_CUT_EQ, self.target_eq, self.final_eq)
        else:
            pace_floor = eq * (1 - self.pace.max_cut)
            aim = self.desired(eq, start_eq)
            if aim < pace_floor and not self.capped:
                self.capped = True
                rate = f"{fmt_mg(self.pace.max_cut * 100)}% of the dose per {self.pace.interval_days} days"
                if self.grid_mg:
                    self.warnings.append(
                        f"Slower near the end: from {fmt_mg(eq)} mg diazepam-equivalent a day the fixed"
                        f" {fmt_mg(self.grid_mg)} mg cut is more than {rate}, so the plan waits longer before"
                        " each of those cuts to keep the pace."
                    )
                else:
                    self.warnings.append(
                        f"Capped: the {self.settings.method} cut from {fmt_mg(eq)} mg diazepam-equivalent a day would"
                        f" take more than {rate}; from there each cut is at most that."
                    )
            lo = max(aim, pace_floor, self.target_eq)
        lo_q = math.ceil(lo / factor * Q)
        floor_q = math.ceil(self.target_eq / factor * Q)
        old = {t: q for t, _, q in self.state}
        kinds = ["liquid"] if self.liquid else ["solid", "liquid"]
        kinds = [k for k in kinds if k in self.choosers]
        chosen = kind = None
        heavy = None  # a set in range whose doses need more than 4 pieces: used if nothing simpler exists
        for k in kinds:
            chooser = self.choosers[k]
            best = chooser.best(old, lo_q)
            if best is not None and chooser.too_many_pieces(best) and heavy is None:
                heavy = (k, best)
            if best is not None and not chooser.too_many_pieces(best):
                chosen, kind = best, k
                if lo_q > floor_q and not (self.settings.end_band == "nice" and eq <= NICE_BAND_BELOW_EQ):
                    cap_q = max(math.ceil(eq * (1 - self.pace.single_cap) / factor * Q), floor_q)
                    nearer = chooser.nearer_below(old, lo_q, cap_q, math.ceil(lo / factor * Q), best)
                    chosen = nearer or best
                break
        if chosen is None and heavy is not None:
            kind, chosen = heavy
        if chosen is None:
            options = self.smallest_cuts(old, floor_q, kinds)
            if self.grid_mg and options:
                cut = sum(old.values()) - max(sum(c.values()) for _, c in options)
                if cut > self.grid_mg * Q:  # off the grid rather than a cut larger than the clinician's step
                    grids = {k: c.grid for k, c in self.choosers.items()}
                    for c in self.choosers.values():
                        c.grid = 0
                    options = self.smallest_cuts(old, floor_q, kinds) or options
                    for k, c in self.choosers.items():
                        c.grid = grids[k]
            if not options:
                return None
            kind, chosen = max(options, key=lambda kc: (sum(kc[1].values()), kc[0] == "solid"))
        return tuple((t, self.tapered, chosen[t]) for t in TIMES if chosen.get(t, 0) > 0), kind == "liquid"

    def smallest_cuts(self, old, floor_q: int, kinds: list[str]) -> list:
        options = [(k, self.choosers[k].smallest_cut(old, floor_q)) for k in kinds]
        return [(k, c) for k, c in options if c is not None]
