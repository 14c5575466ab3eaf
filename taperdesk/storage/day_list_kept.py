"""The day list kept, so opening the Today view reads the day's lines, not a
row for every patient: the same cost for a clinic of 1,000 as of 50,000.

`day_list_item` holds the lines storage/day_list_sql.py works out, for the
day and the windows `day_list_kept` names. They are kept true the way the
attention rows are (storage/attention.py):

- the daily roll, after it has brought the attention rows up to the new day,
  rebuilds every line (`rebuild`), in its transaction;
- every write that changes a patient's answer (an entry, a plan, a revision, a
  status, a name, a review booked, a pharmacy order) marks the patient, and
  `writing()` replaces that patient's lines (`replace_patients`) in the write's
  own transaction, after their attention row;
- a change of the clinic's windows (review interval, supply period) makes the
  kept lines not hold (`holds` compares the windows), and the next read on a
  writable file rebuilds them; a change of flare rule or scale empties both
  tables (`forget`).

Both the rebuild and the replacement lock the `day_list_kept` row first, so on a
clinic server two workstations' writes and a roll never interleave their lines.
`differences` compares the kept lines with a fresh working-out, for `taperdesk
verify` and the tests."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections import Counter

from taperdesk.storage import attention
from taperdesk.storage import day_list_dialect as dialect
from taperdesk.storage import day_list_sql as live
from taperdesk.storage.models import db

_INSERT = f"INSERT INTO day_list_item ({', '.join(live.COLUMNS)}) SELECT {', '.join(live.COLUMNS)} FROM items"


def rules_key(rules: live.DayListRules) -> str:
    return json.dumps(dataclasses.asdict(rules), sort_keys=True)


def _marker(*, lock: bool = False) -> tuple[str, str] | None:
    server = dialect.of(db) is dialect.PostgreSQL
    row = db.execute_sql("SELECT day, rules FROM day_list_kept WHERE id = 1"
                         + (" FOR UPDATE" if lock and server else "")).fetchone()
    return (row[0], row[1]) if row else None


def holds(day: dt.date, rules: live.DayListRules) -> bool:
    """Whether the kept lines are the list for `day` with these windows."""
    return _marker() == (day.isoformat(), rules_key(rules))


def _fill(day: dt.date, rules: live.DayListRules, only: list[int] | None) -> None:
    sql = dialect.of(db)
    text = live.worked_out(sql, live.kept_rows(sql, only), only=only) + _INSERT
    db.execute_sql(*live.numbered(text, live.values(day, rules, sql)))


def rebuild(day: dt.date, rules: live.DayListRules) -> None:
    """Every line for `day` from the attention rows (which the roll has just
    brought up to `day`). Call inside a write's transaction."""
    _lock_marker()
    db.execute_sql("DELETE FROM day_list_item")
    _fill(day, rules, None)
    db.execute_sql("INSERT INTO day_list_kept (id, day, rules) VALUES (1, ?, ?) "
                   "ON CONFLICT (id) DO UPDATE SET day = excluded.day, rules = excluded.rules",
                   (day.isoformat(), rules_key(rules)))


def _lock_marker() -> None:
    if dialect.of(db) is dialect.PostgreSQL:  # SQLite has one writer at a time already
        db.execute_sql("LOCK TABLE day_list_kept IN SHARE ROW EXCLUSIVE MODE")


def rebuild_for_roll(day: dt.date) -> None:
    """The roll's part: the lines for the new day with the windows last used
    (none kept yet: the first read builds them with the clinic's windows)."""
    marker = _marker()
    if marker is not None:
        rebuild(day, live.DayListRules(**json.loads(marker[1])))


def replace_patients(patient_ids: list[int], today: dt.date) -> None:
    """These patients' lines again, in the write's transaction, when the kept
    lines are today's (other days' lines are rebuilt by the next roll)."""
    if not patient_ids:
        return
    _lock_marker()
    marker = _marker()
    if marker is None or marker[0] != today.isoformat():
        return
    ids = sorted(set(patient_ids))
    db.execute_sql("DELETE FROM day_list_item WHERE patient_id" + live._among(ids))
    _fill(today, live.DayListRules(**json.loads(marker[1])), ids)


def forget() -> None:
    """The kept lines no longer hold (every answer may have changed)."""
    db.execute_sql("DELETE FROM day_list_item")
    db.execute_sql("DELETE FROM day_list_kept")


def kept_items_sql() -> str:
    """The WITH clause the list's reads use when the kept lines hold."""
    return f"WITH items AS NOT MATERIALIZED (SELECT {', '.join(live.COLUMNS)} FROM day_list_item)\n"


def differences(day: dt.date | None = None) -> list[tuple[int, str]]:
    """Where the kept lines and a fresh working-out disagree (when they are for
    `day`, default today): (patient id, what differs)."""
    day = day or attention.today()
    marker = _marker()
    if marker is None or marker[0] != day.isoformat():
        return []
    sql = dialect.of(db)
    rules = live.DayListRules(**json.loads(marker[1]))
    fields = ", ".join(live.COLUMNS)
    kept = db.execute_sql(f"SELECT {fields} FROM day_list_item").fetchall()
    source, extra = live.rows_source(day, sql, rolled=False)
    text = live.worked_out(sql, source) + f"SELECT {fields} FROM items"
    fresh = db.execute_sql(*live.numbered(text, {**live.values(day, rules, sql), **extra})).fetchall()

    def norm(rows) -> Counter:
        return Counter(tuple("" if v is None else str(v) for v in r) for r in rows)

    mine, theirs = norm(kept), norm(fresh)
    out = [(int(row[1]), f"day list line kept but not worked out: {row[0]} {row[7]!r} {row[6]!r}")
           for row in sorted((mine - theirs).elements())]
    out += [(int(row[1]), f"day list line worked out but not kept: {row[0]} {row[7]!r} {row[6]!r}")
            for row in sorted((theirs - mine).elements())]
    return out
