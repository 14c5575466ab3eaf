"""The patient's calendar file (.ics) as an operation both front ends call:
read the plan and its status (verified), build the events from InForce with
UIDs stable for (patient, plan, date, time of day), compare with the file this
patient was last given for this plan (storage, schema 7) to bump SEQUENCEs and
cancel what the plan no longer has, and remember this file in turn.

The patient's name goes into the file only when the clinic's setting allows
it: calendar files are often synced to a phone maker's cloud."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timezone

from taperdesk import storage
from taperdesk.clinic.paper import NoPlanError, paper_inputs
from taperdesk.clinic.permissions import operation
from taperdesk.core.paper_rows import course_csv, paper_span
from taperdesk.storage import paper_records


def uid_prefix(identifier: str, plan_id: int) -> str:
    """Stable per patient and plan, and says nothing about who the patient is."""
    return f"{hashlib.sha256(identifier.encode('utf-8')).hexdigest()[:12]}-{plan_id}"


@operation("export_calendar")
def calendar_file(*, patient_id: int, today: date, author: storage.Clinician | int, reminders: bool = False,
                  dose_times: dict[str, time] | None = None, record: bool = True,
                  stamp: datetime | None = None) -> tuple[bytes, int, int]:
    """(.ics bytes, plan revision number, events in the file). NoPlanError when
    there is nothing to put in a calendar (no plan, a draft, a completed plan)."""
    from taperdesk.export.ics import course_events, course_ics

    inputs = paper_inputs(patient_id=patient_id, what="exported")
    course = inputs.course
    if course.status == "draft":
        raise NoPlanError("This plan is a draft: start it before giving the patient a calendar file.")
    span = paper_span(course, today)
    prefix = uid_prefix(inputs.patient.identifier, inputs.record.id)
    events = course_events(course, first=span[0], last=span[1], uid_prefix=prefix, reminders=reminders,
                           dose_times=dose_times) if span else []
    previous = paper_records.last_calendar_export(patient_id=patient_id, plan_id=inputs.record.id)
    settings = paper_records.paper_settings()
    name = f"Taper plan: {' '.join(inputs.patient.name.split())}" if settings.calendar_names else "Taper plan"
    stamp = stamp or datetime.now(timezone.utc).replace(microsecond=0)
    data, memory = course_ics(events, previous, calendar_name=name, stamp=stamp, dose_times=dose_times,
                              keep_before=span[0] if span else today)
    if record:
        paper_records.record_calendar_export(patient_id=patient_id, plan_id=inputs.record.id,
                                             revision_id=inputs.revision.id, events=memory)
    return data, inputs.revision.number, len(events)


@operation("export_calendar")
def doses_csv(*, patient_id: int, author: storage.Clinician | int) -> tuple[str, int]:
    """(CSV text, plan revision number): a row per day of the plan from the course."""
    inputs = paper_inputs(patient_id=patient_id, what="exported")
    return course_csv(inputs.course, identifier=inputs.patient.identifier, revision=inputs.revision.number), \
        inputs.revision.number

