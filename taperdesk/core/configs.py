"""The doses after the next cut: which times of day give up how much.

Given the doses now (one drug, mg at each time), a stock (one form: tablets
or liquid) and the range of daily totals the pace allows, list the dose
sets a pharmacist would consider and pick the one a patient can follow:

* "even" cut order (rule R9): doses stay equal where the stock can split the
  day's total equally, else as near equal as the stock allows, the larger
  dose at the times cut last (night by default);
* a clinician's cut order ("morning,night", NHS Scotland's pattern): the
  first time is cut to zero before the next one is touched;
* among those, the largest cut the pace allows, then the fewest pieces per
  dose (R10: at most 4 for doses up to 40 mg diazepam-equivalent), then the
  fewest strengths in use.

No time's dose ever rises (R2), and a time that reaches zero is gone."""

from __future__ import annotations

from fractions import Fraction
from typing import Iterator

from taperdesk.core.dispensing import Dispenser
from taperdesk.core.quantity import Q

Doses = dict[str, int]  # time -> quantity units (0: no dose at that time)
MAX_PIECES = 4
PIECE_LIMIT_EQ_Q = 40  # mg diazepam-equivalent per dose up to which MAX_PIECES holds


def makeable_down(disp: Dispenser, top: int, bottom: int, grid: int = 0) -> Iterator[int]:
    """Doses the stock makes from `top` down to `bottom` (inclusive; 0 always ends the walk),
    only multiples of `grid` when one is given."""
    if grid:
        q = top // grid * grid
        while q >= max(bottom, 1):
            if disp.can_make(q):
                yield q
            q -= grid
        if bottom <= 0:
            yield 0
        return
    q = disp.floor(top)
    while q >= max(bottom, 1):
        yield q
        q = disp.next_lower(q)
    if bottom <= 0:
        yield 0


def _even_sets(old: Doses, cut_last: tuple[str, ...], disp: Dispenser, lo: int, grid: int = 0) -> Iterator[Doses]:
    """Equal or near-equal sets: every time at x, or the k times cut last one step up."""
    times = [t for t in cut_last if old.get(t, 0) > 0]
    n = len(times)
    up = None
    for x in makeable_down(disp, max(old.values()), 0, grid):
        highest = 0
        for k in range(n if up is not None else 1):
            cfg = {t: min(old[t], up if (k and i >= n - k) else x) for i, t in enumerate(times)}
            highest = max(highest, sum(cfg.values()))
            yield cfg
        if highest < lo:
            return
        up = x


def _ordered_sets(old: Doses, order: tuple[str, ...], disp: Dispenser, lo: int, grid: int = 0) -> Iterator[Doses]:
    """Cut the first time of the order to zero before the next one."""
    times = [t for t in order if old.get(t, 0) > 0]

    def walk(i: int, cfg: Doses) -> Iterator[Doses]:
        if i == len(times):
            return
        t = times[i]
        rest = sum(cfg.values()) - cfg[t]
        for v in makeable_down(disp, old[t] - 1, 0, grid):
            new = {**cfg, t: v}
            if rest + v < lo:
                return
            yield new
            if v == 0:
                yield from walk(i + 1, new)

    yield from walk(0, dict(old))


class Chooser:
    """Scores candidate dose sets for one drug in one form."""

    def __init__(self, disp: Dispenser, factor: Fraction, order: tuple[str, ...], even: bool):
        self.disp = disp
        self.factor = factor  # diazepam mg per mg of this drug
        self.order = order  # even: times in cut-last order; else the clinician's order
        self.even = even
        self.grid = 0  # a clinician's fixed cut in mg: doses stay on its multiples (NHS Scotland's whole mg)
        self._pieces: dict[int, int] = {}

    def pieces(self, q: int) -> int:
        if q not in self._pieces:
            units = self.disp.units(q) if q else ()
            self._pieces[q] = sum(1 if u.form == "liquid" else -(-u.count // 1) for u in units)
        return self._pieces[q]

    def candidates(self, old: Doses, lo: int) -> Iterator[Doses]:
        grid = self.grid if self.grid and all(v % self.grid == 0 for v in old.values()) else 0
        sets = _even_sets if self.even else _ordered_sets
        gen = sets(old, self.order, self.disp, lo, grid)
        total = sum(old.values())
        for cfg in gen:
            if not all(v == 0 or self.disp.can_make(v) for v in cfg.values()):
                continue
            if grid and any(v % grid for v in cfg.values()):
                continue
            if lo <= sum(cfg.values()) < total:
                yield cfg

    def too_many_pieces(self, cfg: Doses) -> bool:
        return any(
            self.pieces(q) > MAX_PIECES and Fraction(q, Q) * self.factor <= PIECE_LIMIT_EQ_Q for q in cfg.values() if q
        )

    def key(self, cfg: Doses) -> tuple:
        memo = self.__dict__.setdefault("_keys", {})
        k = tuple(sorted(cfg.items()))
        if k not in memo:
            memo[k] = self._key(cfg)
        return memo[k]

    def _key(self, cfg: Doses) -> tuple:
        live = [q for q in cfg.values() if q]
        unequal = self.even and len(set(live)) > 1
        strengths = {(u.form, u.strength_mg, u.mg_per_ml) for q in live for u in self.disp.units(q)}
        return (
            self.too_many_pieces(cfg),
            unequal,
            sum(cfg.values()),
            max(live, default=0) - min(live, default=0),
            max((self.pieces(q) for q in live), default=0),
            len(strengths),
        )

    def best(self, old: Doses, lo: int) -> Doses | None:
        """The best set with a daily total in [lo, now); None if there is none."""
        found = list(self.candidates(old, lo))
        if not found:
            return None
        return min(found, key=self.key)

    def nearer_below(self, old: Doses, lo: int, floor: int, aim: int, best: Doses) -> Doses | None:
        """A set just below the pace's range (down to `floor`) that is nearer the
        method's aim than `best` -- the plan then waits longer for it, as the pace
        needs -- and as equal and as simple as `best`; None if there is none."""
        if self.even and self.key(best)[1]:
            # `best` splits unequally: a slightly larger cut to equal doses, with a
            # wait stretched to keep the pace (R3, R9), is what a patient can follow;
            # over two cuts it takes about as long as the unequal step and the next.
            equal = [cfg for cfg in self.candidates(old, floor)
                     if sum(cfg.values()) < lo and not self.key(cfg)[0] and not self.key(cfg)[1]]
            if equal:
                return max(equal, key=lambda c: (sum(c.values()), -self.key(c)[4]))
        floor = max(floor, 2 * aim - sum(best.values()))  # only sets nearer the aim than `best`
        below = [cfg for cfg in self.candidates(old, floor) if sum(cfg.values()) < lo]
        if not below:
            return None
        found = max(below, key=lambda c: (sum(c.values()), not self.key(c)[1]))
        fkey, bkey = self.key(found), self.key(best)
        if fkey[0] or (fkey[1] and not bkey[1]):
            return None
        return found if aim - sum(found.values()) < sum(best.values()) - aim else None

    def smallest_cut(self, old: Doses, floor: int) -> Doses | None:
        """The set with the largest total below now (the smallest cut the stock can make), at or above `floor`."""
        best = None
        total = sum(old.values())
        near = self.candidates(old, max(floor, total // 2))
        for cfg in (near if any(True for _ in self.candidates(old, max(floor, total // 2))) else self.candidates(old, floor)):
            if best is None or (sum(cfg.values()), -self.key(cfg)[1]) > (sum(best.values()), -self.key(best)[1]):
                best = cfg
        return best
