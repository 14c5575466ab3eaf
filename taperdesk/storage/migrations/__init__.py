"""Numbered migrations, applied in order at start-up, on SQLite and PostgreSQL
alike. The schema version lives in SQLite's `PRAGMA user_version` or the
server's `taperdesk_schema` row (storage/backends), written in the same
transaction as the DDL, so a crash leaves either the old or the new schema,
never half of one."""

from __future__ import annotations

from collections.abc import Callable

from taperdesk.storage import backends
from taperdesk.storage.migrations import (
    m001_first_schema,
    m002_backup_keep,
    m003_scales,
    m004_hash_chains,
    m005_clinic_country,
    m007_paper,
    m009_attention,
    m010_compact_and_scored,
    m011_roles,
    m012_patient_locks,
    m013_other_medicines,
    m014_support_list,
    m015_support_agreed,
    m016_day_list_kept,
    m018_support_chains,
)

APPLICATION_ID = m001_first_schema.APPLICATION_ID

MIGRATIONS: tuple[tuple[int, Callable], ...] = (
    (1, m001_first_schema.up),
    (2, m002_backup_keep.up),
    (3, m003_scales.up),
    (4, m004_hash_chains.up),
    (5, m005_clinic_country.up),
    (7, m007_paper.up),
    (9, m009_attention.up),
    (10, m010_compact_and_scored.up),
    (11, m011_roles.up),
    (12, m012_patient_locks.up),
    (13, m013_other_medicines.up),
    (14, m014_support_list.up),
    (15, m015_support_agreed.up),
    (16, m016_day_list_kept.up),
    (18, m018_support_chains.up),
)
LATEST_VERSION = MIGRATIONS[-1][0]
# migrations that can free much of the file (10: plans compacted): when one says
# it changed rows, VACUUM after, so the file gets smaller on disk, not just emptier
SHRINKS = frozenset({10})


def schema_version(database) -> int:
    return backends.of(database).schema_version(database)


def apply_migrations(database, *, upto: int = LATEST_VERSION) -> list[int]:
    """Bring the open database up to `upto`; return the versions applied."""
    applied, shrunk = [], False
    current = schema_version(database)
    for number, up in MIGRATIONS:
        if current < number <= upto:
            with database.atomic():
                changed = up(database)
                backends.of(database).set_schema_version(database, number)
            applied.append(number)
            shrunk = shrunk or (number in SHRINKS and bool(changed))
    if shrunk:
        _vacuum(database)
    return applied


def _vacuum(database) -> None:
    """Give the freed pages back to the disk (outside any transaction). It needs
    room for a copy of the file: on a full disk the file keeps its size, and
    later writes reuse the free pages."""
    from peewee import DatabaseError

    if backends.is_server(database):
        return  # PostgreSQL's autovacuum gives the space back by itself
    try:
        database.execute_sql("VACUUM")
    except DatabaseError:
        pass
