"""What the day list asks of the kept attention table, answered in SQL.

The clinic's day (clinic/today.py) has groups: flares, dose changes today or
tomorrow, reviews due, other reasons, supplies due, long pauses, plans ending.
Each group is one SELECT over the rows that hold on the day, so the whole
clinic's counts come from one query, and the Today view fetches a group's
rows a page at a time as they come into view (ordered and cut in SQL): opening
the view costs the same for 1,000 patients as for 50,000, whatever the length
of the list. No plan is parsed and no patient's history is read here.

For today on a writable file the daily roll runs first and the table alone
answers. For another day, or on a file open read-only (`taperdesk today` while
the app has it), rows that do not hold on that day are worked out for this
answer only (storage/attention_rows.py) and joined in as one JSON parameter,
so the same SQL answers and nothing is written."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from taperdesk.storage import attention
from taperdesk.storage import day_list_dialect as dialect
from taperdesk.storage.attention_rows import FIELDS, compute
from taperdesk.storage.models import db

GROUP_KEYS = ("flares", "changes", "reviews", "attention", "supplies", "paused", "ending")


@dataclass(frozen=True)
class DayListRules:
    """The clinic's windows for the day list (clinic/today.py sets them)."""

    review_every_days: int
    review_ahead_days: int = 7
    ending_within_days: int = 7
    paused_longer_than_days: int = 28
    supply_days: int = 28  # the clinic's supply period, for plans without their own


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


def _rows_source(day: dt.date, sql) -> tuple[str, dict]:
    """SQL for every patient's row that holds on `day`, and its parameters."""
    kept = ("SELECT " + ", ".join(FIELDS) + " FROM patient_attention WHERE as_of <= :d AND "
            + sql.unindexed("valid_until") + " > :d")
    if _rolled_here(day):
        return kept, {}
    stale = attention.stale_ids(day)
    if not stale:
        return kept, {}
    extra = sql.rows_json(compute(stale, day).values())
    return f"{kept} UNION ALL {sql.rows_from_json(':extra', FIELDS)}", {"extra": extra}


_ITEMS = """
WITH a AS MATERIALIZED (
    SELECT x.patient_id, x.reasons, x.evidence, x.status, x.next_change, x.change_words, x.change_dose,
           x.last_day, x.paused_since, x.last_review, x.plan_start, p.name, p.identifier, p.phone, p.name_key
    FROM ({source}) x JOIN patient p ON p.id = x.patient_id
    WHERE p.archived = 0 AND x.status IN ('active', 'paused') AND (x.reasons <> '[]'
        OR x.next_change BETWEEN :d AND :d1 OR (x.status = 'paused' AND x.paused_since < :paused_before)
        OR x.last_day BETWEEN :d AND :end_by OR COALESCE(x.last_review, x.plan_start) <= :review_by)),
booked AS MATERIALIZED (
    SELECT r.patient_id, r.review_on FROM patient_review r
    WHERE r.id = (SELECT MAX(q.id) FROM patient_review q WHERE q.patient_id = r.patient_id)
    AND r.review_on IS NOT NULL),
reason AS NOT MATERIALIZED (
    SELECT a.*, j.value AS reason, {reason_n} AS n FROM a, {reasons} WHERE a.reasons <> '[]'),
orders AS MATERIALIZED (
    -- each plan's newest pharmacy order, where a supply can fall due today or tomorrow. Supply
    -- periods are 7, 14 or 28 days (the schema's CHECKs), so a period starts on day d or d + 1 only
    -- when (d - ordered) % 7 is 0 or 6: that test on the orders alone (no join) leaves about 2 in 7
    -- to look up the plan of, instead of every order in the clinic.
    SELECT pl.patient_id, r.plan_id, hh.ordered,
           COALESCE((SELECT pp.supply_days FROM plan_paper pp WHERE pp.plan_id = r.plan_id
                     ORDER BY pp.id DESC LIMIT 1), :supply) AS period
    FROM (SELECT revision_id, at, {local_at} AS ordered FROM (
              SELECT revision_id, MAX(created_at) AS at FROM handout WHERE kind = 'pharmacy' GROUP BY revision_id) lo
          WHERE {since_order} % 7 IN (0, 6)) hh
    JOIN plan_revision r ON r.id = hh.revision_id JOIN plan pl ON pl.id = r.plan_id
    WHERE NOT EXISTS (SELECT 1 FROM plan_revision r2 JOIN handout h2 ON h2.revision_id = r2.id
                      WHERE r2.plan_id = r.plan_id AND h2.kind = 'pharmacy' AND h2.created_at > hh.at)),
supply AS NOT MATERIALIZED (
    SELECT o.*, {due} AS due FROM (
        SELECT x.patient_id, x.last_day, p.name, p.identifier, p.phone, p.name_key, orders.ordered, orders.period,
               {since_ordered} AS k
        FROM orders JOIN ({source}) x ON x.patient_id = orders.patient_id AND x.plan_id = orders.plan_id
        JOIN patient p ON p.id = x.patient_id WHERE x.status = 'active' AND p.archived = 0) o
    WHERE o.k > 0),
items (grp, patient_id, name, identifier, phone, name_key, whenever, what, more, n) AS {items_kind} (
    SELECT 'flares', patient_id, name, identifier, phone, name_key, NULL, reason, evidence, n
    FROM reason WHERE substr(reason, 1, 5) = 'Flare'
    UNION ALL
    SELECT 'changes', patient_id, name, identifier, phone, name_key, next_change, change_words, change_dose, 0
    FROM a WHERE next_change BETWEEN :d AND :d1
    UNION ALL
    SELECT 'reviews', b.patient_id, p.name, p.identifier, p.phone, p.name_key, b.review_on, 'booked', NULL, 0
    FROM booked b JOIN patient p ON p.id = b.patient_id WHERE p.archived = 0 AND b.review_on <= :ahead
    UNION ALL
    SELECT 'reviews', patient_id, name, identifier, phone, name_key, last_review, reason, NULL, n
    FROM reason WHERE substr(reason, 1, 14) = 'Review overdue'
    UNION ALL
    SELECT 'reviews', patient_id, name, identifier, phone, name_key,
           {review_due}, 'due', last_review, 0
    FROM a WHERE COALESCE(last_review, plan_start) <= :review_by AND {no_overdue}
    AND NOT EXISTS (SELECT 1 FROM booked b WHERE b.patient_id = a.patient_id)
    UNION ALL
    SELECT 'attention', patient_id, name, identifier, phone, name_key,
           CASE WHEN substr(reason, 1, 11) = 'No symptoms' THEN NULL ELSE next_change END, reason, NULL, n
    FROM reason WHERE substr(reason, 1, 5) <> 'Flare' AND substr(reason, 1, 14) <> 'Review overdue'
    AND NOT (substr(reason, 1, 11) = 'Step change' AND next_change IS NOT NULL AND next_change <= :d1)
    UNION ALL
    SELECT 'supplies', patient_id, name, identifier, phone, name_key, due, {period}, ordered, 0
    FROM supply WHERE due <= :d1 AND (last_day IS NULL OR due <= last_day)
    UNION ALL
    SELECT 'paused', patient_id, name, identifier, phone, name_key, paused_since, NULL, NULL, 0
    FROM a WHERE status = 'paused' AND paused_since < :paused_before
    UNION ALL
    SELECT 'ending', patient_id, name, identifier, phone, name_key, last_day, NULL, NULL, 0
    FROM a WHERE status = 'active' AND last_day BETWEEN :d AND :end_by)
"""


def _rolled_here(day: dt.date) -> bool:
    """Today on a writable file: the roll keeps every row good for the day."""
    return day == attention.today() and not attention._connection().current().read_only


def _query(day: dt.date, rules: DayListRules, tail: str, params: dict | None = None, *,
           items_twice: bool = False) -> list[tuple]:
    if _rolled_here(day):
        attention.roll(day)  # once a day (a query after that); before the read, in its own write
    sql = dialect.of(db)
    with attention._connection().reading():
        source, extra = _rows_source(day, sql)
        one = dt.timedelta(days=1)
        values = {"d": day.isoformat(), "d1": (day + one).isoformat(),
                  "ahead": (day + (rules.review_ahead_days - 1) * one).isoformat(),
                  "review_by": (day + (rules.review_ahead_days - 1 - rules.review_every_days) * one).isoformat(),
                  "every": rules.review_every_days,
                  "end_by": (day + (rules.ending_within_days - 1) * one).isoformat(),
                  "paused_before": (day - rules.paused_longer_than_days * one).isoformat(),
                  "supply": rules.supply_days, **sql.zone(), **extra, **(params or {})}
        reasons, reason_n = sql.reasons("a.reasons")
        text = _ITEMS.format(
            source=source, items_kind="MATERIALIZED" if items_twice else "NOT MATERIALIZED",
            local_at=sql.local_date("at"), since_order=sql.days_between(":d", sql.local_date("at")),
            since_ordered=sql.days_between(":d", "orders.ordered"),
            due=sql.add_days(":d", "(o.period - o.k % o.period) % o.period"),
            reasons=reasons, reason_n=reason_n, period=sql.as_text("period"),
            review_due=sql.add_days("COALESCE(last_review, plan_start)", ":every"),
            no_overdue=sql.lacks("reasons", "'\"Review overdue'"))
        return db.execute_sql(*dialect.numbered(text + tail.format(order=_order(sql)), values)).fetchall()


def _order(sql) -> str:
    return ", ".join((sql.in_order("COALESCE(whenever, '')"), sql.in_order("name_key"), "patient_id", "n"))
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
    """One query: the counts and the first page of every group (cut in SQL)."""
    rows = _query(day, rules, f"""
        SELECT {_COLUMNS}, total FROM (
            SELECT items.*, COUNT(*) OVER (PARTITION BY grp) AS total,
                   ROW_NUMBER() OVER (PARTITION BY grp ORDER BY {{order}}) AS rn FROM items) ranked
        WHERE rn <= :page
        UNION ALL SELECT '', COUNT(DISTINCT patient_id), NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM items
        """, {"page": per_group}, items_twice=True)
    counts = dict.fromkeys(GROUP_KEYS, 0)
    first: dict[str, list[DayListItem]] = {key: [] for key in GROUP_KEYS}
    patients = 0
    for row in rows:
        if row[0] == "":
            patients = row[1]
            continue
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
