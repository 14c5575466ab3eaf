"""Records of printed handouts: which revision, what kind, when, by whom, and the
exact PDF bytes with their SHA-256, so a reprint or a query can show precisely
what the patient was given."""

from __future__ import annotations

import hashlib

from peewee import fn

from taperdesk.storage import attention, audit
from taperdesk.storage.connection import reading, writing
from taperdesk.storage.errors import InvalidInputError, NotFoundError
from taperdesk.storage.models import HandoutRow, PlanRevisionRow
from taperdesk.storage.records import Clinician, Handout
from taperdesk.storage.text import from_utc_text, to_utc_text, utc_now

_FIELDS = (HandoutRow.id, HandoutRow.revision, HandoutRow.kind, HandoutRow.created_at,
           HandoutRow.created_by, HandoutRow.sha256)


def _to_handout(row: HandoutRow, size: int) -> Handout:
    return Handout(row.id, row.revision_id, row.kind, from_utc_text(row.created_at), row.created_by_id,
                   row.sha256, size)


def record_handout(*, revision_id: int, kind: str, pdf: bytes, author: Clinician | int) -> Handout:
    if not pdf.startswith(b"%PDF"):
        raise InvalidInputError("The handout is not a PDF.")
    if not kind.strip():
        raise InvalidInputError("Say what kind of handout this is.")
    digest = hashlib.sha256(pdf).hexdigest()
    with writing():
        author_row = audit.resolve_author(author, operation="make_handout")
        revision = PlanRevisionRow.get_or_none(PlanRevisionRow.id == revision_id)
        if revision is None:
            raise NotFoundError(f"No plan revision with id {revision_id}.")
        row = HandoutRow.create(revision=revision_id, kind=kind.strip(), created_at=to_utc_text(utc_now()),
                                created_by=author_row.id, sha256=digest, pdf=pdf)
        attention.refresh([revision.plan.patient_id])  # a pharmacy order starts a supply the day list counts
        audit.record(author_row, "print", "handout", row.id,
                     f"{kind} handout of revision {revision.number} of the {revision.plan.drug} plan"
                     f" for {audit.patient_words(revision.plan.patient)}, sha256 {digest[:12]}")
        return _to_handout(row, len(pdf))


def handouts_for_revision(*, revision_id: int) -> list[Handout]:
    with reading():
        query = (HandoutRow.select(*_FIELDS, fn.length(HandoutRow.pdf).alias("size"))
                 .where(HandoutRow.revision == revision_id).order_by(HandoutRow.id))
        return [_to_handout(r, r.size) for r in query]


def handout_pdf(*, handout_id: int) -> bytes:
    with reading():
        row = HandoutRow.get_or_none(HandoutRow.id == handout_id)
    if row is None:
        raise NotFoundError(f"No handout with id {handout_id}.")
    return bytes(row.pdf)
