"""The few words of the day list's SQL (storage/day_list.py) that differ
between a clinic file (SQLite) and a clinic server (PostgreSQL), so the one
query answers the same on both: date arithmetic over ISO text, unnesting a
JSON array (with each element's position, for a stable order), the local
date of a UTC timestamp, text order, and the parameter style."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

from taperdesk.storage import backends
from taperdesk.storage.attention_rows import FIELDS, to_tuple


class SQLite:
    """The day list's few words that differ between the databases: SQLite's."""

    @staticmethod
    def unindexed(column: str) -> str:
        return "+" + column  # the as_of index is the better one; keep the planner off this one

    @staticmethod
    def rows_json(rows) -> str:
        return json.dumps([list(to_tuple(r)) for r in rows], ensure_ascii=False)

    @staticmethod
    def rows_from_json(param: str, fields) -> str:
        unpacked = ", ".join(f"value ->> {n} AS {name}" for n, name in enumerate(fields))
        return f"SELECT {unpacked} FROM json_each({param})"

    @staticmethod
    def reasons(column: str) -> tuple[str, str]:
        return f"json_each({column}) j", "j.id"

    @staticmethod
    def local_date(at: str) -> str:
        return f"date({at}, 'localtime')"

    @staticmethod
    def days_between(later: str, earlier: str) -> str:
        return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"

    @staticmethod
    def add_days(day: str, days: str) -> str:
        return f"date({day}, '+' || ({days}) || ' days')"

    @staticmethod
    def lacks(text: str, part: str) -> str:
        return f"instr({text}, {part}) = 0"

    @staticmethod
    def as_text(expr: str) -> str:
        return expr

    @staticmethod
    def in_order(expr: str) -> str:
        return expr

    @staticmethod
    def zone() -> dict:
        return {}


class PostgreSQL:
    """The same words on a clinic server: dates are ISO text in both, so date
    arithmetic casts to `date` and back; local dates use this workstation's zone
    (SQLite's 'localtime'); text sorts bytewise as SQLite does."""

    @staticmethod
    def unindexed(column: str) -> str:
        return column

    @staticmethod
    def rows_json(rows) -> str:
        return json.dumps([dict(zip(FIELDS, to_tuple(r))) for r in rows], ensure_ascii=False)

    @staticmethod
    def rows_from_json(param: str, fields) -> str:
        return f"SELECT {', '.join(fields)} FROM jsonb_populate_recordset(NULL::patient_attention, {param}::jsonb)"

    @staticmethod
    def reasons(column: str) -> tuple[str, str]:
        return f"jsonb_array_elements_text({column}::jsonb) WITH ORDINALITY j(value, n)", "j.n"

    @staticmethod
    def local_date(at: str) -> str:
        return f"to_char({at}::timestamptz AT TIME ZONE :zone, 'YYYY-MM-DD')"

    @staticmethod
    def days_between(later: str, earlier: str) -> str:
        return f"(({later})::date - ({earlier})::date)"

    @staticmethod
    def add_days(day: str, days: str) -> str:
        return f"to_char(({day})::date + ({days}), 'YYYY-MM-DD')"

    @staticmethod
    def lacks(text: str, part: str) -> str:
        return f"strpos({text}, {part}) = 0"

    @staticmethod
    def as_text(expr: str) -> str:
        return f"CAST({expr} AS TEXT)"

    @staticmethod
    def in_order(expr: str) -> str:
        return f'{expr} COLLATE "C"'

    @staticmethod
    def zone() -> dict:
        return {"zone": _local_zone()}


def _local_zone() -> str:
    """This workstation's time zone as PostgreSQL names it (what SQLite's
    'localtime' uses): TZ, else /etc/localtime's zone, else today's offset."""
    named = os.environ.get("TZ", "").lstrip(":")
    if named and Path("/usr/share/zoneinfo", named).is_file():
        return named
    try:
        target = str(Path("/etc/localtime").resolve())
        if "zoneinfo/" in target and not named:
            return target.split("zoneinfo/", 1)[1]
    except OSError:
        pass
    offset = dt.datetime.now().astimezone().utcoffset() or dt.timedelta()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def of(database):
    """The day list's words for the database the clinic lives in."""
    return PostgreSQL if backends.is_server(database) else SQLite


_NAMED = re.compile(r"'(?:[^']|'')*'|(?<![:\w]):([a-z_]\w*)")


def numbered(sql: str, values: dict) -> tuple[str, list]:
    """`:name` parameters as `?N`, which both backends take (the server's
    cursor turns them into psycopg2's)."""
    names: list[str] = []

    def swap(match: re.Match) -> str:
        name = match.group(1)
        if name is None or name not in values:
            return match.group(0)
        if name not in names:
            names.append(name)
        return f"?{names.index(name) + 1}"

    return _NAMED.sub(swap, sql), [values[n] for n in names]
