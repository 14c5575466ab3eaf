"""Schema 16: the day list itself kept, so the Today view reads a list the
size of the day's work rather than a row for every patient.

- `day_list_item`: the lines of the clinic's day list (storage/day_list.py's
  groups: flares, changes, reviews, attention, supplies, paused, ending) as they
  stand for one day. Derived data, like `patient_attention`: the daily roll
  rebuilds it once for the new day, and every write that changes a patient's
  answer replaces that patient's lines in the same transaction. `sort_when` is
  the line's date with '' for none, so the list's order (date, name, patient,
  reason) is an index range; on a server the index sorts bytewise ("C"), as
  SQLite does.
- `day_list_kept`: the day the lines are for and the clinic's windows they
  were worked out with (review interval, look-ahead, pause threshold, supply
  period). A read for another day, or with other windows, does not use them."""

from __future__ import annotations

from taperdesk.storage import backends

TABLES = ("""CREATE TABLE day_list_item (
    id INTEGER PRIMARY KEY,
    grp TEXT NOT NULL,
    patient_id INTEGER NOT NULL REFERENCES patient (id),
    name TEXT,
    identifier TEXT,
    phone TEXT,
    name_key TEXT,
    whenever TEXT,
    what TEXT,
    more TEXT,
    n INTEGER NOT NULL DEFAULT 0,
    sort_when TEXT NOT NULL DEFAULT ''
)""", """CREATE TABLE day_list_kept (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    day TEXT NOT NULL,
    rules TEXT NOT NULL
)""")


def up(database) -> None:
    backend = backends.of(database)
    for table in TABLES:
        database.execute_sql(backend.table_sql(table))
    order = ('sort_when COLLATE "C", name_key COLLATE "C"' if backends.is_server(database)
             else "sort_when, name_key")
    database.execute_sql(f"CREATE INDEX day_list_item_order ON day_list_item (grp, {order}, patient_id, n)")
    database.execute_sql("CREATE INDEX day_list_item_patient ON day_list_item (patient_id)")
