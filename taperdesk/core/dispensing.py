"""Which doses a clinic's stock can make, and how to make them.

A dose is dispensable when it is exactly a sum of pieces: whole tablets or
capsules, halves or quarters of tablets the product (and the clinic) allow to
split, and whole 0.1 mL steps of one oral liquid. The set of such sums is kept
as an integer bitset on the pieces' common grid, so "can this be made?" and
"what is the next lower dose?" are a shift and a mask, fast enough for the
wizard to re-plan on every keystroke.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from math import gcd

from taperdesk.core.catalogue import SPLIT_PIECES, Catalogue, Formulation
from taperdesk.core.pieces import PieceSolver
from taperdesk.core.quantity import Q, fmt_mg, to_q
from taperdesk.core.regimen import PlanInputError

LIQUID_STEP_ML = Fraction(1, 10)  # a 1 mL oral syringe is marked in 0.1 mL


@dataclass(frozen=True)
class DrugStock:
    """What the clinic dispenses of one drug for this plan."""

    drug: str
    strengths: tuple[float, ...] | None = None  # None: every solid strength in the catalogue
    split: str = "half"  # the most the clinic splits; each product may allow less
    liquid: bool = False
    market: str | None = None  # "US", "UK" or None for both

    def to_dict(self) -> dict:
        return {
            "drug": self.drug,
            "strengths": list(self.strengths) if self.strengths is not None else None,
            "split": self.split,
            "liquid": self.liquid,
            "market": self.market,
        }

    @classmethod
    def from_dict(cls, d: dict) -> "DrugStock":
        strengths = d.get("strengths")
        return cls(
            drug=d["drug"],
            strengths=tuple(strengths) if strengths is not None else None,
            split=d.get("split", "half"),
            liquid=bool(d.get("liquid", False)),
            market=d.get("market"),
        )


@dataclass(frozen=True)
class Unit:
    """One line of what to take: a count of one solid product, or mL of a liquid."""

    form: str  # tablet | capsule | liquid
    strength_mg: float | None = None
    count: Fraction = Fraction(0)  # whole, or in halves/quarters where the product allows
    mg_per_ml: float | None = None
    ml: Fraction = Fraction(0)  # in 0.1 mL steps

    @property
    def q(self) -> int:
        if self.form == "liquid":
            return to_q(Fraction(str(self.mg_per_ml)) * self.ml)
        return to_q(Fraction(str(self.strength_mg)) * self.count)

    def to_dict(self) -> dict:
        if self.form == "liquid":
            return {"form": "liquid", "mg_per_ml": self.mg_per_ml, "ml": float(self.ml)}
        return {"form": self.form, "strength_mg": self.strength_mg, "count": float(self.count)}

    @classmethod
    def from_dict(cls, d: dict) -> "Unit":
        # the same few units recur through every plan: reading a stored plan shares
        # them instead of building a Fraction from text for each (a Unit is frozen);
        # the types are in the key so 1 and 1.0 stay as written
        key = tuple((v, type(v)) for v in (d["form"], d.get("strength_mg"), d.get("count"), d.get("mg_per_ml"),
                                            d.get("ml")))
        found = _READ_UNITS.get(key)
        if found is None:
            if d["form"] == "liquid":
                found = cls("liquid", mg_per_ml=d["mg_per_ml"], ml=Fraction(str(d["ml"])))
            else:
                found = cls(d["form"], strength_mg=d["strength_mg"], count=Fraction(str(d["count"])))
            if len(_READ_UNITS) < 4096:
                _READ_UNITS[key] = found
        return found


_READ_UNITS: dict[tuple, Unit] = {}


@dataclass(frozen=True)
class _Piece:
    q: int
    formulation: Formulation
    per_unit: int  # 1 whole, 2 half, 4 quarter; 0 for a 0.1 mL liquid step


def _closure(bits: int, step: int, top: int) -> int:
    """All sums of `bits` plus any number of `step`, up to `top` (by doubling)."""
    mask = (1 << (top + 1)) - 1
    shift = step
    while shift <= top:
        bits |= (bits << shift) & mask
        shift *= 2
    return bits


class Dispenser:
    """The doses of one drug that a stock can make."""

    def __init__(self, drug: str, formulations: tuple[tuple[Formulation, str], ...]):
        self.drug = drug
        self.stocked = formulations  # (formulation, split allowed here)
        pieces: list[_Piece] = []
        solids = [(f, s) for f, s in formulations if not f.is_liquid]
        liquids = [f for f, _ in formulations if f.is_liquid]
        for per_unit in (1, 2, 4):
            for f, split in solids:
                if SPLIT_PIECES[split] >= per_unit:
                    pieces.append(_Piece(to_q(Fraction(str(f.strength_mg)) / per_unit), f, per_unit))
        pieces.sort(key=lambda p: (p.per_unit, -p.q))
        self.liquid = min(liquids, key=lambda f: f.mg_per_ml) if liquids else None
        if self.liquid is not None:
            pieces.append(_Piece(to_q(Fraction(str(self.liquid.mg_per_ml)) * LIQUID_STEP_ML), self.liquid, 0))
        seen: set[int] = set()
        self._pieces = [p for p in pieces if not (p.q in seen or seen.add(p.q))]
        if not self._pieces:
            raise PlanInputError(
                f"the catalogue lists no {drug} products (tablets, capsules or liquid) to dispense:"
                " add the products the clinic uses to formulations.toml first"
            )
        self.grid = 0
        for p in self._pieces:
            self.grid = gcd(self.grid, p.q)
        self.smallest_piece_q = min(p.q for p in self._pieces)
        self.has_solids = bool(solids)
        self._solver = PieceSolver(tuple(
            (to_q(Fraction(str(f.strength_mg))), SPLIT_PIECES[split]) for f, split in solids
        )) if solids and not liquids else None
        self._forms: dict[str, Dispenser | None] = {}
        self._top = 0
        self._suffix: list[int] = []
        self._grow(64 * self.grid)

    # -- reachability -------------------------------------------------------
    def _grow(self, q: int) -> None:
        top = -(-q // self.grid)
        if top <= self._top and self._suffix:
            return
        top = max(top, 2 * self._top)
        suffix = [1]
        for piece in reversed(self._pieces):
            suffix.append(_closure(suffix[-1], piece.q // self.grid, top))
        self._suffix = suffix[::-1]  # _suffix[i]: sums of pieces[i:]
        self._top = top

    def can_make(self, q: int) -> bool:
        if q < 0 or q % self.grid:
            return False
        self._grow(q)
        return bool(self._suffix[0] >> (q // self.grid) & 1)

    def floor(self, q: int) -> int:
        """The largest dose the stock can make that is not more than q."""
        if q <= 0:
            return 0
        self._grow(q)
        idx = q // self.grid
        below = self._suffix[0] & ((1 << (idx + 1)) - 1)
        return (below.bit_length() - 1) * self.grid

    def next_lower(self, q: int) -> int:
        """The largest dose the stock can make that is less than q (0 at worst)."""
        return self.floor(q - 1) if q > 0 else 0

    # -- one form at a time (R10: a dose is all tablets or all liquid) -------
    def only(self, kind: str) -> "Dispenser | None":
        """This stock's solids ("solid") or its liquid ("liquid") alone; None when it has none."""
        if kind not in self._forms:
            chosen = tuple((f, s) for f, s in self.stocked if f.is_liquid == (kind == "liquid"))
            if kind == "liquid":
                chosen = tuple((f, s) for f, s in chosen if f is self.liquid)
            if not chosen:
                self._forms[kind] = None
            elif len(chosen) == len(self.stocked):
                self._forms[kind] = self
            else:
                self._forms[kind] = Dispenser(self.drug, chosen)
        return self._forms[kind]

    def one_form(self, q: int) -> "Dispenser | None":
        """The single-form stock that makes q: tablets if they can, else the liquid."""
        for kind in ("solid", "liquid"):
            d = self.only(kind)
            if d is not None and d.can_make(q):
                return d
        return None

    # -- how to make it ------------------------------------------------------
    def units(self, q: int) -> tuple[Unit, ...]:
        """The simplest make-up: the fewest pieces in the hand, whole tablets
        unless a split saves more than one piece (core.pieces), all liquid
        when tablets cannot make the dose. Cached: the planner asks often."""
        cache = self.__dict__.setdefault("_units", {})
        if q not in cache:
            cache[q] = self._units_uncached(q)
        return cache[q]

    def _units_uncached(self, q: int) -> tuple[Unit, ...]:
        if self._solver is not None and self.can_make(q):
            _, choice = self._solver.simplest(q)
            forms = {}  # strength -> the form that splits furthest (a tablet before a capsule)
            for f, split in sorted((fs for fs in self.stocked if not fs[0].is_liquid), key=lambda fs: SPLIT_PIECES[fs[1]]):
                forms[to_q(Fraction(str(f.strength_mg)))] = f.form
            units = [Unit(forms[s], strength_mg=float(Fraction(s, Q)), count=Fraction(n, per)) for s, n, per in choice]
            units.sort(key=lambda u: -u.strength_mg)
            return tuple(units)
        if self.liquid is not None and len(self.stocked) > 1:
            single = self.one_form(q)
            if single is not None and single is not self:
                return single.units(q)
        if not self.can_make(q):
            raise PlanInputError(f"{fmt_mg(q / Q)} mg of {self.drug} cannot be made from the stock")
        rem = q // self.grid
        counts: dict[tuple[str, float], Fraction] = {}
        ml: Fraction | None = None
        for i, piece in enumerate(self._pieces):
            size = piece.q // self.grid
            rest = self._suffix[i + 1]
            k = rem // size
            while k > 0 and not (rest >> (rem - k * size) & 1):
                k -= 1
            if k:
                rem -= k * size
                if piece.per_unit == 0:
                    ml = k * LIQUID_STEP_ML
                else:
                    key = (piece.formulation.form, piece.formulation.strength_mg)
                    counts[key] = counts.get(key, Fraction(0)) + Fraction(k, piece.per_unit)
        assert rem == 0
        units = [Unit(form, strength_mg=strength, count=c) for (form, strength), c in counts.items()]
        units.sort(key=lambda u: -u.strength_mg)
        if ml is not None:
            units.append(Unit("liquid", mg_per_ml=self.liquid.mg_per_ml, ml=ml))
        return tuple(units)

    def stock_dicts(self) -> list[dict]:
        out = []
        for f, split in self.stocked:
            d = {"drug": f.drug, "form": f.form}
            if f.is_liquid:
                d["mg_per_ml"] = f.mg_per_ml
            else:
                d["strength_mg"] = f.strength_mg
                d["split"] = split
            d["market"] = f.market
            out.append(d)
        return out


def _allowed_split(clinic: str, product: str) -> str:
    pieces = min(SPLIT_PIECES[clinic], SPLIT_PIECES[product])
    return {1: "none", 2: "half", 4: "quarter"}[pieces]


@lru_cache(maxsize=512)
def dispenser_for(catalogue: Catalogue, stock: DrugStock) -> Dispenser:
    """Resolve a clinic's stock choice against the catalogue (cached: the
    wizard asks for the same stock on every re-plan)."""
    if stock.split not in SPLIT_PIECES:
        raise PlanInputError(f"unknown split {stock.split!r}: use none, half or quarter")
    catalogue.drug(stock.drug)
    solids = catalogue.formulations_for(stock.drug, market=stock.market, forms=("tablet", "capsule"))
    if stock.strengths is not None:
        have = sorted({f.strength_mg for f in solids})
        for s in stock.strengths:
            if not any(abs(s - h) < 1e-9 for h in have):
                listed = ", ".join(fmt_mg(h) for h in have) or "none"
                raise PlanInputError(
                    f"there is no {fmt_mg(s)} mg tablet or capsule of {stock.drug} in the catalogue"
                    f" (strengths: {listed})"
                )
        solids = tuple(f for f in solids if any(abs(f.strength_mg - s) < 1e-9 for s in stock.strengths))
    chosen = [(f, _allowed_split(stock.split, f.split)) for f in solids]
    chosen.sort(key=lambda fs: (-fs[0].strength_mg, fs[0].form != "tablet", fs[0].market))
    if stock.liquid:
        chosen += [(f, "none") for f in catalogue.formulations_for(stock.drug, market=stock.market, forms=("liquid",))]
    return Dispenser(stock.drug, tuple(chosen))
