"""A file made by schema 1 is migrated in place (after a backup), keeping its
rows; the models agree with the migrated schema column for column."""

from __future__ import annotations

import sqlite3

from peewee import SqliteDatabase

from taperdesk import storage
from taperdesk.storage.migrations import LATEST_VERSION, MIGRATIONS, apply_migrations, schema_version
from taperdesk.storage.models import ALL_MODELS, db

from .conftest import table_dump


def _make_schema_1_file(path):
    """What TaperDesk with schema 1 wrote: migration 1 only, with some rows."""
    old = SqliteDatabase(str(path), pragmas={"journal_mode": "wal", "foreign_keys": 1})
    old.connect()
    assert apply_migrations(old, upto=1) == [1]
    old.execute_sql(
        "INSERT INTO clinician (name, name_key, role, password_hash, password_salt, password_params,"
        " active, created_at) VALUES ('Dr Old', 'dr old', 'clinician', x'00', x'00', 'scrypt:n=16,r=1,p=1',"
        " 1, '2025-01-01T00:00:00.000000Z')")
    old.execute_sql(
        "INSERT INTO patient (name, name_key, born, identifier, identifier_key, created_at)"
        " VALUES ('Old Patient', 'old patient', '1950-05-05', 'P-1', 'p-1', '2025-01-01T00:00:00.000000Z')")
    old.execute_sql("UPDATE clinic_settings SET name = 'Old Clinic' WHERE id = 1")
    old.close()


def test_schema_1_file_is_migrated_keeping_rows(db_path):
    _make_schema_1_file(db_path)
    before = table_dump(db_path)
    session = storage.open_database(db_path)
    assert session.migrated == [n for n, _up in MIGRATIONS if n >= 2]
    assert session.schema_version == LATEST_VERSION == schema_version(db)
    assert session.backup is not None  # the pre-migration state is kept
    assert table_dump(session.backup) == before
    settings = storage.get_clinic_settings()
    assert settings.name == "Old Clinic" and settings.backup_keep == 30
    [p] = storage.search_patients(text="P-1")
    assert p.identifier == "P-1"


def test_models_match_the_migrated_schema(opened):
    for model in ALL_MODELS:
        table = model._meta.table_name
        columns = {c.name for c in db.get_columns(table)}
        assert columns == {f.column_name for f in model._meta.sorted_fields}, table


def test_migrating_twice_is_a_no_op(opened):
    assert apply_migrations(db) == []


def test_plain_sqlite_sees_the_application_id(db_path, opened):
    storage.close_database()
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == 0x54445331
    conn.close()
