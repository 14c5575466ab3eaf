"""The support a clinic offers (schema 14) and what was agreed with each patient
(schema 15). Both are history: a saved list or an agreement is a new row, the
newest counts, and nothing is changed or removed (the tables' triggers refuse
it); each row is hash-chained as it is written (schema 18, storage.chain). An
agreement keeps the options' words as they were that day, so a later edit of
the clinic's list never changes what a patient was told."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from taperdesk.core.advice import SupportLine
from taperdesk.core.support import SupportError, option_dicts, parse_options, shipped_options
from taperdesk.storage import audit, backends, chain
from taperdesk.storage.connection import reading, writing
from taperdesk.storage.errors import InvalidInputError, NotFoundError
from taperdesk.storage.models import PatientRow, db
from taperdesk.storage.records import Clinician
from taperdesk.storage.text import from_utc_text, to_utc_text, utc_now


@dataclass(frozen=True)
class SupportAgreed:
    """One record of what was agreed with a patient (the whole set, maybe empty)."""

    id: int
    patient_id: int
    plan_id: int | None
    options: tuple[SupportLine, ...]
    note: str
    author_id: int
    created_at: datetime


def _text(options: Iterable[SupportLine]) -> str:
    return json.dumps(option_dicts(options), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _lines(text: str) -> tuple[SupportLine, ...]:
    raw = json.loads(text)
    return parse_options(raw) if raw else ()


def _append(table: str, **values) -> int:
    """Insert one row with its id and chain hash (schema 18), linked on to the
    end of its table's chain inside the caller's write transaction (the chain's
    end held as storage.chain.stamp holds it); returns the new id."""
    backends.of(db).lock_chain(db, table)
    last_id, previous = chain.last_hash(db, table)
    row = {"id": last_id + 1, **values}
    row["chain_hash"] = chain.digest(table, [row[c] for c in chain.FIELDS[table]], previous)
    db.execute_sql(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                   tuple(row.values()))
    return row["id"]


def support_options() -> tuple[SupportLine, ...]:
    """The clinic's list in use: its newest saved version, else the shipped one."""
    with reading():
        row = db.execute_sql("SELECT options FROM support_list ORDER BY id DESC LIMIT 1").fetchone()
    return _lines(row[0]) if row else shipped_options()


def support_list_history() -> list[tuple[datetime, int, tuple[SupportLine, ...]]]:
    """Every saved version of the list, oldest first: (saved at, by, options)."""
    with reading():
        rows = db.execute_sql("SELECT created_at, author_id, options FROM support_list ORDER BY id").fetchall()
    return [(from_utc_text(at), author, _lines(text)) for at, author, text in rows]


def save_support_options(*, options: Sequence[SupportLine | dict], author: Clinician | int) -> tuple[SupportLine, ...]:
    """Save the clinic's list as a new version (administrators); the same list
    again stores nothing. A bad list is refused with its one-line reason."""
    try:
        checked = parse_options([option_dicts([o])[0] if isinstance(o, SupportLine) else o for o in options])
    except SupportError as exc:
        raise InvalidInputError(str(exc)) from None
    with writing():
        author_row = audit.resolve_author(author, operation="support_list")
        if checked == support_options():
            return checked
        new_id = _append("support_list", options=_text(checked), author_id=author_row.id,
                         created_at=to_utc_text(utc_now()))
        audit.record(author_row, "update", "support_list", new_id,
                     "support offered: " + ", ".join(o.label for o in checked))
    return checked


def agree_support(*, patient_id: int, keys: Sequence[str], author: Clinician | int, plan_id: int | None = None,
                  note: str = "") -> SupportAgreed:
    """Record the support agreed with the patient now (the whole set: an empty
    one says none), with each option's words from the clinic's list as it is
    today. A key not on the list is refused, naming it."""
    offered = {o.key: o for o in support_options()}
    unknown = [k for k in keys if k not in offered]
    if unknown:
        raise InvalidInputError(f"{unknown[0]!r} is not on the clinic's support list "
                                f"({', '.join(offered)}); add it in Clinic settings first.")
    chosen = tuple(offered[k] for k in dict.fromkeys(keys))
    with writing():
        author_row = audit.resolve_author(author, operation="agree_support")
        patient = PatientRow.get_or_none(PatientRow.id == patient_id)
        if patient is None:
            raise NotFoundError(f"No patient with id {patient_id}.")
        made = append_agreement(patient_id=patient_id, plan_id=plan_id, options=chosen, note=note.strip(),
                                author_id=author_row.id, created_at=utc_now())
        words = ", ".join(o.label for o in chosen) or "none"
        audit.record(author_row, "update", "patient", patient_id,
                     f"support agreed with {audit.patient_words(patient)}: {words}")
    return made


def append_agreement(*, patient_id: int, plan_id: int | None, options: Sequence[SupportLine], note: str,
                     author_id: int, created_at: datetime) -> SupportAgreed:
    """Write one agreement row as it is given (inside the caller's write
    transaction): the one way a row enters support_agreed, used by agree_support
    and by a patient file's import, which keeps the row's original time."""
    at = to_utc_text(created_at)
    row_id = _append("support_agreed", patient_id=patient_id, plan_id=plan_id, options=_text(options), note=note,
                     author_id=author_id, created_at=at)
    return SupportAgreed(row_id, patient_id, plan_id, tuple(options), note, author_id, from_utc_text(at))


def support_history(*, patient_id: int) -> list[SupportAgreed]:
    """Every record of what was agreed with the patient, oldest first."""
    with reading():
        rows = db.execute_sql("SELECT id, patient_id, plan_id, options, note, author_id, created_at "
                              "FROM support_agreed WHERE patient_id = ? ORDER BY id", (patient_id,)).fetchall()
    return [SupportAgreed(r[0], r[1], r[2], _lines(r[3]), r[4], r[5], from_utc_text(r[6])) for r in rows]


def support_agreed(*, patient_id: int) -> tuple[SupportLine, ...]:
    """What is agreed with the patient now (the newest record; none recorded: ())."""
    with reading():
        row = db.execute_sql("SELECT options FROM support_agreed WHERE patient_id = ? ORDER BY id DESC LIMIT 1",
                             (patient_id,)).fetchone()
    return _lines(row[0]) if row else ()
