"""An entry's series value (`ScaleDefinition.score`: the headline item, or the
total) is worked out once, when the entry is written, and stored with it
(`symptom_entry.series_value`), so the day list, the flare rule and the plot
read a number instead of parsing and re-scoring every entry. The value is
derived, not clinical: it is not in the entry's hash chain; `taperdesk verify`
re-scores every entry and reports a stored value that differs (`mismatches`).
Migration 10 scores the entries written before the column existed (`fill`)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from functools import lru_cache

from taperdesk.core.scales import ScaleDefinition, ScaleError


def series_value(definition: ScaleDefinition | None, items: Mapping[str, int], total: int) -> int:
    """The value by the definition the entry was made with; the total where that
    definition is missing or no longer scores the entry (an entry from before
    the scale was defined as it is)."""
    if definition is None:
        return total
    try:
        return definition.score(items)
    except ScaleError:
        return total


def _scored(database, where: str) -> Iterator[tuple[int, int, int | None, int]]:
    """(id, patient id, stored value, value by re-scoring) of the entries `where` selects."""
    from taperdesk.storage import scales as scale_store  # storage.scales imports the connection

    definitions = scale_store.all_versions()

    @lru_cache(maxsize=1 << 16)  # the same answers recur (a daily rating has a few dozen): score each once
    def value_of(scale: str, version: int, items_text: str, total: int) -> int:
        try:
            items = json.loads(items_text)
        except (TypeError, ValueError):
            return total  # damaged text: its hash chain says so
        return series_value(definitions.get((scale, version)), items, total)

    cursor = database.execute_sql(
        f"SELECT id, patient_id, scale, scale_version, items, total, series_value FROM symptom_entry "
        f"WHERE {where} ORDER BY id")
    for entry_id, patient_id, scale, version, items_text, total, stored in cursor:
        yield entry_id, patient_id, stored, value_of(scale, version, items_text, total)


def fill(database) -> int:
    """Store the value of every entry that has none (inside migration 10's
    transaction, with the append-only UPDATE trigger set aside); return how many."""
    values = [(value, entry_id) for entry_id, _pid, _stored, value in _scored(database, "series_value IS NULL")]
    cursor = database.cursor()
    cursor.executemany("UPDATE symptom_entry SET series_value = ? WHERE id = ?", values)
    return len(values)


def mismatches(database) -> list[tuple[int, int, int | None, int]]:
    """(entry id, patient id, stored value, value by re-scoring) of every entry
    whose stored value is missing or is not its score."""
    return [row for row in _scored(database, "1 = 1") if row[2] != row[3]]
