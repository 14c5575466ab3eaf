"""The side effects kept in the daily rating (its version 2 items): the harms of
the drug itself that a taper is meant to lift and must not hide while it runs:
daytime drowsiness, falls, confusion and memory trouble (clinical reference
section 9, "track symptoms and side effects"). They are optional items of the
daily scale, so one daily record holds the day's symptoms and side effects, and
corrections, retractions and the hash chain treat them like any score.

Only the keys live here; wording, ranges and sources are data (data/scales.toml)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date

DAILY = "daily"
FALLS = "falls"
SIDE_EFFECTS = ("drowsy", FALLS, "confused", "memory")  # the order they are plotted in
SHORT_NAMES = {"drowsy": "Drowsy", FALLS: "Falls", "confused": "Confused", "memory": "Memory"}


def falls_in(scale: str, items: Mapping[str, int] | str) -> int:
    """The number of falls an entry records (0 for any other scale, or none given);
    `items` as a mapping or as its stored JSON text."""
    if scale != DAILY:
        return 0
    if isinstance(items, str):
        items = json.loads(items)
    value = items.get(FALLS, 0)
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def side_effect_points(entries: Iterable[tuple[date, str, Mapping[str, int]]]) -> dict[str, list[tuple[date, int]]]:
    """For each side effect with any score, its (day, score) points from the daily
    entries given as (day, scale, items), in the order given. A side effect never
    scored is left out (a patient with none recorded gets no extra rows)."""
    out: dict[str, list[tuple[date, int]]] = {key: [] for key in SIDE_EFFECTS}
    for day, scale, items in entries:
        if scale != DAILY:
            continue
        for key in SIDE_EFFECTS:
            if key in items:
                out[key].append((day, items[key]))
    return {key: points for key, points in out.items() if points}
