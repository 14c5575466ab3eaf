"""The PostgreSQL bits, for a clinic server several rooms share.

- `ClinicServer`: peewee's PostgresqlDatabase (psycopg2) that takes the SQL the
  storage layer writes for SQLite: `?` and `?1` placeholders become psycopg's
  `%s` (and a literal `%` is doubled), booleans and dates go in as SQLite keeps
  them (0/1, ISO text) and bytea comes back as bytes, so every repository, the
  hash chains and verify read the same values on both databases.
- The schema version and application id live in a one-row `taperdesk_schema`
  table (SQLite keeps them in the file header).
- Append-only is enforced by trigger functions that raise, on UPDATE, DELETE
  and TRUNCATE; PostgreSQL has no INSERT OR REPLACE (an upsert fires the UPDATE
  trigger), so the primary key alone refuses a row whose id exists.
- A chain's next row is stamped under a transaction-scoped advisory lock on
  that chain, so two workstations saving at once queue instead of colliding.
- Failures (server unreachable, wrong password, no such database) become one
  StorageError line naming the server, never the password."""

from __future__ import annotations

import datetime as dt
import re
import zlib
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit, urlunsplit

from peewee import PostgresqlDatabase

NAME = "postgresql"
SCHEMA_TABLE = "taperdesk_schema"
APPEND_ONLY_FUNCTION = "taperdesk_append_only"
NEEDS_CHAIN_FUNCTION = "taperdesk_needs_chain"
CONNECT_TIMEOUT_S = 5

_PLACEHOLDER = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|\?(\d*)|%")


def _value(value):
    """A parameter as SQLite would store it: booleans as 0/1, dates as ISO text."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def portable(sql: str, params: Sequence | None) -> tuple[str, tuple | None]:
    """SQL written with SQLite's `?`/`?N` placeholders as psycopg2 takes it.
    Peewee's own queries already use `%s` and pass through with their values
    converted."""
    if not params:
        return sql, None
    if "%s" in sql and "?" not in sql:
        return sql, tuple(_value(v) for v in params)
    ordered: list = []
    position = 0

    def swap(match: re.Match) -> str:
        nonlocal position
        text = match.group(0)
        if text == "%":
            return "%%"
        if text[0] != "?":
            return text.replace("%", "%%")  # a quoted literal: psycopg2 still formats it
        if match.group(1):
            ordered.append(params[int(match.group(1)) - 1])
        else:
            ordered.append(params[position])
            position += 1
        return "%s"

    out = _PLACEHOLDER.sub(swap, sql)
    return out, tuple(_value(v) for v in ordered)


class _Cursor:
    """psycopg2's cursor taking SQLite-style SQL (see `portable`)."""

    __slots__ = ("_cursor",)

    def __init__(self, cursor) -> None:
        self._cursor = cursor

    def execute(self, sql, params=None):
        sql, params = portable(sql, params)
        return self._cursor.execute(sql, params)

    def executemany(self, sql, rows):
        rows = list(rows)
        if not rows:
            return None
        template, _ = portable(sql, rows[0])
        return self._cursor.executemany(template, [portable(sql, r)[1] for r in rows])

    def __iter__(self):
        return iter(self._cursor)

    def __getattr__(self, name):
        return getattr(self._cursor, name)


def _bytes_caster():
    import psycopg2
    from psycopg2 import extensions

    def cast(value, cursor):
        raw = psycopg2.BINARY(value, cursor)
        return None if raw is None else bytes(raw)

    return extensions.new_type(psycopg2.BINARY.values, "TAPERDESK_BYTES", cast)


class ClinicServer(PostgresqlDatabase):
    """The clinic's PostgreSQL database, speaking the storage layer's SQLite dialect of parameters."""

    is_clinic_server = True

    def __init__(self, url: str, *, read_only: bool = False, **kwargs) -> None:
        self.url = url
        options = "-c default_transaction_read_only=on" if read_only else ""
        super().__init__(url, connect_timeout=CONNECT_TIMEOUT_S, application_name="TaperDesk",
                         options=options, **kwargs)

    def _connect(self):
        conn = super()._connect()
        from psycopg2 import extensions

        extensions.register_type(_bytes_caster(), conn)
        return conn

    def cursor(self, named_cursor=None):
        return _Cursor(super().cursor())

    def insert_rows(self, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
        """Many rows read from a clinic file, in few statements (multi-row VALUES): move-to."""
        from psycopg2.extras import execute_values

        cols = ", ".join(f'"{c}"' for c in columns)
        execute_values(super().cursor(), f'INSERT INTO "{table}" ({cols}) VALUES %s',
                       rows, page_size=1000)  # SQLite's own values: ints, text, bytes, NULL


def is_url(text) -> bool:
    return isinstance(text, str) and text.startswith(("postgresql://", "postgres://"))


def shown(url: str) -> str:
    """The URL as messages show it: the password replaced by ***."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit((parts.scheme, f"{user}:***@{host}", parts.path, parts.query, parts.fragment))


# -- schema version --------------------------------------------------------------
def schema_version(database) -> int:
    if database.execute_sql("SELECT to_regclass(?)", (SCHEMA_TABLE,)).fetchone()[0] is None:
        return 0
    row = database.execute_sql(f"SELECT version FROM {SCHEMA_TABLE}").fetchone()
    return int(row[0]) if row else 0


def application_id(database) -> int | None:
    if database.execute_sql("SELECT to_regclass(?)", (SCHEMA_TABLE,)).fetchone()[0] is None:
        return None
    row = database.execute_sql(f"SELECT application_id FROM {SCHEMA_TABLE}").fetchone()
    return int(row[0]) if row else None


def _ensure_schema_table(database) -> None:
    database.execute_sql(f"CREATE TABLE IF NOT EXISTS {SCHEMA_TABLE} (id INTEGER PRIMARY KEY CHECK (id = 1), "
                         f"application_id BIGINT NOT NULL DEFAULT 0, version INTEGER NOT NULL DEFAULT 0)")
    database.execute_sql(f"INSERT INTO {SCHEMA_TABLE} (id) VALUES (1) ON CONFLICT (id) DO NOTHING")


def set_schema_version(database, number: int) -> None:
    _ensure_schema_table(database)
    database.execute_sql(f"UPDATE {SCHEMA_TABLE} SET version = ? WHERE id = 1", (int(number),))


def mark_clinic(database, app_id: int) -> None:
    _ensure_schema_table(database)
    database.execute_sql(f"UPDATE {SCHEMA_TABLE} SET application_id = ? WHERE id = 1", (int(app_id),))


def user_tables(database) -> list[str]:
    return [r[0] for r in database.execute_sql(
        "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema() ORDER BY tablename")]


# -- tables ------------------------------------------------------------------------
_ID_KEY = re.compile(r"\bid INTEGER PRIMARY KEY\b")


def table_sql(sql: str) -> str:
    """A migration's CREATE TABLE (SQLite's dialect) as PostgreSQL takes it: an
    `id INTEGER PRIMARY KEY` numbers itself (an identity column, which also
    takes the ids a chained row brings), BLOB is BYTEA."""
    sql = _ID_KEY.sub("id INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", sql)
    return re.sub(r"\bBLOB\b", "BYTEA", sql)


# -- triggers ------------------------------------------------------------------------
_FUNCTIONS = {
    APPEND_ONLY_FUNCTION: "BEGIN RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP; END;",
    NEEDS_CHAIN_FUNCTION: ("BEGIN IF NEW.chain_hash IS NULL OR length(NEW.chain_hash) <> 64 THEN "
                           "RAISE EXCEPTION '% rows need their chain hash', TG_TABLE_NAME; END IF; "
                           "RETURN NEW; END;"),
}


def functions() -> list[str]:
    """The trigger functions (schema 1 creates them; CREATE OR REPLACE, so later migrations may too)."""
    return [f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $body$ {body} $body$"
            for name, body in _FUNCTIONS.items()]


def _trigger(name: str, when: str, table: str, level: str, function: str) -> str:
    # worded as pg_get_triggerdef() prints it, so verify compares like with like
    return f"CREATE TRIGGER {name} {when} ON public.{table} FOR EACH {level} EXECUTE FUNCTION {function}()"


def append_only_triggers(tables: Iterable[str]) -> list[str]:
    out = []
    for table in tables:
        out.append(_trigger(f"{table}_no_update", "BEFORE UPDATE", table, "ROW", APPEND_ONLY_FUNCTION))
        out.append(_trigger(f"{table}_no_delete", "BEFORE DELETE", table, "ROW", APPEND_ONLY_FUNCTION))
        out.append(_trigger(f"{table}_no_truncate", "BEFORE TRUNCATE", table, "STATEMENT", APPEND_ONLY_FUNCTION))
    return out


def chain_triggers(table: str, taken: str) -> dict[str, str]:
    """A row without its chain hash refused (schema 4). No REPLACE trigger: an
    upsert runs the UPDATE trigger and the primary key refuses a taken id."""
    return {f"{table}_needs_chain": _trigger(f"{table}_needs_chain", "BEFORE INSERT", table, "ROW",
                                             NEEDS_CHAIN_FUNCTION)}


def present_triggers(database) -> dict[str, str]:
    """name -> definition as the server has it, with its function's body; a
    disabled trigger reads as such (ALTER TABLE ... DISABLE TRIGGER is a way round it)."""
    rows = database.execute_sql(
        "SELECT t.tgname, pg_get_triggerdef(t.oid), t.tgenabled, p.prosrc FROM pg_trigger t "
        "JOIN pg_proc p ON p.oid = t.tgfoid WHERE NOT t.tgisinternal")
    out = {}
    for name, definition, enabled, body in rows:
        state = "" if enabled in ("O", b"O") else " DISABLED"
        out[name] = " ".join(f"{definition}{state} AS {body}".split())
    return out


def expected_text(sql: str) -> str:
    function = sql.rsplit("EXECUTE FUNCTION ", 1)[1].removesuffix("()")
    return " ".join(f"{sql} AS {_FUNCTIONS[function]}".split())


def set_aside_update_triggers(database, tables: Iterable[str]) -> list[str]:
    kept = []
    for table in tables:
        if database.execute_sql("SELECT 1 FROM pg_trigger WHERE tgname = ?", (f"{table}_no_update",)).fetchone():
            database.execute_sql(f"ALTER TABLE {table} DISABLE TRIGGER {table}_no_update")
            kept.append(f"ALTER TABLE {table} ENABLE TRIGGER {table}_no_update")
    return kept


# -- the hash chains ----------------------------------------------------------------
def raw_column(expr: str) -> str:
    return expr


def raw_text(expr: str) -> str:
    return f"convert_to({expr}, 'UTF8')"


def lock_chain(database, table: str) -> None:
    """Hold the chain's end until this transaction ends (another workstation waits)."""
    database.execute_sql("SELECT pg_advisory_xact_lock(?, ?)", (0x5444, zlib.crc32(table.encode()) & 0x7FFFFFFF))
