"""Schema 18: the clinic's support list (schema 14) and the support agreed with
each patient (schema 15) are hash-chained like the other clinical records.

Both were append-only from the start but unchained, so a row changed with the
triggers set aside, or a row removed, left no trace; an agreement is printed on
the patient's advice page, so it needs the same evidence as a plan. Here:
- `chain_hash` on both tables, the rows already there chained oldest first (the
  only UPDATE they ever see: their UPDATE triggers are set aside for it and put
  back, word for word, in the same transaction);
- `<table>_no_replace` and `<table>_needs_chain` as schema 4 gave the others
  (on the server: `<table>_needs_chain`).
storage.verify checks the tables' append-only triggers (as schemas 14 and 15
wrote them) and walks both chains."""

from __future__ import annotations

from taperdesk.storage import backends
from taperdesk.storage.chain import backfill
from taperdesk.storage.migrations.m004_hash_chains import insert_triggers

TABLES = ("support_list", "support_agreed")


def up(database) -> None:
    backend = backends.of(database)
    for table in TABLES:
        database.execute_sql(f"ALTER TABLE {table} ADD COLUMN chain_hash TEXT")
    kept = backend.set_aside_update_triggers(database, TABLES)
    backfill(database, TABLES)
    for sql in kept:
        database.execute_sql(sql)
    for sql in insert_triggers(backend, TABLES).values():
        database.execute_sql(sql)
