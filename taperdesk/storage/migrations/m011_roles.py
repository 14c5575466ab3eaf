"""Schema 11: roles for accounts, a password that must be changed, nurse holds.

- `clinician.roles`: the account's roles, comma-joined in the order of
  core.roles.ROLES ('administrator,prescriber'). Schema 1's `role` column stays
  (its CHECK allows only 'clinician' and 'staff', and rebuilding a table every
  record points at is not worth it): it is kept in step as the coarse
  'clinician' (administers or prescribes) or 'staff'.
  Existing accounts: every 'clinician' becomes administrator + prescriber (all
  they could do before, so a single-clinician clinic works as it did), every
  'staff' account a nurse.
- `clinician.must_change_password`: 1 after an administrator resets the
  password; sign-in then asks for a new one before anything else.
- `hold_delegation`: a prescriber letting nurses hold a plan for at most
  `max_days` days per hold (0 withdraws it); append-only, the newest row for a
  plan counts (core.roles, "HOLD DELEGATION").

Plain ADD COLUMN with SQL defaults and UPDATEs by value: the same statements
run on SQLite and PostgreSQL."""

from __future__ import annotations

from taperdesk.storage import backends
from taperdesk.storage.backends import sqlite

COLUMNS = (
    "ALTER TABLE clinician ADD COLUMN roles TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE clinician ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0",
)
BACKFILL = (
    "UPDATE clinician SET roles = 'administrator,prescriber' WHERE role = 'clinician'",
    "UPDATE clinician SET roles = 'nurse' WHERE role = 'staff'",
)
TABLES = (
    """CREATE TABLE hold_delegation (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plan (id),
    max_days INTEGER NOT NULL CHECK (max_days >= 0 AND max_days <= 28),
    author_id INTEGER NOT NULL REFERENCES clinician (id),
    created_at TEXT NOT NULL
)""",
    "CREATE INDEX hold_delegation_plan ON hold_delegation (plan_id)",
)
APPEND_ONLY = ("hold_delegation",)


def _triggers(backend=sqlite) -> list[str]:
    return backend.append_only_triggers(APPEND_ONLY)


def up(database) -> None:
    backend = backends.of(database)
    for sql in COLUMNS + BACKFILL + TABLES:
        database.execute_sql(backend.table_sql(sql))
    for sql in _triggers(backend):
        database.execute_sql(sql)
