"""Patient data that leaves the clinic file (a CSV, a calendar, a portable JSON
export) is recorded in the audit trail with who took it out and where it went,
as handouts are recorded with their author."""

from __future__ import annotations

from taperdesk.storage import audit
from taperdesk.storage.connection import writing
from taperdesk.storage.records import Clinician


def record_export(*, patient_id: int, author: Clinician | int, summary: str) -> None:
    """One audit event 'export' about the patient, signed by `author`."""
    with writing():
        author_row = audit.resolve_author(author)
        audit.record(author_row, "export", "patient", patient_id, f"{author_row.name} {summary}")
