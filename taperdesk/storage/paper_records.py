"""What the papers remember between printings (schema 7): each calendar file
given to a patient (its events' UIDs, SEQUENCEs and digests), the prescriber
and supply period chosen for a plan, the patient's next review date, and the
clinic's two paper settings (names in calendar files; the default supply
period). History rows are appended, never changed: the newest counts.

Kept apart from ClinicSettings so the settings dialog and this module change
independently."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from taperdesk.storage import attention, audit
from taperdesk.storage.connection import reading, writing
from taperdesk.storage.errors import InvalidInputError
from taperdesk.storage.models import db
from taperdesk.storage.records import Clinician
from taperdesk.storage.text import to_utc_text, utc_now

SUPPLY_DAYS = (7, 14, 28)


@dataclass(frozen=True)
class PaperSettings:
    calendar_names: bool = False  # the patient's name in calendar files
    supply_days: int = 28


@dataclass(frozen=True)
class PlanPaper:
    prescriber: str
    supply_days: int


def paper_settings() -> PaperSettings:
    with reading():
        row = db.execute_sql("SELECT calendar_names, supply_days FROM clinic_settings WHERE id = 1").fetchone()
    return PaperSettings(bool(row[0]), int(row[1])) if row else PaperSettings()


def save_paper_settings(*, settings: PaperSettings, author: Clinician | int) -> PaperSettings:
    if settings.supply_days not in SUPPLY_DAYS:
        raise InvalidInputError(f"A supply period is 7, 14 or 28 days, not {settings.supply_days}.")
    with writing():
        author_row = audit.resolve_author(author, operation="clinic_settings")
        db.execute_sql("UPDATE clinic_settings SET calendar_names = ?, supply_days = ? WHERE id = 1",
                       (int(settings.calendar_names), settings.supply_days))
        audit.record(author_row, "update", "clinic_settings", 1,
                     f"paper: names in calendar files {'on' if settings.calendar_names else 'off'}, "
                     f"supply {settings.supply_days} days")
    return paper_settings()


def set_plan_paper(*, plan_id: int, prescriber: str, supply_days: int, author: Clinician | int) -> PlanPaper:
    if supply_days not in SUPPLY_DAYS:
        raise InvalidInputError(f"A supply period is 7, 14 or 28 days, not {supply_days}.")
    with writing():
        author_row = audit.resolve_author(author, operation="plan_paper")
        db.execute_sql("INSERT INTO plan_paper (plan_id, prescriber, supply_days, author_id, created_at) "
                       "VALUES (?, ?, ?, ?, ?)", (plan_id, prescriber.strip(), supply_days, author_row.id,
                                                  to_utc_text(utc_now())))
        row = db.execute_sql("SELECT patient_id FROM plan WHERE id = ?", (plan_id,)).fetchone()
        attention.refresh([row[0]] if row else [])  # the supply period the day list counts by
        audit.record(author_row, "update", "plan", plan_id,
                     f"prescriber {prescriber.strip() or '(none)'}, supply {supply_days} days")
    return PlanPaper(prescriber.strip(), supply_days)


def plan_paper(*, plan_id: int) -> PlanPaper | None:
    with reading():
        row = db.execute_sql("SELECT prescriber, supply_days FROM plan_paper WHERE plan_id = ? "
                             "ORDER BY id DESC LIMIT 1", (plan_id,)).fetchone()
    return PlanPaper(row[0], int(row[1])) if row else None


def set_review_date(*, patient_id: int, review_on: date | None, author: Clinician | int) -> None:
    with writing():
        author_row = audit.resolve_author(author, operation="next_review")
        db.execute_sql("INSERT INTO patient_review (patient_id, review_on, author_id, created_at) VALUES (?, ?, ?, ?)",
                       (patient_id, review_on.isoformat() if review_on else None, author_row.id,
                        to_utc_text(utc_now())))
        attention.refresh([patient_id])  # a booked review is a day-list line
        audit.record(author_row, "update", "patient", patient_id,
                     f"next review {review_on.isoformat() if review_on else 'cleared'}")


def review_date(*, patient_id: int) -> date | None:
    with reading():
        row = db.execute_sql("SELECT review_on FROM patient_review WHERE patient_id = ? ORDER BY id DESC LIMIT 1",
                             (patient_id,)).fetchone()
    return date.fromisoformat(row[0]) if row and row[0] else None


def record_calendar_export(*, patient_id: int, plan_id: int, revision_id: int,
                           events: dict[str, tuple[int, str, bool]]) -> None:
    """Keep what a calendar file carried: UID -> (SEQUENCE, digest, cancelled)."""
    with writing():
        db.execute_sql("INSERT INTO calendar_export (patient_id, plan_id, revision_id, events, created_at) "
                       "VALUES (?, ?, ?, ?, ?)",
                       (patient_id, plan_id, revision_id, json.dumps(events, sort_keys=True), to_utc_text(utc_now())))


def last_calendar_export(*, patient_id: int, plan_id: int) -> dict[str, tuple[int, str, bool]]:
    """What the newest calendar file for this patient's plan carried ({} if none was made)."""
    with reading():
        row = db.execute_sql("SELECT events FROM calendar_export WHERE patient_id = ? AND plan_id = ? "
                             "ORDER BY id DESC LIMIT 1", (patient_id, plan_id)).fetchone()
    if not row:
        return {}
    return {uid: (int(v[0]), str(v[1]), bool(v[2])) for uid, v in json.loads(row[0]).items()}
