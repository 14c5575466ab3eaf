"""The SQLite bits: the schema version and application id in the file header
(PRAGMA), the append-only triggers as SQLite writes them, and raw rows read as
bytes so a damaged row that is not UTF-8 still reads. The trigger texts here
are the ones every released clinic file carries: they never change."""

from __future__ import annotations

from collections.abc import Iterable

NAME = "sqlite"


def schema_version(database) -> int:
    return int(database.execute_sql("PRAGMA user_version").fetchone()[0])


def set_schema_version(database, number: int) -> None:
    database.execute_sql(f"PRAGMA user_version = {int(number)}")


def mark_clinic(database, application_id: int) -> None:
    database.execute_sql(f"PRAGMA application_id = {int(application_id)}")


def table_sql(sql: str) -> str:
    """CREATE TABLE text as the migrations write it (SQLite's own dialect)."""
    return sql


def append_only_triggers(tables: Iterable[str]) -> list[str]:
    """UPDATE and DELETE refused on each table, in the words schema 1 used."""
    return [
        f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {op} refused'); END"
        for table in tables
        for op in ("UPDATE", "DELETE")
    ]


def functions() -> list[str]:
    """SQLite triggers need no functions."""
    return []


def chain_triggers(table: str, taken: str) -> dict[str, str]:
    """A REPLACE refused (`taken`: the SQL saying the row's keys exist) and a row
    without its chain hash refused (schema 4)."""
    return {
        f"{table}_no_replace": (
            f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} WHEN {taken} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: that row exists, REPLACE refused'); END"),
        f"{table}_needs_chain": (
            f"CREATE TRIGGER {table}_needs_chain BEFORE INSERT ON {table} "
            f"WHEN NEW.chain_hash IS NULL OR length(NEW.chain_hash) <> 64 "
            f"BEGIN SELECT RAISE(ABORT, '{table} rows need their chain hash'); END"),
    }


def present_triggers(database) -> dict[str, str]:
    """name -> the trigger's text as stored (verify compares it word for word)."""
    return {name: sql or "" for name, sql in
            database.execute_sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")}


def expected_text(sql: str) -> str:
    """How an expected trigger's CREATE text compares with a stored one."""
    return " ".join(sql.split())


def set_aside_update_triggers(database, tables: Iterable[str]) -> list[str]:
    """Drop the tables' UPDATE triggers for a back-fill; returns the SQL that puts them back."""
    kept = []
    for table in tables:
        name = f"{table}_no_update"
        row = database.execute_sql("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                                   (name,)).fetchone()
        if row is not None:
            kept.append(row[0])
            database.execute_sql(f"DROP TRIGGER {name}")
    return kept


def raw_column(expr: str) -> str:
    """A column read for hashing: text as bytes (decoded by chain.split_row)."""
    return f"CASE WHEN typeof({expr}) = 'text' THEN CAST({expr} AS BLOB) ELSE {expr} END"


def raw_text(expr: str) -> str:
    return f"CAST({expr} AS BLOB)"


def lock_chain(database, table: str) -> None:
    """Nothing to do: the clinic file's single-writer lock and SQLite's write
    lock keep a chain's end still while a row is stamped."""


def user_tables(database) -> list[str]:
    return [r[0] for r in database.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
