"""The handout operations the workspace calls (keyword-only, no Qt): make a
handout (patient handout or clinician summary) for the patient's current plan
and record it, and reprint a recorded one byte for byte.

The mapping from stored records to what the exports print is
taperdesk.clinic.paper, shared with the `taperdesk handout` command, so the app
and the command line print the same paper."""

from __future__ import annotations

from datetime import date

from taperdesk import storage
from taperdesk.clinic.paper import (
    KINDS,
    NoPlanError,
    build_handout,
    entry_notes,
    handout_clinic,
    handout_patient,
    revision_notes,
)
from taperdesk.clinic.paper import handout_inputs as _handout_inputs
from taperdesk.core.plan import Plan
from taperdesk.export.fonts import ExportError
from taperdesk.export.handout_data import HandoutClinic, HandoutPatient
from taperdesk.clinic.permissions import OperationError, operation

__all__ = ["KINDS", "entry_notes", "handout_clinic", "handout_inputs", "handout_patient", "make_handout",
           "reprint", "revision_notes"]


def handout_inputs(*, patient_id: int, what: str = "printed") -> tuple[Plan, storage.Revision, HandoutPatient,
                                                                      HandoutClinic]:
    """The current plan at its newest revision (verified), the patient and the clinic as printed."""
    try:
        return _handout_inputs(patient_id=patient_id, what=what)
    except NoPlanError as exc:
        raise OperationError(str(exc)) from None


@operation("make_handout")
def make_handout(*, patient_id: int, kind: str, author: storage.Clinician | int,
                 printed_on: date) -> tuple[bytes, storage.Handout]:
    """Build the `kind` PDF ("patient" or "clinician"), record it against the
    revision it prints, and return the bytes with the record."""
    if kind not in KINDS:
        raise OperationError(f"A handout is {' or '.join(KINDS)}, not {kind!r}.")
    try:
        pdf, revision = build_handout(patient_id=patient_id, kind=kind, printed_on=printed_on)
    except NoPlanError as exc:
        raise OperationError(str(exc)) from None
    except ExportError as exc:
        raise OperationError(f"The handout was not made: {exc}") from None
    record = storage.record_handout(revision_id=revision.id, kind=kind, pdf=pdf, author=author)
    return pdf, record


@operation("reprint_handout")
def reprint(*, handout_id: int, author: storage.Clinician | int) -> bytes:
    """The recorded PDF exactly as it was printed; refused (OperationError) if
    its stored bytes no longer match their SHA-256 or its revision fails its check."""
    from taperdesk.clinic.verify import NotVerifiedError, verified_pdf

    try:
        return verified_pdf(handout_id=handout_id)
    except NotVerifiedError as exc:
        raise OperationError(str(exc)) from None
