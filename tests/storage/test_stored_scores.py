"""An entry's stored score (symptom_entry.series_value) is what the plot, the
flare rule and the day list read instead of re-scoring: whatever is written,
corrected or retracted, under whichever version of its scale, the stored value
always equals the entry re-scored by the definition it was made with. And the
scores read back are the ones written, each entry with a dict of its own (the
reader parses each distinct text once and hands out copies)."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taperdesk import storage
from taperdesk.core.scales import load_scales
from taperdesk.storage import scores
from taperdesk.storage.connection import reading
from taperdesk.storage.models import db
from tests.conftest import examples

DAY = dt.date(2026, 1, 5)


@st.composite
def answers(draw, definition) -> dict[str, int]:
    """Scores a clinician could enter: every required item, and any of the others."""
    required = set(definition.required_keys)
    keys = [i for i in definition.items if i.key in required or draw(st.booleans())]
    return {i.key: draw(st.integers(i.low, i.high)) for i in keys}


@st.composite
def histories(draw):
    """(scale, corrected?, retracted?) for a few entries; 'daily-sleep' is the daily rating
    under a clinic's later version whose headline is sleep, not severity."""
    return [(draw(st.sampled_from(["daily", "daily-sleep", "ciwa-b"])), draw(st.booleans()), draw(st.booleans()))
            for _ in range(draw(st.integers(1, 4)))]


def _stored(entry_id: int) -> int | None:
    with reading():
        (value,), = db.execute_sql("SELECT series_value FROM symptom_entry WHERE id = ?", (entry_id,)).fetchall()
    return value


@settings(max_examples=examples(12, 300), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data(), steps=histories())
def test_a_stored_score_always_equals_the_entry_re_scored(doctor, patient, data, steps):
    shipped = load_scales()["daily"]
    # saving the same edit again stores nothing: every example has the same two versions
    sleep = storage.save_scale_definition(definition=shipped.to_dict() | {"headline": "sleep"}, author=doctor)
    made = {"daily": ("daily", shipped.version), "daily-sleep": ("daily", sleep.version),
            "ciwa-b": ("ciwa-b", load_scales()["ciwa-b"].version)}
    written = []
    for scale, correct, retract in steps:
        key, version = made[scale]
        definition = storage.scale_definition(key=key, version=version)
        entry = storage.add_symptom_entry(patient_id=patient.id, date=DAY, scale=key, author=doctor,
                                          items=data.draw(answers(definition)), scale_version=version)
        written.append(entry)
        if correct:
            entry = storage.correct_symptom_entry(entry_id=entry.id, items=data.draw(answers(definition)),
                                                  author=doctor, note="misheard")
            written.append(entry)
        if retract:
            written.append(storage.retract_symptom_entry(entry_id=entry.id, reason="wrong patient", author=doctor))
    for entry in written:
        made_with = storage.scale_definition(key=entry.scale, version=entry.scale_version)
        assert _stored(entry.id) == made_with.score(entry.items) == scores.series_value(
            made_with, entry.items, entry.total)
    with reading():
        assert scores.mismatches(db) == []
        raw = dict(db.execute_sql("SELECT id, items FROM symptom_entry WHERE patient_id = ?", (patient.id,)))
    read = storage.symptom_entries(patient_id=patient.id, include_history=True)
    assert {e.id: e.items for e in read} == {i: json.loads(text) for i, text in raw.items()}
    assert len({id(e.items) for e in read}) == len(read)  # each entry's own dict: changing one changes no other
