"""The pace limits, defaults and stepwise bands, read from data/guidance.toml
so that every clinical number the planner applies has a source a clinician
can see."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from importlib.resources import files


@dataclass(frozen=True)
class Rule:
    value: object
    text: str
    source: str  # the full citation
    where: str = ""
    unverified: bool = False

    def cite(self) -> str:
        mark = " [UNVERIFIED: verify locally]" if self.unverified else ""
        return f"{self.source}{', ' + self.where if self.where else ''}{mark}"

    @property
    def number(self) -> Fraction:
        return Fraction(str(self.value))


@dataclass(frozen=True)
class Band:
    above_eq_mg: Fraction
    cut_min_eq_mg: Fraction
    cut_eq_mg: Fraction
    text: str
    source: str


@dataclass(frozen=True)
class Guidance:
    rules: tuple[tuple[str, Rule], ...]
    bands: tuple[Band, ...]  # highest first

    def __getitem__(self, key: str) -> Rule:
        for name, rule in self.rules:
            if name == key:
                return rule
        raise KeyError(key)

    def band_for(self, eq_mg: Fraction) -> Band:
        for band in self.bands:
            if eq_mg > band.above_eq_mg:
                return band
        return self.bands[-1]


def parse_guidance(text: str) -> Guidance:
    data = tomllib.loads(text)
    sources = data["sources"]
    rules = []
    for section in ("pace", "crossover"):
        for name, entry in data[section].items():
            rules.append(
                (
                    f"{section}.{name}",
                    Rule(
                        value=entry["value"],
                        text=entry["text"],
                        source=sources[entry["source"]],
                        where=entry.get("where", ""),
                        unverified=bool(entry.get("unverified", False)),
                    ),
                )
            )
    limit = data["stepwise"]["written_for_up_to_eq_mg"]
    rules.append(
        (
            "stepwise.written_for_up_to_eq_mg",
            Rule(limit["value"], limit["text"], sources[limit["source"]], limit.get("where", "")),
        )
    )
    bands = tuple(
        sorted(
            (
                Band(
                    Fraction(str(b["above_eq_mg"])),
                    Fraction(str(b["cut_min_eq_mg"])),
                    Fraction(str(b["cut_eq_mg"])),
                    b["text"],
                    sources[b["source"]],
                )
                for b in data["stepwise"]["bands"]
            ),
            key=lambda b: -b.above_eq_mg,
        )
    )
    return Guidance(tuple(rules), bands)


@cache
def load_guidance() -> Guidance:
    return parse_guidance(files("taperdesk.data").joinpath("guidance.toml").read_text(encoding="utf-8"))
