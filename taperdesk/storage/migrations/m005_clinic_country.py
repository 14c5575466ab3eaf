"""Schema 5: the clinic's country and the emergency number its handouts give.

First run now asks for them (with the clinic's name, phone, prescribers, paper
and stock) before the first account, so a handout can say "call 999" or "call
911" instead of listing every country's number. Plain ADD COLUMN with an SQL
default, as schema 3 did: no table rebuild and no UPDATE."""

from __future__ import annotations

from taperdesk.storage import backends

from peewee import SQL, TextField
from playhouse.migrate import migrate


def up(database) -> None:
    migrator = backends.migrator(database)
    migrate(
        migrator.add_column("clinic_settings", "country", TextField(default="", constraints=[SQL("DEFAULT ''")]),
                            allow_not_null=True),
        migrator.add_column("clinic_settings", "emergency_number",
                            TextField(default="", constraints=[SQL("DEFAULT ''")]), allow_not_null=True),
    )
