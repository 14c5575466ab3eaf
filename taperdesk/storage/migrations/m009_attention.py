"""Schema 9: the day list's derived data, and symptom scores stored when written.

- `patient_attention`: one row per patient saying why they need the clinician
  (the core's `attention` reasons, with a flare's evidence) and the dates the
  day list sorts by (next dose change, plan end, pause start, last review).
  It is derived data, rebuilt from the clinical tables at any time, so it is
  not append-only: each write that changes a patient's entries, plan revisions
  or status replaces that patient's row in the same transaction, and a daily
  roll replaces the rows whose `valid_until` has come. A row is good for the
  days `as_of` <= day < `valid_until`; a patient without a row is recomputed.
  The table starts empty here: the first roll fills it. `attention_roll`
  remembers the day of the last complete roll, so a second one that day costs
  one query.
- `symptom_entry.series_value`: the series value (`ScaleDefinition.score`) of an
  entry, checked and stored when it is written so reads never re-score. Rows
  written before this schema keep NULL (the append-only triggers refuse an
  UPDATE); reads score those few the old way.
"""

from __future__ import annotations

from taperdesk.storage import backends

TABLE = """
CREATE TABLE patient_attention (
    patient_id INTEGER PRIMARY KEY REFERENCES patient (id),
    as_of TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    reasons TEXT NOT NULL DEFAULT '[]',
    evidence TEXT NOT NULL DEFAULT '[]',
    plan_id INTEGER,
    status TEXT,
    drug TEXT,
    next_change TEXT,
    change_words TEXT NOT NULL DEFAULT '[]',
    change_dose TEXT NOT NULL DEFAULT '',
    last_day TEXT,
    paused_since TEXT,
    last_review TEXT,
    plan_start TEXT,
    CHECK (as_of < valid_until)
);
CREATE TABLE attention_roll (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    day TEXT NOT NULL
)"""

INDEXES = (
    "CREATE INDEX patient_attention_valid_until ON patient_attention (valid_until)",
    "CREATE INDEX patient_attention_next_change ON patient_attention (next_change)",
)


def up(database) -> None:
    backend = backends.of(database)
    for sql in TABLE.strip().split(";\n"):
        database.execute_sql(backend.table_sql(sql))
    for sql in INDEXES:
        database.execute_sql(sql)
    database.execute_sql("ALTER TABLE symptom_entry ADD COLUMN series_value INTEGER")
