"""What the patient takes besides the taper (other medicines, substances and
alcohol: schema 13) and the support agreed with them (schema 15), in a portable
patient file: written out, checked before anything is written, read back.

Both travel as the history they are, every row oldest first, so the receiving
clinic's interaction warnings and advice page start from what was taken and
agreed, and when, not from a blank record. A row keeps its time; its note names
the clinic and person it came from, like every imported row. The sections are
optional: a file written before them imports as it did (format 1 allows new
optional fields). The checks are the operations' own rules (kinds, lengths,
date range, alcohol units, a change only of the newest row of its thread, the
support options' shape), so a hand-edited file is refused in one line rather
than stored as something the app itself would never have written."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable
from typing import Any

from taperdesk.core.interactions import MAX_UNITS_WEEK
from taperdesk.core.support import SupportError, parse_options
from taperdesk.storage import support
from taperdesk.storage.models import OtherMedicineRow, db
from taperdesk.storage.other_medicines import MAX_TEXT
from taperdesk.storage.portable_checks import _moment, _whole
from taperdesk.storage.text import from_utc_text, to_utc_text

KINDS = ("medicine", "substance", "alcohol")
OLDEST, NEWEST = dt.date(1900, 1, 1), dt.date(2100, 12, 31)


# -- out ------------------------------------------------------------------------------
def export_sections(patient_id: int, names: dict[int, str], plan_numbers: dict[int, int]) -> dict[str, list]:
    """The two sections for one patient (inside the export's read). `plan_numbers`:
    plan id -> its place in the file's "plans" list (1, 2, ...)."""
    medicines = [{
        "ref": r.id, "kind": r.kind, "name": r.name, "dose": r.dose,
        "since": r.since.isoformat() if r.since else None, "stopped": r.stopped.isoformat() if r.stopped else None,
        "units_week": r.units_week, "note": r.note, "supersedes": r.supersedes_id,
        "by": names.get(r.author_id), "created_at": r.created_at,
    } for r in OtherMedicineRow.select().where(OtherMedicineRow.patient == patient_id).order_by(OtherMedicineRow.id)]
    agreed = [{
        "plan": plan_numbers.get(plan_id), "options": json.loads(options), "note": note,
        "by": names.get(author_id), "created_at": created_at,
    } for plan_id, options, note, author_id, created_at in db.execute_sql(
        "SELECT plan_id, options, note, author_id, created_at FROM support_agreed WHERE patient_id = ? "
        "ORDER BY id", (patient_id,))]
    return {"other_medicines": medicines, "support_agreed": agreed}


# -- checks ---------------------------------------------------------------------------
def _day(value: Any) -> dt.date | None:
    """The date, or None when the value is not a date in range (YYYY-MM-DD)."""
    if not isinstance(value, str):
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None
    return day if OLDEST <= day <= NEWEST else None


def _short(value: Any, *, required: bool = False) -> bool:
    return isinstance(value, str) and len(value) <= MAX_TEXT and (bool(value.strip()) or not required)


def _medicine_problem(m: Any, where: str, seen: dict[int, dict], superseded: set[int]) -> str | None:
    if not isinstance(m, dict):
        return f"{where} is not an object"
    if not _whole(m.get("ref")) or m["ref"] in seen:
        return f"{where} needs a ref (a whole number) of its own"
    if m.get("kind") not in KINDS:
        return f"{where}'s kind is {json.dumps(m.get('kind'))[:30]}, not one of {', '.join(KINDS)}"
    if not _short(m.get("name"), required=True):
        return f"{where} needs a name (text, at most {MAX_TEXT} characters)"
    if not _short(m.get("dose", "")) or not _short(m.get("note", "")):
        return f"{where}'s dose and note must be text of at most {MAX_TEXT} characters"
    if not _moment(m.get("created_at")) or not isinstance(m.get("by"), (str, type(None))):
        return f"{where} needs a created_at time with its zone (and \"by\": a name or null)"
    since, stopped = m.get("since"), m.get("stopped")
    if (since is not None and _day(since) is None) or (stopped is not None and _day(stopped) is None):
        return f"{where}'s since and stopped must be dates from 1900 to 2100 (YYYY-MM-DD) or null"
    if since is not None and stopped is not None and _day(stopped) < _day(since):
        return f"{where} was stopped ({stopped}) before it was started ({since})"
    units = m.get("units_week")
    if m["kind"] == "alcohol":
        if (not isinstance(units, (int, float)) or isinstance(units, bool) or not math.isfinite(units)
                or not 0 <= units <= MAX_UNITS_WEEK):
            return f"{where} is alcohol: its units_week must be a number from 0 to {MAX_UNITS_WEEK:g}"
    elif units is not None:
        return f"{where} is a {m['kind']}: its units_week must be null"
    before = m.get("supersedes")
    if before is not None:
        if not _whole(before) or before not in seen:
            return f"{where} changes a record that is not before it in the file"
        if before in superseded:
            return f"{where} changes record {before}, which was already changed by another"
        if seen[before].get("kind") != m["kind"]:
            return f"{where} changes a {seen[before].get('kind')} record into a {m['kind']}"
        if seen[before].get("stopped") is not None and m["kind"] != "alcohol":
            return f"{where} changes record {before}, which was already stopped"
    return None


def medicine_problems(rows: Any) -> list[str]:
    """The first problem with the "other_medicines" section (empty: it may be imported)."""
    if rows is None:
        return []
    if not isinstance(rows, list):
        return ["the \"other_medicines\" section is not a list"]
    seen: dict[int, dict] = {}
    superseded: set[int] = set()
    for n, m in enumerate(rows, start=1):
        problem = _medicine_problem(m, f"other medicine {n}", seen, superseded)
        if problem:
            return [problem]
        seen[m["ref"]] = m
        if m.get("supersedes") is not None:
            superseded.add(m["supersedes"])
    return []


def _agreement_problem(a: Any, where: str, plan_count: int) -> str | None:
    if not isinstance(a, dict):
        return f"{where} is not an object"
    if not _moment(a.get("created_at")) or not isinstance(a.get("by"), (str, type(None))):
        return f"{where} needs a created_at time with its zone (and \"by\": a name or null)"
    plan = a.get("plan")
    if plan is not None and (not _whole(plan) or not 1 <= plan <= plan_count):
        return f"{where} names plan {json.dumps(plan)[:20]}, which is not in the file"
    if not isinstance(a.get("note", ""), str):
        return f"{where}'s note is not text"
    options = a.get("options")
    if not isinstance(options, list):
        return f"{where}'s options are not a list"
    if options:
        try:
            parse_options(options)
        except SupportError as exc:
            return f"{where}: {str(exc).rstrip('.')}"
    return None


def agreement_problems(rows: Any, plan_count: int) -> list[str]:
    """The first problem with the "support_agreed" section (empty: it may be imported)."""
    if rows is None:
        return []
    if not isinstance(rows, list):
        return ["the \"support_agreed\" section is not a list"]
    for n, a in enumerate(rows, start=1):
        problem = _agreement_problem(a, f"support record {n}", plan_count)
        if problem:
            return [problem]
    return []


# -- in --------------------------------------------------------------------------------
def import_sections(document: dict, patient_id: int, author: int, plan_ids: list[int],
                    tag: Callable[[str, str | None], str]) -> None:
    """Write both sections for the new patient (inside the import's transaction),
    each row chained as it is written. `plan_ids`: the new plans in file order;
    `tag` adds where a note came from."""
    new_id: dict[int, int] = {}
    for m in document.get("other_medicines") or []:
        row = OtherMedicineRow.create(
            patient=patient_id, kind=m["kind"], name=m["name"], dose=m.get("dose", ""),
            since=_day(m["since"]) if m.get("since") else None,
            stopped=_day(m["stopped"]) if m.get("stopped") else None,
            units_week=float(m["units_week"]) if m["kind"] == "alcohol" else None,
            note=tag(m.get("note", ""), m.get("by")),
            supersedes=new_id[m["supersedes"]] if m.get("supersedes") is not None else None,
            author=author, created_at=to_utc_text(from_utc_text(m["created_at"])))
        new_id[m["ref"]] = row.id
    for a in document.get("support_agreed") or []:
        options = parse_options(a["options"]) if a["options"] else ()
        support.append_agreement(patient_id=patient_id, plan_id=plan_ids[a["plan"] - 1] if a.get("plan") else None,
                                 options=options, note=tag(a.get("note", ""), a.get("by")), author_id=author,
                                 created_at=from_utc_text(a["created_at"]))
