"""What differs between the two databases a clinic can live in, one module per
backend: `sqlite` (a clinic file on one workstation, the default) and
`postgres` (a clinic server several rooms share). Migrations, the hash chains
and verify ask `of(database)` for the backend's triggers, schema version and
raw-row SQL, so the same numbered migrations build the same clinic on both."""

from __future__ import annotations

from types import ModuleType


def _unwrapped(database):
    """The real peewee database behind the models' proxy (or the one given)."""
    return getattr(database, "obj", None) or database


def of(database) -> ModuleType:
    """The backend module for a peewee database (or the proxy the models use)."""
    from taperdesk.storage.backends import postgres, sqlite

    return postgres if getattr(_unwrapped(database), "is_clinic_server", False) else sqlite


def is_server(database) -> bool:
    return getattr(_unwrapped(database), "is_clinic_server", False)


def migrator(database):
    """playhouse.migrate's migrator for this database (SQLite or PostgreSQL)."""
    from playhouse.migrate import SchemaMigrator

    return SchemaMigrator.from_database(_unwrapped(database))
