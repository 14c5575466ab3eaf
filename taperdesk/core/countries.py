"""The countries first-run setup offers (data/countries.toml): each with the
emergency number a handout gives and the clinic's likely paper size. A clinic
may change the number; what it keeps is in its settings, not here."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    emergency: str  # "" for "another country": the clinic types it
    paper: str  # "A4" | "Letter"
    market: str  # which products the catalogue offers first: "US" | "UK"


@cache
def _countries() -> tuple[Country, ...]:
    data = tomllib.loads(files("taperdesk.data").joinpath("countries.toml").read_text(encoding="utf-8"))
    return tuple(Country(code, t["name"], t["emergency"], t["paper"], t["market"])
                 for code, t in data["countries"].items())


def countries() -> tuple[Country, ...]:
    return _countries()


def country(code: str) -> Country | None:
    return next((c for c in _countries() if c.code == code), None)
