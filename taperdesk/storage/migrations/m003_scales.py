"""Schema 3: symptom scales a clinic may edit, and its flare thresholds.

- `scale_definition`: each saved version of a scale definition (the JSON of the
  core's `ScaleDefinition.to_dict()`), append-only like the other history tables;
  the shipped definitions (data/scales.toml, version 1) are not copied in.
- `symptom_entry.scale_version`: the version of the definition an entry was made
  with; entries already there were made with the shipped version 1.
- `clinic_settings.supervision`: the clinic's flare thresholds as JSON; `{}` means
  the defaults from data/supervision.toml.

Columns are added with playhouse.migrate as plain ADD COLUMN with an SQL default
(no table rebuild and no UPDATE, which the append-only triggers would refuse);
the new table, like schema 1, is frozen SQL text."""

from __future__ import annotations

from taperdesk.storage import backends
from taperdesk.storage.backends import sqlite

from peewee import SQL, Check, IntegerField, TextField
from playhouse.migrate import migrate

TABLE = """
CREATE TABLE scale_definition (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL CHECK (key <> ''),
    version INTEGER NOT NULL CHECK (version >= 1),
    definition TEXT NOT NULL,
    author_id INTEGER NOT NULL REFERENCES clinician (id),
    created_at TEXT NOT NULL,
    UNIQUE (key, version)
)"""

APPEND_ONLY = ("scale_definition",)


def _triggers(backend=sqlite) -> list[str]:
    return backend.append_only_triggers(APPEND_ONLY)


def up(database) -> None:
    backend = backends.of(database)
    database.execute_sql(backend.table_sql(TABLE.strip()))
    for sql in _triggers(backend):
        database.execute_sql(sql)
    migrator = backends.migrator(database)
    migrate(
        migrator.add_column(
            "symptom_entry", "scale_version",
            IntegerField(default=1, constraints=[SQL("DEFAULT 1"), Check("scale_version >= 1")]),
            allow_not_null=True),
        migrator.add_column(
            "clinic_settings", "supervision",
            TextField(default="{}", constraints=[SQL("DEFAULT '{}'")]),
            allow_not_null=True),
    )
