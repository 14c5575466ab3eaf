"""The day list worked out from the kept attention rows: one SQL text whose
last table, `items`, holds every line of the clinic's day list for a day.

storage/day_list.py reads it when no kept list holds for the day asked (another
day, other windows, a file opened read-only before today's roll);
storage/day_list_kept.py runs it to keep the list: once a day for everyone,
and for the patients a write touched (`only`), inside that write. Each group is
one SELECT over the rows that hold on the day; no plan is parsed and no
patient's history is read here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from taperdesk.storage import attention
from taperdesk.storage import day_list_dialect as dialect
from taperdesk.storage.attention_rows import FIELDS, compute

GROUP_KEYS = ("flares", "changes", "reviews", "attention", "supplies", "paused", "ending")
COLUMNS = ("grp", "patient_id", "name", "identifier", "phone", "name_key", "whenever", "what", "more", "n",
           "sort_when")


@dataclass(frozen=True)
class DayListRules:
    """The clinic's windows for the day list (clinic/today.py sets them)."""

    review_every_days: int
    review_ahead_days: int = 7
    ending_within_days: int = 7
    paused_longer_than_days: int = 28
    supply_days: int = 28  # the clinic's supply period, for plans without their own


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
    AND r.review_on IS NOT NULL{only_booked}),
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
              SELECT revision_id, MAX(created_at) AS at FROM handout WHERE kind = 'pharmacy'{only_orders}
              GROUP BY revision_id) lo
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
listed (grp, patient_id, name, identifier, phone, name_key, whenever, what, more, n) AS NOT MATERIALIZED (
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
    FROM a WHERE status = 'active' AND last_day BETWEEN :d AND :end_by),
items AS {items_kind} (SELECT listed.*, COALESCE(whenever, '') AS sort_when FROM listed)
"""


def _among(ids: list[int] | None) -> str:
    """` IN (...)` of these patient ids (ints, so written into the SQL), or '' for everyone."""
    return "" if ids is None else " IN (" + (", ".join(str(int(i)) for i in ids) or "NULL") + ")"


def kept_rows(sql, only: list[int] | None = None) -> str:
    """The kept attention rows that hold on :d (of these patients only)."""
    among = _among(only)
    return ("SELECT " + ", ".join(FIELDS) + " FROM patient_attention WHERE as_of <= :d AND "
            + sql.unindexed("valid_until") + " > :d" + (f" AND patient_id{among}" if among else ""))


def rows_source(day: dt.date, sql, *, rolled: bool) -> tuple[str, dict]:
    """SQL for every patient's row that holds on `day`, and its parameters. After
    today's roll (`rolled`) the table alone answers; otherwise the rows that do
    not hold on `day` are worked out for this answer only and joined in as one
    JSON parameter, so the same SQL answers and nothing is written."""
    kept = kept_rows(sql)
    if rolled:
        return kept, {}
    stale = attention.stale_ids(day)
    if not stale:
        return kept, {}
    extra = sql.rows_json(compute(stale, day).values())
    return f"{kept} UNION ALL {sql.rows_from_json(':extra', FIELDS)}", {"extra": extra}


def values(day: dt.date, rules: DayListRules, sql) -> dict:
    """The parameters every version of the list's SQL takes."""
    one = dt.timedelta(days=1)
    return {"d": day.isoformat(), "d1": (day + one).isoformat(),
            "ahead": (day + (rules.review_ahead_days - 1) * one).isoformat(),
            "review_by": (day + (rules.review_ahead_days - 1 - rules.review_every_days) * one).isoformat(),
            "every": rules.review_every_days,
            "end_by": (day + (rules.ending_within_days - 1) * one).isoformat(),
            "paused_before": (day - rules.paused_longer_than_days * one).isoformat(),
            "supply": rules.supply_days, **sql.zone()}


def worked_out(sql, source: str, *, only: list[int] | None = None, twice: bool = False) -> str:
    """The WITH clause ending in `items` over `source` (every patient's rows, or
    `only` these patients'); `twice` when the tail reads `items` more than once."""
    reasons, reason_n = sql.reasons("a.reasons")
    among = _among(only)
    return _ITEMS.format(
        source=source, items_kind="MATERIALIZED" if twice else "NOT MATERIALIZED",
        only_booked=f" AND r.patient_id{among}" if among else "",
        only_orders=(" AND revision_id IN (SELECT r.id FROM plan_revision r JOIN plan pl ON pl.id = r.plan_id "
                     f"WHERE pl.patient_id{among})") if among else "",
        local_at=sql.local_date("at"), since_order=sql.days_between(":d", sql.local_date("at")),
        since_ordered=sql.days_between(":d", "orders.ordered"),
        due=sql.add_days(":d", "(o.period - o.k % o.period) % o.period"),
        reasons=reasons, reason_n=reason_n, period=sql.as_text("period"),
        review_due=sql.add_days("COALESCE(last_review, plan_start)", ":every"),
        no_overdue=sql.lacks("reasons", "'\"Review overdue'"))


def numbered(text: str, params: dict) -> tuple[str, list]:
    return dialect.numbered(text, params)
