"""Schema 12: who has a patient open for editing, for working side by side.

`patient_lock`: at most one row per patient naming the account, the
workstation and the app session holding it, since when, and its last
heartbeat. A row whose heartbeat is older than storage.patient_locks.STALE_S
is free to take (the workstation lost its connection or crashed). Not a
clinical record: rows are replaced and deleted as patients are opened and
closed, and nothing is printed from them. Plain SQL that SQLite and PostgreSQL
both run."""

from __future__ import annotations

TABLES = (
    """CREATE TABLE patient_lock (
    patient_id INTEGER PRIMARY KEY REFERENCES patient (id),
    clinician_id INTEGER NOT NULL REFERENCES clinician (id),
    workstation TEXT NOT NULL,
    session TEXT NOT NULL,
    since TEXT NOT NULL,
    heartbeat TEXT NOT NULL
)""",
    "CREATE INDEX patient_lock_session ON patient_lock (session)",
)


def up(database) -> None:
    for sql in TABLES:
        database.execute_sql(sql)
