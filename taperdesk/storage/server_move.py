"""`taperdesk move-to postgresql://...`: a clinic file copied into an EMPTY
server database, then compared table by table before anything is kept.

The file is held with the single-writer lock and read in one snapshot. On the
server, in ONE transaction: the numbered migrations build the schema, every
table's rows are copied with their ids (parents before children), the id
counters are moved past the copied ids, then each table is compared with the
file (row count, a SHA-256 over every row in id order, and for the chained
tables the last link of the hash chain). Any difference rolls the whole
transaction back, so the server database is either the identical clinic or
as empty as it was."""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from peewee import SqliteDatabase

from taperdesk.storage import chain
from taperdesk.storage.backends import postgres
from taperdesk.storage.errors import NoClinicFileError, StorageError
from taperdesk.storage.failures import DB_ERRORS, translate
from taperdesk.storage.fileinfo import inspect_file, read_only_uri
from taperdesk.storage.lock import acquire
from taperdesk.storage.migrations import LATEST_VERSION, apply_migrations
from taperdesk.storage.models import db
from taperdesk.storage.paths import ServerAddress

BATCH = 5000  # rows read from the file at a time


class TargetNotEmptyError(StorageError):
    """The server database already holds tables: move-to never mixes two clinics."""


class MoveMismatchError(StorageError):
    """A table on the server differs from the file after the copy (rolled back)."""


@dataclass(frozen=True)
class TableCheck:
    table: str
    rows: int
    digest: str  # SHA-256 over the rows in id order, identical on both sides
    chain_end: str = ""  # the last chain hash, for the chained tables


@dataclass(frozen=True)
class MoveReport:
    source: Path
    target: ServerAddress
    tables: tuple[TableCheck, ...]

    def lines(self) -> list[str]:
        out = [f"Moved {self.source} to the {self.target.name} ({self.target}); every table checked identical:"]
        for t in self.tables:
            end = f", chain ends {t.chain_end[:12]}" if t.chain_end else ""
            out.append(f"  {t.table}: {t.rows} rows, SHA-256 {t.digest[:12]}{end}")
        out.append(f"Point every workstation at it: --db URL or TAPERDESK_DB=URL. Keep {self.source} as it is "
                   f"(a record of the clinic before the move); do not use it for new work.")
        return out


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]


def _key(conn: sqlite3.Connection, table: str) -> str:
    keys = [r[1] for r in sorted(conn.execute(f'PRAGMA table_info("{table}")'), key=lambda r: r[5]) if r[5]]
    return ", ".join(keys) if keys else "rowid"


def _parents_first(conn: sqlite3.Connection, tables: list[str]) -> list[str]:
    """Tables ordered so each comes after the tables its foreign keys name."""
    needs = {t: {r[2] for r in conn.execute(f'PRAGMA foreign_key_list("{t}")')} - {t} for t in tables}
    ordered: list[str] = []
    while needs:
        ready = sorted(t for t, parents in needs.items() if parents <= set(ordered))
        if not ready:
            raise StorageError(f"the clinic file's tables refer to each other in a loop ({', '.join(sorted(needs))})")
        ordered += ready
        for t in ready:
            del needs[t]
    return ordered


def table_digest(rows) -> tuple[int, str]:
    """(row count, SHA-256) of rows as both databases return them: ints, text,
    bytes and NULLs, whose repr is the same on both sides for the same value."""
    h, n = hashlib.sha256(), 0
    for row in rows:
        n += 1
        h.update(repr(tuple(row)).encode("utf-8", "surrogateescape"))
        h.update(b"\n")
    return n, h.hexdigest()


def _check(source: sqlite3.Connection, server, table: str, columns: list[str], key: str) -> TableCheck:
    cols = ", ".join(f'"{c}"' for c in columns)
    sql = f'SELECT {cols} FROM "{table}" ORDER BY {key}'
    n_file, d_file = table_digest(source.execute(sql))
    n_server, d_server = table_digest(server.execute_sql(sql))
    end = ""
    if table in chain.CHAINED:
        last = f'SELECT chain_hash FROM "{table}" ORDER BY id DESC LIMIT 1'
        end_file = (source.execute(last).fetchone() or [""])[0] or ""
        end = (server.execute_sql(last).fetchone() or [""])[0] or ""
        if end != end_file:
            raise MoveMismatchError(f"the hash chain of {table} ends differently on the server; nothing was kept")
    if (n_file, d_file) != (n_server, d_server):
        raise MoveMismatchError(f"{table} differs on the server ({n_server} rows against {n_file} in the file); "
                                f"nothing was kept")
    return TableCheck(table, n_file, d_file, end)


def _copy(source: sqlite3.Connection, server, table: str, columns: list[str], key: str) -> None:
    cols = ", ".join(f'"{c}"' for c in columns)
    cursor = source.execute(f'SELECT {cols} FROM "{table}" ORDER BY {key}')
    while rows := cursor.fetchmany(BATCH):
        server.insert_rows(table, columns, rows)
    if "id" in columns:
        server.execute_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM \"{table}\" "
                           f"HAVING max(id) IS NOT NULL")


def move_to_server(*, source: Path, target: ServerAddress) -> MoveReport:
    """Copy the clinic file `source` into the empty server database `target` and prove it identical."""
    info = inspect_file(source, quick_check=True)
    if not info.exists or info.schema_version == 0:
        raise NoClinicFileError(f"There is no clinic in {source}; nothing was moved: check --db FILE.")
    if info.schema_version < LATEST_VERSION:
        raise StorageError(f"{source} has schema version {info.schema_version}: open it once in this TaperDesk "
                           f"(it is brought up to date, with a backup first), then move it; nothing was moved.")
    lock = acquire(source)  # nobody writes the file while it is copied
    try:
        conn = sqlite3.connect(read_only_uri(source), uri=True)
        try:
            conn.execute("BEGIN")  # one snapshot of the file
            return _move(conn, source, target)
        finally:
            conn.close()
    except DB_ERRORS as exc:
        raise translate(exc, target if isinstance(exc, postgres_errors()) else source) from None
    finally:
        lock.release()


def postgres_errors() -> tuple:
    import psycopg2
    import peewee

    return (psycopg2.Error, peewee.OperationalError)


def _move(conn: sqlite3.Connection, source: Path, target: ServerAddress) -> MoveReport:
    server = postgres.ClinicServer(target.url)
    try:
        server.connect()
        present = postgres.user_tables(server)
        if present:
            raise TargetNotEmptyError(
                f"The {target.name} ({target}) is not empty (it has {len(present)} tables, e.g. {present[0]}); "
                f"nothing was copied: move a clinic only into a new, empty database.")
        tables = [t for t in _parents_first(conn, [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")])]
        checks = []
        db.initialize(server)  # the migrations read through the models (nothing else is open in this process)
        with server.atomic():
            apply_migrations(server)
            missing = sorted(set(tables) - set(postgres.user_tables(server)))
            if missing:
                raise MoveMismatchError(f"the server's schema has no table {missing[0]}; nothing was kept")
            for table in tables:
                columns, key = _columns(conn, table), _key(conn, table)
                server.execute_sql(f'DELETE FROM "{table}"')  # rows a migration seeded (the clinic's settings)
                _copy(conn, server, table, columns, key)
            for table in tables:
                checks.append(_check(conn, server, table, _columns(conn, table), _key(conn, table)))
        server.execute_sql("ANALYZE")  # the planner's statistics, before the first workstation asks anything
        return MoveReport(source, target, tuple(checks))
    finally:
        db.initialize(SqliteDatabase(None))
        server.close()
