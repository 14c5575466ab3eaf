"""Schema 4: tamper evidence.

- `chain_hash` on every clinical table (storage.chain): the rows already there
  are chained here, oldest first. That back-fill is the only UPDATE these tables
  ever see: the append-only UPDATE triggers are set aside for it and put back,
  word for word, in the same transaction.
- `<table>_no_replace`: a BEFORE INSERT trigger refusing a row whose id (or other
  unique key) already exists. `INSERT OR REPLACE` deletes the old row without
  firing the DELETE trigger (SQLite runs delete triggers on REPLACE only with
  recursive_triggers on), so until now it could rewrite history unnoticed.
- `<table>_needs_chain`: a row without a chain hash is refused, so a row written
  by hand cannot slip in unlinked.

storage.verify.expected_triggers() lists every append-only trigger a current
file must have; `taperdesk verify` checks sqlite_master against it."""

from __future__ import annotations

from taperdesk.storage import backends
from taperdesk.storage.backends import sqlite
from taperdesk.storage.chain import CHAINED, backfill

# the chained tables as they were at schema 4: a table chained by a later
# migration (which adds its own triggers) does not exist yet when this runs
CHAINED_AT_4 = ("plan_revision", "plan_status_event", "symptom_entry", "handout", "audit_event", "scale_definition")

# other unique keys a REPLACE could collide on (and so delete the old row)
UNIQUE_KEYS: dict[str, tuple[tuple[str, ...], ...]] = {
    "plan_revision": (("plan_id", "number"),),
    "symptom_entry": (("supersedes_id",),),
    "scale_definition": (("key", "version"),),
    "other_medicine": (("supersedes_id",),),
}


def _exists(table: str, columns: tuple[str, ...]) -> str:
    match = " AND ".join(f"{c} = NEW.{c}" for c in columns)
    return f"EXISTS (SELECT 1 FROM {table} WHERE {match})"


def insert_triggers(backend=sqlite, tables: tuple[str, ...] = CHAINED) -> dict[str, str]:
    out = {}
    for table in tables:
        taken = " OR ".join(_exists(table, cols) for cols in (("id",), *UNIQUE_KEYS.get(table, ())))
        out.update(backend.chain_triggers(table, taken))
    return out


def up(database) -> None:
    backend = backends.of(database)
    for table in CHAINED_AT_4:
        database.execute_sql(f"ALTER TABLE {table} ADD COLUMN chain_hash TEXT")
    kept = backend.set_aside_update_triggers(database, CHAINED_AT_4)
    backfill(database, CHAINED_AT_4)
    for sql in kept:
        database.execute_sql(sql)
    for sql in insert_triggers(backend, CHAINED_AT_4).values():
        database.execute_sql(sql)
