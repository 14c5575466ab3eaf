"""Hash chains over the clinical records, so that a changed, removed or replaced
row shows.

Each chained table (plan revisions, status changes, symptom entries, handout
records, audit events, scale definitions, other medicines, the clinic's support
list and the support agreed) keeps its own chain in id order: a
row's `chain_hash` is SHA-256 over a canonical JSON of its clinical fields and
the hash of the row before it. The hash is computed in Python when the row is
inserted, inside the write's transaction (ChainedModel.save calls `stamp`), so
the row and its link commit together. `taperdesk verify` (storage.verify)
recomputes the chains from the raw rows.

Which fields count is fixed here, per table, and never changes for rows already
written: a later migration that adds a column to one of these tables must not
add it to FIELDS (old rows were hashed without it). A revision and a status
change also hash their plan's patient and drug, so a plan moved to another
patient by hand shows as well.

This is evidence, not a lock: anyone who can run SQL and read this module could
recompute the hashes. It catches a flipped byte, a hand edit with the sqlite3
shell and a replaced row, which is what the clinic file needs.

A revision's plan is hashed in its canonical form (`canonical_json`: parsed and
written compact, keys in their order), not as the bytes stored: indented and
compact text of the same plan hash alike, so the compacting rewrite of
migration 10 keeps every hash, while a changed dose, key or value still
breaks the chain. Text that does not parse is hashed as it is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from taperdesk.storage import backends

GENESIS = ""  # the "previous hash" of a chain's first row

# table -> the columns hashed, in order (id first: a row cannot move)
FIELDS: dict[str, tuple[str, ...]] = {
    "plan_revision": ("id", "plan_id", "number", "plan_json", "settings_json", "author_id", "created_at",
                      "reason"),
    "plan_status_event": ("id", "plan_id", "status", "at", "clinician_id", "reason"),
    "symptom_entry": ("id", "patient_id", "date", "scale", "items", "total", "entered_by_id", "entered_at",
                      "note", "supersedes_id", "retracted", "retraction_reason", "scale_version"),
    "handout": ("id", "revision_id", "kind", "created_at", "created_by_id", "sha256"),
    "audit_event": ("id", "at", "clinician_id", "action", "entity", "entity_id", "summary"),
    "scale_definition": ("id", "key", "version", "definition", "author_id", "created_at"),
    "other_medicine": ("id", "patient_id", "kind", "name", "dose", "since", "stopped", "units_week", "note",
                       "supersedes_id", "author_id", "created_at"),  # schema 13
    "support_list": ("id", "options", "author_id", "created_at"),  # schema 18
    "support_agreed": ("id", "patient_id", "plan_id", "options", "note", "author_id", "created_at"),  # schema 18
}
# tables whose rows also hash their plan's patient and drug
PLAN_CONTEXT = ("plan_revision", "plan_status_event")
CHAINED = tuple(FIELDS)
# columns hashed by their canonical JSON rather than their bytes
JSON_FIELDS: dict[str, tuple[int, ...]] = {"plan_revision": (FIELDS["plan_revision"].index("plan_json"),)}


def canonical_json(text: Any) -> Any:
    """The form a JSON column is hashed in: compact, keys in their stored order,
    non-ASCII as it is (what storage.plans.plan_json_text writes). Damaged text
    (not JSON) is left as it is, so it still fails its hash."""
    if not isinstance(text, str):
        return text
    try:
        return json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":"))
    except (ValueError, RecursionError):
        return text


def _canon(value: Any) -> Any:
    """A value as SQLite stores it (dates as ISO text, booleans as 0/1, blobs by digest)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"sha256": hashlib.sha256(bytes(value)).hexdigest()}
    return value


def digest(table: str, values: tuple | list, previous: str, context: tuple | list = ()) -> str:
    """The chain hash of one row: its fields in FIELDS order, its plan context, the previous hash."""
    values = [canonical_json(v) if n in JSON_FIELDS.get(table, ()) else v for n, v in enumerate(values)]
    return legacy_digest(table, values, previous, context)


def legacy_digest(table: str, values: tuple | list, previous: str, context: tuple | list = ()) -> str:
    """The hash over the stored bytes of every field, as before schema 10 (the
    plan's text as written, indentation and all): migration 10 uses it to tell
    an intact old row from a changed one before it rewrites the row."""
    payload = json.dumps([table, [_canon(v) for v in values], [_canon(v) for v in context], previous],
                         ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode("ascii")).hexdigest()


def select_sql(table: str, extra: str = "", database=None) -> str:
    """Raw rows: the hashed fields, the plan context, the stored hash (then `extra` columns)."""
    if database is None:
        from taperdesk.storage.models import db as database
    # on SQLite text comes back as bytes (decoded in split_row), so a damaged row that is not UTF-8 still reads
    raw = backends.of(database).raw_column
    cols = ", ".join(raw(f"t.{c}") for c in FIELDS[table])
    extra = f", {extra}" if extra else ""
    if table in PLAN_CONTEXT:
        return (f"SELECT {cols}, p.patient_id, p.drug, t.chain_hash{extra} FROM {table} t "
                f"LEFT JOIN plan p ON p.id = t.plan_id")
    return f"SELECT {cols}, t.chain_hash{extra} FROM {table} t"


def split_row(table: str, row: tuple) -> tuple[tuple, tuple, str | None]:
    """(fields, context, stored hash) of a row read with select_sql."""
    n = len(FIELDS[table])
    fields = tuple(v.decode("utf-8", "surrogateescape") if isinstance(v, bytes) else v for v in row[:n])
    return fields, tuple(row[n:-1]), row[-1]


def _plan_context(database, plan_id: Any) -> tuple:
    row = database.execute_sql("SELECT patient_id, drug FROM plan WHERE id = ?", (plan_id,)).fetchone()
    return tuple(row) if row else (None, None)


def last_hash(database, table: str) -> tuple[int, str]:
    """(largest id, its hash) of a chain: where the next row links on."""
    row = database.execute_sql(f"SELECT id, chain_hash FROM {table} ORDER BY id DESC LIMIT 1").fetchone()
    return (0, GENESIS) if row is None else (int(row[0]), row[1] or GENESIS)


def stamp(instance) -> None:
    """Give a model instance about to be inserted its id and chain hash.

    Runs inside the caller's write transaction (the single-writer lock and
    SQLite's write lock, or the server's advisory lock on the chain, keep the
    chain's end from moving under us)."""
    meta = instance._meta
    table = meta.table_name
    database = meta.database
    backends.of(database).lock_chain(database, table)
    last_id, previous = last_hash(database, table)
    instance.id = last_id + 1
    values = []
    for column in FIELDS[table]:
        field = meta.columns[column]
        values.append(field.db_value(instance.__data__.get(field.name)))
    context = _plan_context(database, values[1]) if table in PLAN_CONTEXT else ()
    instance.chain_hash = digest(table, values, previous, context)


def backfill(database, tables: tuple[str, ...] = CHAINED) -> None:
    """Chain the rows already in a file (migration 4), oldest first."""
    for table in tables:
        previous = GENESIS
        for row in database.execute_sql(select_sql(table, database=database) + " ORDER BY t.id").fetchall():
            fields, context, _stored = split_row(table, row)
            previous = digest(table, fields, previous, context)
            database.execute_sql(f"UPDATE {table} SET chain_hash = ? WHERE id = ?", (previous, fields[0]))
