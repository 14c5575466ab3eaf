"""The simplest way to make a dose from tablets: fewest pieces in the hand.

A pharmacist makes 8 mg diazepam as four 2 mg tablets, not 5 mg + 1½ x 2 mg:
a split tablet is worth it only when it saves more than one piece (rule R10).
This module finds, for a dose in quantity units, the make-up with the fewest
pieces (a 1½ tablet is two pieces), then the fewest split tablets, then the
fewest strengths, and the best make-up with whole tablets only. Both the
dispenser (to print the dose) and the rules (to check a plan's JSON) use it,
so they agree by construction on what "simplest" means."""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_PIECES = 4  # R10: at most 4 pieces in one dose (up to 40 mg diazepam-equivalent)
Cost = tuple[int, int, int]  # pieces, split tablets, strengths used
Choice = tuple[tuple[int, int, int], ...]  # (strength_q, numerator, per): count = numerator / per
_NONE: tuple[Cost, Choice] | None = None


@dataclass
class PieceSolver:
    """Fewest-piece make-ups over strengths (quantity units) each with its split (1, 2 or 4 pieces)."""

    strengths: tuple[tuple[int, int], ...]  # (strength_q, per), largest first
    _memo: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        best: dict[int, int] = {}
        for s, per in self.strengths:
            best[s] = max(best.get(s, 1), per)
        self.strengths = tuple(sorted(best.items(), key=lambda sp: -sp[0]))

    def solve(self, q: int, *, whole_only: bool = False) -> tuple[Cost, Choice] | None:
        return self._best(0, q, whole_only)

    def _best(self, i: int, rem: int, whole: bool) -> tuple[Cost, Choice] | None:
        if rem == 0:
            return (0, 0, 0), ()
        if i == len(self.strengths):
            return None
        key = (i, rem, whole)
        if key in self._memo:
            return self._memo[key]
        s, per = self.strengths[i]
        if whole or s % per:
            per = 1
        best = None
        for f in range(per):
            part = f * s // per
            if part > rem:
                break
            top = (rem - part) // s
            for w in range(top, -1, -1):
                used = w * s + part
                rest = self._best(i + 1, rem - used, whole)
                if rest is None:
                    continue
                (p, sp, n), choice = rest
                cost = (p + w + (1 if f else 0), sp + (1 if f else 0), n + (1 if used else 0))
                if best is None or cost < best[0]:
                    best = (cost, (((s, w * per + f, per),) if used else ()) + choice)
        self._memo[key] = best
        return best

    def simplest(self, q: int) -> tuple[Cost, Choice] | None:
        """R10: whole tablets unless a split saves more than one piece, or
        whole tablets would need more than MAX_PIECES where a split needs fewer."""
        any_split = self.solve(q)
        if any_split is None:
            return None
        whole = self.solve(q, whole_only=True)
        if whole is not None and whole[0][0] <= any_split[0][0] + 1 and (whole[0][0] <= MAX_PIECES or any_split[0][0] > MAX_PIECES):
            return whole
        return any_split
