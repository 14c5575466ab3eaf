"""What the Today view and `taperdesk today` ask of the day list, answered in SQL.

The clinic's day (clinic/today.py) has groups: flares, dose changes today or
tomorrow, reviews due, other reasons, supplies due, long pauses, plans ending.
The whole clinic's counts and the first page of every group come from one
query, and the Today view fetches a group's further lines a page at a time as
they come into view (ordered and cut in SQL).

For today on a writable file the day's lines are kept (storage/day_list_kept.py):
the roll rebuilds them once a day and each write replaces its patient's, so
opening the view reads as many rows as the day has lines, the same for 1,000
patients as for 50,000. For another day, or a file opened read-only before the
day's roll, the lines are worked out from the attention rows for this answer
only (storage/day_list_sql.py) and nothing is written."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from taperdesk.storage import attention
from taperdesk.storage import day_list_dialect as dialect
from taperdesk.storage import day_list_kept as kept
from taperdesk.storage import day_list_sql as live
from taperdesk.storage.day_list_sql import GROUP_KEYS, DayListRules  # noqa: F401 (this module's words too)
from taperdesk.storage.models import db


@dataclass(frozen=True)
class DayListItem:
    """One line of the day list as stored: the clinic layer words it.

    `what` and `more` depend on the group: a reason and the flare's evidence
    (JSON list); a change's words (JSON list) and daily dose; 'booked', a
    reason, or 'due' with the last review; a supply's period and order day."""

    group: str
    patient_id: int
    name: str
    identifier: str
    phone: str
    when: dt.date | None
    what: str | None
    more: str | None


def _rolled_here(day: dt.date) -> bool:
    """Today on a writable file: the roll keeps every row good for the day."""
    return day == attention.today() and not attention._connection().current().read_only


def _query(day: dt.date, rules: DayListRules, tail: str, params: dict | None = None, *,
           items_twice: bool = False, kept_tail: str | None = None) -> list[tuple]:
    """`tail` (a SELECT over `items`) answered from the kept lines when they hold
    for `day` (`kept_tail` instead, where given: it reads `day_list_item` by its
    index), else from lines worked out for this answer."""
    rolled = _rolled_here(day)
    if rolled:
        attention.roll(day)  # once a day (a query after that); before the read, in its own write
        if not kept.holds(day, rules):
            with attention._connection().writing():
                kept.rebuild(day, rules)
    sql = dialect.of(db)
    with attention._connection().reading():
        if kept.holds(day, rules):  # the kept lines: as many rows as the day's work
            text, extra = kept.kept_items_sql(), {}
            tail = kept_tail or tail
        else:  # another day, other windows, or a read-only file before today's roll
            source, extra = live.rows_source(day, sql, rolled=rolled)
            text = live.worked_out(sql, source, twice=items_twice)
        values = {**live.values(day, rules, sql), **extra, **(params or {})}
        return db.execute_sql(*dialect.numbered(text + tail.format(order=_order(sql)), values)).fetchall()


def _order(sql) -> str:
    return ", ".join((sql.in_order("sort_when"), sql.in_order("name_key"), "patient_id", "n"))
_RANK = "CASE grp " + " ".join(f"WHEN '{k}' THEN {n}" for n, k in enumerate(GROUP_KEYS)) + " END"
_NO_LIMIT = 2**62  # LIMIT -1 is SQLite's "all"; PostgreSQL refuses it
_COLUMNS = "grp, patient_id, name, identifier, phone, whenever, what, more"


def _item(row: tuple) -> DayListItem:
    g, pid, name, ident, phone, when, what, more = row
    return DayListItem(g, pid, name, ident, phone, dt.date.fromisoformat(when) if when else None,
                       None if what is None else str(what), None if more is None else str(more))


@dataclass(frozen=True)
class DayListOpening:
    """What the Today view opens with: every group's count, the number of
    patients, and the first `per_group` lines of each group."""

    counts: dict[str, int]
    patients: int
    first: dict[str, list[DayListItem]]


def opening(day: dt.date, rules: DayListRules, per_group: int) -> DayListOpening:
    """One query: the counts and the first page of every group (cut in SQL).
    From the kept lines each group's page is an index range and the counts a
    scan of the index: a few milliseconds for 15,000 lines."""
    pages = " UNION ALL ".join(
        f"SELECT {_COLUMNS}, CAST(NULL AS BIGINT) FROM (SELECT {_COLUMNS} FROM day_list_item WHERE grp = '{key}' "
        f"ORDER BY {{order}} LIMIT :page) g{n}" for n, key in enumerate(GROUP_KEYS))
    nothing = ", ".join(["NULL"] * 7)
    kept_tail = (f"{pages} UNION ALL SELECT grp, {nothing}, COUNT(*) FROM day_list_item GROUP BY grp "
                 f"UNION ALL SELECT '', COUNT(DISTINCT patient_id), {nothing[:-6]}, NULL FROM day_list_item")
    rows = _query(day, rules, f"""
        SELECT {_COLUMNS}, total FROM (
            SELECT items.*, COUNT(*) OVER (PARTITION BY grp) AS total,
                   ROW_NUMBER() OVER (PARTITION BY grp ORDER BY {{order}}) AS rn FROM items) ranked
        WHERE rn <= :page
        UNION ALL SELECT '', COUNT(DISTINCT patient_id), NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM items
        """, {"page": per_group}, items_twice=True, kept_tail=kept_tail)
    counts = dict.fromkeys(GROUP_KEYS, 0)
    first: dict[str, list[DayListItem]] = {key: [] for key in GROUP_KEYS}
    patients = 0
    for row in rows:
        if row[0] == "":
            patients = row[1]
        elif row[1] is None:  # a kept group's count
            counts[row[0]] = row[-1]
        else:
            if row[-1] is not None:
                counts[row[0]] = row[-1]
            first[row[0]].append(_item(row[:-1]))
    return DayListOpening(counts, patients, first)


def counts(day: dt.date, rules: DayListRules) -> tuple[dict[str, int], int]:
    """How many lines each group has on `day`, and how many patients are on the list."""
    found = opening(day, rules, 0)
    return found.counts, found.patients


def items(day: dt.date, rules: DayListRules, group: str | None = None, *, offset: int = 0,
          limit: int | None = None) -> list[DayListItem]:
    """A group's lines (every group's when `group` is None) in the list's order:
    by date, then name, then patient; `offset` and `limit` cut a page."""
    if group is not None and group not in GROUP_KEYS:
        raise ValueError(f"no day-list group {group!r}")
    tail = (f"SELECT {_COLUMNS} FROM items" + (" WHERE grp = :group" if group is not None else "")
            + f" ORDER BY {_RANK}, {{order}} LIMIT :limit OFFSET :offset")
    rows = _query(day, rules, tail, {"group": group, "limit": _NO_LIMIT if limit is None else limit,
                                     "offset": offset})
    return [_item(r) for r in rows]
