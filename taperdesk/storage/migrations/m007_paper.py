"""Schema 7: what the papers need to remember.

- `calendar_export`: each .ics file given to a patient, with every event's UID,
  SEQUENCE and content digest (JSON), so the next file can bump the SEQUENCE of
  a changed event and send the ones the plan no longer has as cancelled; a
  phone that imported the old file then shows exactly the new plan.
- `plan_paper`: the prescriber chosen for a plan and its pharmacy supply period
  (7, 14 or 28 days); a change is a new row, the newest counts.
- `patient_review`: the patient's next review date as set in the app; a new
  row for each change, the newest counts.
- `clinic_settings.calendar_names`: 1 when the clinic allows the patient's name
  in calendar files (they may sync to a phone's cloud calendar), 0 by default;
  `clinic_settings.supply_days`: the clinic's default supply period.

The three tables are append-only like the other history tables (UPDATE and
DELETE refused by triggers)."""

from __future__ import annotations

from taperdesk.storage import backends
from taperdesk.storage.backends import sqlite

from peewee import SQL, Check, IntegerField
from playhouse.migrate import migrate

TABLES = (
    """CREATE TABLE calendar_export (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patient (id),
    plan_id INTEGER NOT NULL REFERENCES plan (id),
    revision_id INTEGER NOT NULL REFERENCES plan_revision (id),
    events TEXT NOT NULL,
    created_at TEXT NOT NULL
)""",
    "CREATE INDEX calendar_export_patient ON calendar_export (patient_id, plan_id)",
    """CREATE TABLE plan_paper (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plan (id),
    prescriber TEXT NOT NULL,
    supply_days INTEGER NOT NULL CHECK (supply_days IN (7, 14, 28)),
    author_id INTEGER NOT NULL REFERENCES clinician (id),
    created_at TEXT NOT NULL
)""",
    "CREATE INDEX plan_paper_plan ON plan_paper (plan_id)",
    """CREATE TABLE patient_review (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patient (id),
    review_on TEXT,
    author_id INTEGER NOT NULL REFERENCES clinician (id),
    created_at TEXT NOT NULL
)""",
    "CREATE INDEX patient_review_patient ON patient_review (patient_id)",
)

APPEND_ONLY = ("calendar_export", "plan_paper", "patient_review")


def _triggers(backend=sqlite) -> list[str]:
    return backend.append_only_triggers(APPEND_ONLY)


def up(database) -> None:
    backend = backends.of(database)
    for sql in TABLES:
        database.execute_sql(backend.table_sql(sql))
    for sql in _triggers(backend):
        database.execute_sql(sql)
    migrator = backends.migrator(database)
    migrate(
        migrator.add_column(
            "clinic_settings", "calendar_names",
            IntegerField(default=0, constraints=[SQL("DEFAULT 0"), Check("calendar_names IN (0, 1)")]),
            allow_not_null=True),
        migrator.add_column(
            "clinic_settings", "supply_days",
            IntegerField(default=28, constraints=[SQL("DEFAULT 28"), Check("supply_days IN (7, 14, 28)")]),
            allow_not_null=True),
    )
