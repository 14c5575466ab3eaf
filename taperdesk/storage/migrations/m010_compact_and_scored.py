"""Schema 10: stored plans compact, every entry scored.

- Plans written before the compact form (indented JSON: about half of a large
  clinic file) are rewritten compact (storage.plans.plan_json_text's form:
  same keys, order and numbers). The plan is hashed by its canonical form
  (storage.chain.canonical_json), so the rewrite keeps a row's meaning and its
  hash agrees with it. A row whose plan was hashed by its bytes (before this
  schema) gets its new hash here only if the old one held: a row changed by
  hand before the upgrade keeps its text and its stored hash and still fails
  `taperdesk verify`. The rows after it link on to whatever is stored before
  them, as verify walks the chain.
- `symptom_entry.series_value` is filled for the entries written before
  schema 9 (storage.scores), so no read re-scores an entry.

Both are the only UPDATEs these tables see after migration 4: the append-only
UPDATE triggers are set aside for them and put back word for word, in this
migration's transaction (a failure leaves schema 9 with its triggers).

The file shrinks only by a VACUUM after the migration's transaction
(migrations.apply_migrations runs it when `up` says plans were rewritten):
on the 10,000-patient bench clinic, plans 211 MB -> 117 MB, the file 624 MB ->
531 MB (both VACUUMed)."""

from __future__ import annotations

from taperdesk.storage import backends, chain

BATCH = 1000  # revisions read at a time
SET_ASIDE = ("plan_revision_no_update", "symptom_entry_no_update")


def _set_aside(database) -> list[str]:
    """Set aside the UPDATE triggers this migration must pass (SQLite: dropped;
    PostgreSQL: disabled); return the SQL that puts them back."""
    tables = [name.removesuffix("_no_update") for name in SET_ASIDE]
    return backends.of(database).set_aside_update_triggers(database, tables)


def compact_plans(database) -> int:
    """Rewrite the plans not stored compact; re-link the chain from the first
    one. Returns how many plans were rewritten."""
    table = "plan_revision"
    at = chain.FIELDS[table].index("plan_json")
    previous_old = previous_new = chain.GENESIS
    rewritten, last_id = 0, 0
    while True:  # a batch at a time: a large clinic's plans are a few hundred MB
        rows = database.execute_sql(chain.select_sql(table, database=database) +
                                    " WHERE t.id > ? ORDER BY t.id LIMIT ?",
                                    (last_id, BATCH)).fetchall()
        if not rows:
            return rewritten
        updates = []
        for row in rows:
            fields, context, stored = chain.split_row(table, row)
            text = fields[at]
            compact = chain.canonical_json(text)
            intact = stored in (chain.legacy_digest(table, fields, previous_old, context),
                                chain.digest(table, fields, previous_old, context))
            if intact:
                new_fields = (*fields[:at], compact, *fields[at + 1:])
                new_hash = chain.digest(table, new_fields, previous_new, context)
                if compact != text or new_hash != stored:
                    updates.append((compact, new_hash, fields[0]))
                    rewritten += compact != text
            else:  # changed before the upgrade: left as found, so verify still reports it
                new_hash = stored
            previous_old, previous_new = stored or chain.GENESIS, new_hash or chain.GENESIS
            last_id = fields[0]
        database.cursor().executemany("UPDATE plan_revision SET plan_json = ?, chain_hash = ? WHERE id = ?",
                                      updates)


def up(database) -> int:
    """Returns how many plans were rewritten (a VACUUM follows when any were)."""
    from taperdesk.storage import scores

    kept = _set_aside(database)
    rewritten = compact_plans(database)
    scores.fill(database)
    for sql in kept:
        database.execute_sql(sql)
    return rewritten
