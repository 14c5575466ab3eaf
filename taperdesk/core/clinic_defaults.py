"""How a clinic's stock and default pace are kept in its settings (plain JSON
mappings in storage), and turned into planner inputs."""

from __future__ import annotations

from typing import Any, Mapping

from taperdesk.core.dispensing import DrugStock

DEFAULT_PACE = {"method": "proportional", "cut_percent": 10.0, "interval_days": 14}


def stock_from_mapping(mapping: Mapping[str, Any] | None) -> tuple[DrugStock, ...]:
    """{"drugs": [DrugStock.to_dict(), ...]} -> DrugStock tuple; drugs not listed use the catalogue's defaults."""
    return tuple(DrugStock.from_dict(d) for d in (mapping or {}).get("drugs", ()))


def stock_to_mapping(stock: tuple[DrugStock, ...]) -> dict[str, Any]:
    return {"drugs": [s.to_dict() for s in sorted(stock, key=lambda s: s.drug)]}


def stock_for(stock: tuple[DrugStock, ...], drug: str) -> DrugStock:
    return next((s for s in stock if s.drug == drug), DrugStock(drug))


def pace_from_mapping(mapping: Mapping[str, Any] | None) -> dict[str, Any]:
    """The clinic's default pace, filled from DEFAULT_PACE where it says nothing."""
    return {**DEFAULT_PACE, **{k: v for k, v in (mapping or {}).items() if k in DEFAULT_PACE}}
