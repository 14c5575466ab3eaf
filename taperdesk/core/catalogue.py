"""The drug catalogue: equivalent doses, half-lives and stocked oral formulations.

Every clinical number lives in ``taperdesk/data/drugs.toml`` and
``taperdesk/data/formulations.toml`` with its source; this module only reads
and checks them (the shapes and lookups are in :mod:`taperdesk.core.drugs`). A
file that breaks a rule is refused with a :class:`CatalogueError` naming the
file, the entry, the drug and the field, so a clinic editing its own copy can
find the mistake.
"""

from __future__ import annotations

import difflib
import functools
import math
import tomllib
from importlib.resources import files
from pathlib import Path
from typing import Any

from taperdesk.core import drugs as _drugs
from taperdesk.core.drugs import (  # noqa: F401  (re-exported: callers import the catalogue from here)
    DEFAULT_TABLE,
    DRUG_CLASSES,
    DRUGS_FILE,
    FORMS,
    FORMULATIONS_FILE,
    MARKETS,
    REFERENCE_DRUG,
    REFERENCE_MG,
    SPLIT_PIECES,
    SPLITS,
    Catalogue,
    CatalogueError,
    Drug,
    Equivalence,
    Formulation,
    TableInfo,
    UnknownDrug,
)

__all__ = [*_drugs.__all__, "load_catalogue", "parse_catalogue"]


def load_catalogue(data_dir: Path | str | None = None) -> Catalogue:
    """Load and check the catalogue.

    ``None`` reads the files shipped in ``taperdesk.data``; that catalogue is
    loaded once and the same object returned on every call. A directory holding
    its own ``drugs.toml`` and ``formulations.toml`` is read afresh each time.
    """
    if data_dir is None:
        return _packaged_catalogue()
    folder = Path(data_dir)
    drugs_path = folder / DRUGS_FILE
    formulations_path = folder / FORMULATIONS_FILE
    return parse_catalogue(
        _read(drugs_path, str(drugs_path)),
        _read(formulations_path, str(formulations_path)),
        drugs_name=str(drugs_path),
        formulations_name=str(formulations_path),
    )


@functools.cache
def _packaged_catalogue() -> Catalogue:
    data = files("taperdesk.data")
    return parse_catalogue(
        _read(data.joinpath(DRUGS_FILE), DRUGS_FILE),
        _read(data.joinpath(FORMULATIONS_FILE), FORMULATIONS_FILE),
    )


def _read(path: Any, name: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogueError(f"{name}: cannot be read: {exc}") from exc


def parse_catalogue(
    drugs_text: str,
    formulations_text: str,
    *,
    drugs_name: str = DRUGS_FILE,
    formulations_name: str = FORMULATIONS_FILE,
) -> Catalogue:
    """Build a :class:`Catalogue` from the text of the two files, checking every rule."""
    drugs_doc = _parse_toml(drugs_text, drugs_name)
    formulations_doc = _parse_toml(formulations_text, formulations_name)
    tables = _parse_tables(drugs_doc, drugs_name)
    drugs = _parse_drugs(drugs_doc, drugs_name, tables)
    formulations = _parse_formulations(formulations_doc, formulations_name, drugs)
    return Catalogue(
        drugs=tuple(sorted(drugs.values(), key=lambda d: d.name)),
        formulations=tuple(formulations),
        tables=tuple(tables.values()),
    )


def _parse_toml(text: str, name: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # The message ends "(at line N, column M)".
        raise CatalogueError(f"{name}: invalid TOML: {exc}") from exc


class _Entry:
    """Reads one TOML table, turning every problem into a CatalogueError naming it."""

    def __init__(self, raw: Any, where: str, required: tuple[str, ...], optional: tuple[str, ...] = ()):
        self.where = where
        if not isinstance(raw, dict):
            self.fail(f"must be a table, not {type(raw).__name__}")
        self.raw = raw
        unknown = sorted(set(raw) - set(required) - set(optional))
        if unknown:
            self.fail(
                f"unknown key{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} "
                f"(allowed: {', '.join(required + optional)})"
            )
        missing = [k for k in required if k not in raw]
        if missing:
            self.fail(f"missing required field{'s' if len(missing) > 1 else ''} {', '.join(missing)}")

    def fail(self, message: str) -> None:
        raise CatalogueError(f"{self.where}: {message}")

    def has(self, key: str) -> bool:
        return key in self.raw

    def text(self, key: str, *, default: str | None = None, choices: tuple[str, ...] = ()) -> str:
        if key not in self.raw and default is not None:
            return default
        value = self.raw[key]
        if not isinstance(value, str):
            self.fail(f"{key} must be text, not {value!r}")
        if default is None and not value.strip():
            self.fail(f"{key} must not be empty")
        if choices and value not in choices:
            self.fail(f"{key} must be one of {', '.join(repr(c) for c in choices)}, not {value!r}")
        return value

    def flag(self, key: str) -> bool:
        value = self.raw[key]
        if not isinstance(value, bool):
            self.fail(f"{key} must be true or false, not {value!r}")
        return value

    def positive(self, key: str) -> float:
        value = self.raw[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(f"{key} must be a number, not {value!r}")
        if not math.isfinite(value) or value <= 0:
            self.fail(f"{key} must be > 0, not {value!r}")
        return float(value)


def _array_of_tables(doc: dict[str, Any], key: str, name: str) -> list[Any]:
    value = doc.get(key, [])
    if not isinstance(value, list):
        raise CatalogueError(f"{name}: {key!r} must be an array of tables ([[{key}]])")
    if not value:
        raise CatalogueError(f"{name}: no [[{key}]] entries")
    return value


def _check_top_level(doc: dict[str, Any], name: str, allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(doc) - set(allowed))
    if unknown:
        raise CatalogueError(
            f"{name}: unknown top-level key{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(unknown)} (allowed: {', '.join(allowed)})"
        )


def _parse_tables(doc: dict[str, Any], name: str) -> dict[str, TableInfo]:
    _check_top_level(doc, name, ("tables", "drug"))
    raw_tables = doc.get("tables")
    if not isinstance(raw_tables, dict) or not raw_tables:
        raise CatalogueError(f"{name}: no [tables] section naming the equivalence tables")
    tables: dict[str, TableInfo] = {}
    for key, raw in raw_tables.items():
        entry = _Entry(raw, f"{name} [tables.{key}]", ("title", "source"), ("note",))
        if key != key.strip().lower() or not key:
            entry.fail("table names must be lowercase")
        tables[key] = TableInfo(
            name=key,
            title=entry.text("title"),
            source=entry.text("source"),
            note=entry.text("note", default=""),
        )
    if DEFAULT_TABLE not in tables:
        raise CatalogueError(f"{name}: [tables] must include the default table {DEFAULT_TABLE!r}")
    return tables


def _parse_drugs(doc: dict[str, Any], name: str, tables: dict[str, TableInfo]) -> dict[str, Drug]:
    titles = tuple((t.name, t.title) for t in tables.values())
    drugs: dict[str, Drug] = {}
    for i, raw in enumerate(_array_of_tables(doc, "drug", name), start=1):
        label = raw.get("name", "?") if isinstance(raw, dict) else "?"
        entry = _Entry(
            raw,
            f"{name} entry {i} ({label})",
            ("name", "class", "half_life_h", "half_life_source", "short_acting",
             "short_acting_source", "equivalent"),
            ("max_daily_mg", "max_daily_source", "max_daily_unverified"),
        )
        drug_name = entry.text("name")
        if drug_name != drug_name.strip().lower():
            entry.fail(f"name must be a lowercase generic name, not {drug_name!r}")
        if drug_name in drugs:
            entry.fail(f"duplicate drug name {drug_name!r}")
        raw_eqs = entry.raw["equivalent"]
        if not isinstance(raw_eqs, list) or not raw_eqs:
            entry.fail("equivalent must be one or more [[drug.equivalent]] tables")
        equivalents: list[Equivalence] = []
        for j, raw_eq in enumerate(raw_eqs, start=1):
            eq_label = raw_eq.get("table", "?") if isinstance(raw_eq, dict) else "?"
            eq_entry = _Entry(
                raw_eq,
                f"{entry.where} equivalent {j} ({eq_label})",
                ("table", "low_mg", "high_mg", "source"),
            )
            table = eq_entry.text("table")
            if table not in tables:
                eq_entry.fail(f"table {table!r} is not named in [tables] (known: {', '.join(tables)})")
            if any(e.table == table for e in equivalents):
                eq_entry.fail(f"a second value for table {table!r}")
            low, high = eq_entry.positive("low_mg"), eq_entry.positive("high_mg")
            if low > high:
                eq_entry.fail(f"low_mg must be <= high_mg (got {low:g} > {high:g})")
            if drug_name == REFERENCE_DRUG and not (low == high == REFERENCE_MG):
                eq_entry.fail(
                    f"{REFERENCE_DRUG} is the reference: its equivalence must be exactly "
                    f"{REFERENCE_MG} mg (low_mg = high_mg = {REFERENCE_MG})"
                )
            equivalents.append(Equivalence(table, low, high, eq_entry.text("source")))
        if not any(e.table == DEFAULT_TABLE for e in equivalents):
            entry.fail(f"no {DEFAULT_TABLE!r} equivalence (every drug needs one)")
        drugs[drug_name] = Drug(
            name=drug_name,
            drug_class=entry.text("class", choices=DRUG_CLASSES),
            half_life_h=entry.text("half_life_h"),
            short_acting=entry.flag("short_acting"),
            short_acting_source=entry.text("short_acting_source"),
            equivalents=tuple(equivalents),
            half_life_source=entry.text("half_life_source"),
            max_daily_mg=entry.positive("max_daily_mg") if entry.has("max_daily_mg") else None,
            max_daily_source=entry.text("max_daily_source") if entry.has("max_daily_mg") else "",
            max_daily_unverified=entry.flag("max_daily_unverified") if entry.has("max_daily_unverified") else False,
            table_titles=titles,
        )
    reference = drugs.get(REFERENCE_DRUG)
    if reference is None:
        raise CatalogueError(f"{name}: {REFERENCE_DRUG} is missing (every equivalence is relative to it)")
    missing = [t for t in tables if t not in {e.table for e in reference.equivalents}]
    if missing:
        raise CatalogueError(
            f"{name}: {REFERENCE_DRUG} has no value in table{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)} (it must be {REFERENCE_MG} mg in every table)"
        )
    return drugs


_FORMULATION_REQUIRED = ("drug", "form", "label", "split", "market", "unverified", "source")
_FORMULATION_OPTIONAL = ("strength_mg", "mg_per_ml", "split_note", "off_licence_note")


def _parse_formulations(doc: dict[str, Any], name: str, drugs: dict[str, Drug]) -> list[Formulation]:
    _check_top_level(doc, name, ("formulation",))
    seen: dict[tuple, int] = {}
    out: list[Formulation] = []
    for i, raw in enumerate(_array_of_tables(doc, "formulation", name), start=1):
        if isinstance(raw, dict):
            label = f"{raw.get('drug', '?')} {raw.get('form', '?')}"
        else:
            label = "?"
        entry = _Entry(raw, f"{name} entry {i} ({label})", _FORMULATION_REQUIRED, _FORMULATION_OPTIONAL)
        drug = entry.text("drug")
        if drug not in drugs:
            close = difflib.get_close_matches(drug.lower(), list(drugs))
            hint = f"; did you mean: {', '.join(close)}?" if close else ""
            entry.fail(f"drug {drug!r} is not in drugs.toml{hint}")
        form = entry.text("form", choices=FORMS)
        split = entry.text("split", choices=SPLITS)
        market = entry.text("market", choices=MARKETS)
        strength = mg_per_ml = None
        if form == "liquid":
            if entry.has("strength_mg"):
                entry.fail("a liquid takes mg_per_ml, not strength_mg")
            if not entry.has("mg_per_ml"):
                entry.fail("missing required field mg_per_ml (liquids)")
            mg_per_ml = entry.positive("mg_per_ml")
        else:
            if entry.has("mg_per_ml"):
                entry.fail(f"a {form} takes strength_mg, not mg_per_ml")
            if not entry.has("strength_mg"):
                entry.fail(f"missing required field strength_mg ({form}s)")
            strength = entry.positive("strength_mg")
        if form != "tablet" and split != "none":
            entry.fail(f"split must be 'none' for a {form}, not {split!r}")
        key = (drug, form, strength if strength is not None else mg_per_ml, market)
        if key in seen:
            entry.fail(f"duplicate of entry {seen[key]} (same drug, form, strength and market)")
        seen[key] = i
        out.append(
            Formulation(
                drug=drug,
                form=form,
                strength_mg=strength,
                mg_per_ml=mg_per_ml,
                label=entry.text("label"),
                split=split,
                market=market,
                unverified=entry.flag("unverified"),
                source=entry.text("source"),
                split_note=entry.text("split_note", default=""),
                off_licence_note=entry.text("off_licence_note", default=""),
            )
        )
    return out
