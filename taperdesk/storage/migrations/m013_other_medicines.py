"""Schema 13: what the patient takes besides the taper.

- `other_medicine`: the patient's other medicines, other sedating substances and
  alcohol (units a week), one row per thing recorded. Nothing is changed in
  place: a change or a stop is a new row that `supersedes` the one before (a
  stop carries the stop date), so the history shows what was taken when. The
  table is append-only and hash-chained like the other clinical records
  (UPDATE, DELETE and REPLACE refused; a row without its chain hash refused).
"""

from __future__ import annotations

from taperdesk.storage import backends
from taperdesk.storage.backends import sqlite
from taperdesk.storage.migrations.m004_hash_chains import insert_triggers

TABLE = """
CREATE TABLE other_medicine (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patient (id),
    kind TEXT NOT NULL CHECK (kind IN ('medicine', 'substance', 'alcohol')),
    name TEXT NOT NULL CHECK (name <> ''),
    dose TEXT NOT NULL DEFAULT '',
    since TEXT,
    stopped TEXT,
    units_week DOUBLE PRECISION CHECK (units_week IS NULL OR (units_week >= 0 AND units_week <= 500)),
    note TEXT NOT NULL DEFAULT '',
    supersedes_id INTEGER UNIQUE REFERENCES other_medicine (id),
    author_id INTEGER NOT NULL REFERENCES clinician (id),
    created_at TEXT NOT NULL,
    chain_hash TEXT
)"""

APPEND_ONLY = ("other_medicine",)


def _triggers(backend=sqlite) -> list[str]:
    return backend.append_only_triggers(APPEND_ONLY)


def up(database) -> None:
    backend = backends.of(database)
    database.execute_sql(backend.table_sql(TABLE.strip()))
    database.execute_sql("CREATE INDEX other_medicine_patient ON other_medicine (patient_id)")
    for sql in _triggers(backend):
        database.execute_sql(sql)
    for sql in insert_triggers(backend, APPEND_ONLY).values():
        database.execute_sql(sql)
