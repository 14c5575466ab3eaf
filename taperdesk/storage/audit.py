"""The audit trail and the author checks every write starts with. `record()` is
called inside the caller's transaction, so the event and the change commit or
roll back together.

Who acted in which role: an author resolved for an operation (core.roles)
carries the role it acts in, and the event's summary ends "(as prescriber)".
The clinic layer may name the role itself (`acting_as`: a nurse's delegated
hold is saved through the same storage call as a prescriber's revision). The
summary is in the hash chain, so the role cannot be changed afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from taperdesk.core import roles as role_table

from taperdesk.storage.connection import reading
from taperdesk.storage.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from taperdesk.storage.models import AuditEventRow, ClinicianRow
from taperdesk.storage.records import AuditEvent, Clinician
from taperdesk.storage.text import from_utc_text, one_line, to_utc_text, utc_now


_acting: ContextVar[str | None] = ContextVar("taperdesk_acting_role", default=None)


@contextmanager
def acting_as(role: str | None) -> Iterator[None]:
    """Record the events written inside this block as done in `role`."""
    token = _acting.set(role)
    try:
        yield
    finally:
        _acting.reset(token)


def roles_of(row: ClinicianRow) -> tuple[str, ...]:
    """The row's roles (schema 11), or what its schema 1 role meant."""
    text = (row.roles or "").strip()
    if text:
        return tuple(r for r in role_table.ROLES if r in text.split(","))
    return role_table.LEGACY.get(row.role, ())


def resolve_author(author: Clinician | int, *, operation: str | None = None) -> ClinicianRow:
    """The active clinician row for `author`. With `operation`, the account
    must hold a role core.roles allows for it (read from the database, not from
    the caller's copy: a role taken away elsewhere counts at once); the row then
    remembers the role it acts in, for `record`. Read-only accounts write nothing."""
    author_id = author.id if isinstance(author, Clinician) else author
    if not isinstance(author_id, int) or isinstance(author_id, bool):
        raise InvalidInputError("author must be a Clinician or a clinician id.")
    row = ClinicianRow.get_or_none(ClinicianRow.id == author_id)
    if row is None:
        raise NotFoundError(f"No clinician with id {author_id}.")
    if not row.active:
        raise PermissionDeniedError(f"{row.name}'s account is inactive.")
    held = roles_of(row)
    if operation is not None:
        role = role_table.acting_role(operation, held)
        if role is None:
            raise PermissionDeniedError(role_table.refusal(operation, row.name, held))
        row._acting_role = role
    elif held == (role_table.READ_ONLY,):
        raise PermissionDeniedError(f"{row.name} is read-only: a read-only account changes nothing.")
    return row


def patient_words(patient) -> str:
    """A patient as the clinic names them in the audit trail: 'Zoë Ł (TD-0001)', never a database id."""
    return f"{patient.name} ({patient.identifier})"


def record(author: ClinicianRow | None, action: str, entity: str, entity_id: int | None,
           summary: str) -> None:
    role = _acting.get() or (getattr(author, "_acting_role", None) if author is not None else None)
    if role:
        summary = f"{one_line(summary)} (as {role})"
    AuditEventRow.create(
        at=to_utc_text(utc_now()),
        clinician=author.id if author is not None else None,
        action=action,
        entity=entity,
        entity_id=entity_id,
        summary=one_line(summary),
    )


def _to_event(row: AuditEventRow) -> AuditEvent:
    return AuditEvent(row.id, from_utc_text(row.at), row.clinician_id, row.action, row.entity,
                      row.entity_id, row.summary)


def audit_events(*, entity: str | None = None, entity_id: int | None = None,
                 limit: int = 500) -> list[AuditEvent]:
    """Newest first; optionally only those about one entity (and one id)."""
    with reading():
        query = AuditEventRow.select().order_by(AuditEventRow.id.desc()).limit(limit)
        if entity is not None:
            query = query.where(AuditEventRow.entity == entity)
            if entity_id is not None:
                query = query.where(AuditEventRow.entity_id == entity_id)
        return [_to_event(r) for r in query]


_PATIENT_AUDIT = """(entity = 'patient' AND entity_id = ?1)
 OR (entity = 'plan' AND entity_id IN (SELECT id FROM plan WHERE patient_id = ?1))
 OR (entity = 'handout' AND entity_id IN (SELECT h.id FROM handout h JOIN plan_revision r ON r.id = h.revision_id
                                          JOIN plan p ON p.id = r.plan_id WHERE p.patient_id = ?1))
 OR (entity = 'symptom_entry' AND entity_id IN (SELECT id FROM symptom_entry WHERE patient_id = ?1))
 OR (entity = 'other_medicine' AND entity_id IN (SELECT id FROM other_medicine WHERE patient_id = ?1))"""


def patient_audit_events(*, patient_id: int) -> list[AuditEvent]:
    """Every audit event about one patient, their plans, handouts and symptom
    entries, newest first: one query however long the record (the History tab
    asked once per entry: 3,652 queries for ten years of daily ratings), read as
    plain rows (no model object per event)."""
    from taperdesk.storage.models import db

    with reading():
        rows = db.execute_sql("SELECT id, at, clinician_id, action, entity, entity_id, summary FROM audit_event"
                              f" WHERE {_PATIENT_AUDIT} ORDER BY id DESC", (patient_id,)).fetchall()
    return [AuditEvent(i, from_utc_text(at), who, action, entity, entity_id, summary)
            for i, at, who, action, entity, entity_id, summary in rows]
