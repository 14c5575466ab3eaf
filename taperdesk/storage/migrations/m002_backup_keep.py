"""Schema 2: how many automatic daily backups to keep becomes a clinic setting
(it was a constant). Written with playhouse.migrate, as later migrations are."""

from __future__ import annotations

from taperdesk.storage import backends

from peewee import IntegerField
from playhouse.migrate import migrate


def up(database) -> None:
    migrator = backends.migrator(database)
    migrate(migrator.add_column("clinic_settings", "backup_keep", IntegerField(default=30)))
