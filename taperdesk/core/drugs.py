"""The drug catalogue's shapes: drugs, equivalences, formulations and lookups.

Read from data files by :mod:`taperdesk.core.catalogue`.

Pure standard library: no Qt, database or PDF code may be imported here.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass, field
from fractions import Fraction

__all__ = [
    "DEFAULT_TABLE",
    "DRUG_CLASSES",
    "FORMS",
    "MARKETS",
    "SPLITS",
    "SPLIT_PIECES",
    "Catalogue",
    "CatalogueError",
    "Drug",
    "Equivalence",
    "Formulation",
    "TableInfo",
    "UnknownDrug",
]

FORMS = ("tablet", "capsule", "liquid")
SOLID_FORMS = ("tablet", "capsule")
SPLITS = ("none", "half", "quarter")  # pieces per tablet: 1, 2, 4
SPLIT_PIECES = {"none": 1, "half": 2, "quarter": 4}
MARKETS = ("US", "UK")
DRUG_CLASSES = ("benzodiazepine", "z-drug")
DEFAULT_TABLE = "ashton"
REFERENCE_DRUG = "diazepam"
REFERENCE_MG = 10  # every table states doses approximately equivalent to diazepam 10 mg

DRUGS_FILE = "drugs.toml"
FORMULATIONS_FILE = "formulations.toml"


class CatalogueError(ValueError):
    """The catalogue data is wrong, or a lookup asked for something it does not hold."""


class UnknownDrug(KeyError):
    """A drug name that is not in the catalogue; ``str(exc)`` is one readable line."""

    def __init__(self, name: str, suggestions: tuple[str, ...] = (), known: tuple[str, ...] = ()):
        super().__init__(name)
        self.name = name
        self.suggestions = tuple(suggestions)
        self.known = tuple(known)

    def __str__(self) -> str:
        if self.suggestions:
            return f"unknown drug {self.name!r}; did you mean: {', '.join(self.suggestions)}?"
        if self.known:
            return f"unknown drug {self.name!r}; known drugs: {', '.join(self.known)}"
        return f"unknown drug {self.name!r}"


def _fmt_mg(value: float) -> str:
    """0.5 -> '0.5', 10.0 -> '10', 22.5 -> '22.5'."""
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


@dataclass(frozen=True)
class Equivalence:
    """One table's dose approximately equivalent to diazepam 10 mg (a range or one value)."""

    table: str
    low_mg: float
    high_mg: float
    source: str

    @property
    def mid_mg(self) -> Fraction:
        """The exact midpoint of the range (the value the app uses by default)."""
        return (Fraction(str(self.low_mg)) + Fraction(str(self.high_mg))) / 2

    def range_text(self) -> str:
        """'5–6 mg' for a range, '1 mg' for a single value."""
        if self.low_mg == self.high_mg:
            return f"{_fmt_mg(self.low_mg)} mg"
        return f"{_fmt_mg(self.low_mg)}–{_fmt_mg(self.high_mg)} mg"


@dataclass(frozen=True)
class Drug:
    name: str
    drug_class: str
    half_life_h: str
    short_acting: bool
    short_acting_source: str
    equivalents: tuple[Equivalence, ...]
    half_life_source: str = ""
    # R11: the most a day from the product label or the BNF, with its source
    max_daily_mg: float | None = None
    max_daily_source: str = ""
    max_daily_unverified: bool = False
    # (table name, title) pairs for every table in the catalogue, so a lookup
    # error can name the table; not part of the drug's identity.
    table_titles: tuple[tuple[str, str], ...] = field(default=(), compare=False, repr=False)

    def _title(self, table: str) -> str:
        return dict(self.table_titles).get(table, table)

    def equivalence(self, table: str) -> Equivalence:
        """This drug's entry in ``table``; CatalogueError if the table has no value for it."""
        for eq in self.equivalents:
            if eq.table == table:
                return eq
        titles = dict(self.table_titles)
        if titles and table not in titles:
            known = ", ".join(f"{n} ({t})" for n, t in self.table_titles)
            raise CatalogueError(f"unknown equivalence table {table!r}; known tables: {known}")
        have = ", ".join(f"{self._title(eq.table)} ({eq.table})" for eq in self.equivalents) or "none"
        raise CatalogueError(
            f"the {self._title(table)} table has no value for {self.name}; "
            f"tables with a value for {self.name}: {have}"
        )

    def diazepam_factor(self, table: str) -> Fraction:
        """Diazepam mg per 1 mg of this drug under ``table`` (diazepam itself: 1)."""
        return Fraction(REFERENCE_MG) / self.equivalence(table).mid_mg


@dataclass(frozen=True)
class Formulation:
    drug: str
    form: str
    strength_mg: float | None
    mg_per_ml: float | None
    label: str
    split: str
    market: str
    unverified: bool
    source: str
    split_note: str = ""
    off_licence_note: str = ""

    @property
    def is_liquid(self) -> bool:
        return self.form == "liquid"

    @property
    def pieces(self) -> int:
        """How many pieces one unit may be split into (1, 2 or 4)."""
        return SPLIT_PIECES[self.split]

    def describe(self) -> str:
        """'diazepam 5 mg tablet (UK)', 'diazepam 2 mg/5 mL oral solution (UK)'."""
        return f"{self.drug} {self.label} ({self.market})"


@dataclass(frozen=True)
class TableInfo:
    name: str
    title: str
    source: str
    note: str = ""


@dataclass(frozen=True)
class Catalogue:
    drugs: tuple[Drug, ...]  # sorted by name
    formulations: tuple[Formulation, ...]
    tables: tuple[TableInfo, ...]

    def __hash__(self) -> int:
        # Planner caches key on the catalogue; hash its contents once, not per call.
        return self._hash

    @functools.cached_property
    def _hash(self) -> int:
        return hash((self.drugs, self.formulations, self.tables))

    @functools.cached_property
    def _drug_index(self) -> dict[str, Drug]:
        return {d.name.lower(): d for d in self.drugs}

    def drug(self, name: str) -> Drug:
        """Look a drug up by name, ignoring case; UnknownDrug with close matches if absent."""
        key = str(name).strip().lower()
        try:
            return self._drug_index[key]
        except KeyError:
            names = [d.name for d in self.drugs]
            suggestions = difflib.get_close_matches(key, [n.lower() for n in names])
            by_lower = {n.lower(): n for n in names}
            raise UnknownDrug(
                str(name), tuple(by_lower[s] for s in suggestions), tuple(names)
            ) from None

    def table(self, name: str) -> TableInfo:
        key = str(name).strip().lower()
        for t in self.tables:
            if t.name.lower() == key:
                return t
        known = ", ".join(f"{t.name} ({t.title})" for t in self.tables)
        raise CatalogueError(f"unknown equivalence table {name!r}; known tables: {known}")

    def formulations_for(
        self,
        drug: str,
        *,
        market: str | None = None,
        forms: tuple[str, ...] = FORMS,
    ) -> tuple[Formulation, ...]:
        """A drug's formulations: solids by strength (largest first), then liquids (strongest first)."""
        name = self.drug(drug).name
        if isinstance(forms, str):
            forms = (forms,)
        for form in forms:
            if form not in FORMS:
                raise CatalogueError(f"unknown form {form!r}; expected one of: {', '.join(FORMS)}")
        if market is not None:
            market = _check_market(market)
        chosen = [
            f
            for f in self.formulations
            if f.drug == name and f.form in forms and (market is None or f.market == market)
        ]
        return tuple(sorted(chosen, key=_formulation_order))

    def solid_strengths(self, drug: str, *, market: str | None = None) -> tuple[float, ...]:
        """Distinct tablet and capsule strengths of a drug, ascending (any market unless given)."""
        solids = self.formulations_for(drug, market=market, forms=SOLID_FORMS)
        return tuple(sorted({f.strength_mg for f in solids if f.strength_mg is not None}))


def _check_market(market: str) -> str:
    m = str(market).strip().upper()
    if m not in MARKETS:
        raise CatalogueError(f"unknown market {market!r}; expected one of: {', '.join(MARKETS)}")
    return m


def _formulation_order(f: Formulation) -> tuple:
    if f.is_liquid:
        return (1, -(f.mg_per_ml or 0.0), f.market, f.label)
    return (0, -(f.strength_mg or 0.0), FORMS.index(f.form), f.market, f.label)


# --------------------------------------------------------------------- loading
