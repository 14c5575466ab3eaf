"""Schema 14: the clinic's list of non-drug support it offers.

- `support_list`: each saved version of the whole list (JSON of the core's
  option dicts: key, label, patient line, source), with who saved it and when.
  The newest row is the list in use; with no row the shipped list
  (data/support.toml) is. Append-only (UPDATE and DELETE refused by triggers),
  so the history shows what was offered when."""

from __future__ import annotations

from taperdesk.storage import backends

TABLE = """CREATE TABLE support_list (
    id INTEGER PRIMARY KEY,
    options TEXT NOT NULL,
    author_id INTEGER NOT NULL REFERENCES clinician (id),
    created_at TEXT NOT NULL
)"""


def up(database) -> None:
    backend = backends.of(database)
    database.execute_sql(backend.table_sql(TABLE))
    for sql in backend.append_only_triggers(("support_list",)):
        database.execute_sql(sql)
