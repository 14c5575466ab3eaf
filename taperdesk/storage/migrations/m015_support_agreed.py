"""Schema 15: the non-drug support agreed with each patient.

- `support_agreed`: one row each time what was agreed is recorded (the whole
  set: an empty set means none now), with the options as they read that day
  (JSON: key, label, patient line, source), the plan it was agreed for (if
  any), a note, who recorded it and when. The newest row per patient counts
  and the handout's advice page prints it. Append-only (UPDATE and DELETE
  refused by triggers): the history shows what was agreed when."""

from __future__ import annotations

from taperdesk.storage import backends

TABLE = """CREATE TABLE support_agreed (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patient (id),
    plan_id INTEGER REFERENCES plan (id),
    options TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    author_id INTEGER NOT NULL REFERENCES clinician (id),
    created_at TEXT NOT NULL
)"""


def up(database) -> None:
    backend = backends.of(database)
    database.execute_sql(backend.table_sql(TABLE))
    database.execute_sql("CREATE INDEX support_agreed_patient ON support_agreed (patient_id)")
    for sql in backend.append_only_triggers(("support_agreed",)):
        database.execute_sql(sql)
