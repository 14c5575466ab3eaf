"""A patient's whole record as one portable JSON document (format documented in
docs/storage.md), and reading it back into another clinic file. Plans travel as
their exact stored JSON text; on import every row keeps its original time, is
authored by the importing clinician, and names its original author in its note."""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

from taperdesk import __version__
from taperdesk.storage import audit, handouts, patients, plans, symptoms
from taperdesk.storage.portable_besides import export_sections, import_sections
from taperdesk.storage.connection import reading, writing
from taperdesk.storage.errors import InvalidInputError
from taperdesk.storage.history import patient_history
from taperdesk.storage.migrations import LATEST_VERSION
from taperdesk.storage.portable_checks import check_document
from taperdesk.storage.models import ClinicianRow, ClinicSettingsRow, HandoutRow, PlanRevisionRow
from taperdesk.storage.records import Clinician, Patient
from taperdesk.storage.text import from_utc_text, to_utc_text, utc_now

FORMAT = "taperdesk-patient"
FORMAT_VERSION = 1


def export_patient(*, patient_id: int) -> dict[str, Any]:
    """The document for one patient (a dict ready for json.dump)."""
    with reading():
        history = patient_history(patient_id=patient_id)
        names = {r.id: r.name for r in ClinicianRow.select(ClinicianRow.id, ClinicianRow.name)}
        clinic = ClinicSettingsRow.get_by_id(1).name
        rev_ids = [r.id for p in history.plans for r in p.revisions]
        pdfs: dict[int, list] = {}
        for h in HandoutRow.select().where(HandoutRow.revision.in_(rev_ids)).order_by(HandoutRow.id):
            pdfs.setdefault(h.revision_id, []).append({
                "kind": h.kind, "created_at": h.created_at, "by": names.get(h.created_by_id),
                "sha256": h.sha256, "pdf_base64": base64.b64encode(bytes(h.pdf)).decode("ascii")})
        besides = export_sections(patient_id, names, {ph.plan.id: n for n, ph in enumerate(history.plans, start=1)})
    p = history.patient
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": to_utc_text(utc_now()),
        "source": {"clinic": clinic, "app_version": __version__, "schema_version": LATEST_VERSION},
        "patient": {"name": p.name, "born": p.born.isoformat(), "identifier": p.identifier,
                    "phone": p.phone, "notes": p.notes, "archived": p.archived,
                    "created_at": to_utc_text(p.created_at)},
        "plans": [{
            "drug": ph.plan.drug,
            "status": ph.plan.status,
            "created_at": to_utc_text(ph.plan.created_at),
            "created_by": names.get(ph.plan.created_by),
            "status_events": [{"status": e.status, "at": to_utc_text(e.at), "by": names.get(e.clinician_id),
                               "reason": e.reason} for e in ph.status_events],
            "revisions": [{"number": r.number, "created_at": to_utc_text(r.created_at),
                           "author": names.get(r.author_id), "reason": r.reason,
                           "settings": json.loads(r.settings_json), "plan_json": r.plan_json,
                           "handouts": pdfs.get(r.id, [])} for r in ph.revisions],
        } for ph in history.plans],
        "symptom_entries": [{
            "ref": e.id, "date": e.date.isoformat(), "scale": e.scale, "items": dict(e.items),
            "total": e.total, "entered_by": names.get(e.entered_by), "entered_at": to_utc_text(e.entered_at),
            "note": e.note, "supersedes": e.supersedes, "retracted": e.retracted,
            "retraction_reason": e.retraction_reason} for e in history.entries],
        **besides,
    }


def _tag(text: str, who: str | None, clinic: str) -> str:
    origin = f"imported from {clinic or 'another clinic'}" + (f"; by {who}" if who else "")
    return f"{text} [{origin}]".strip()


def _check_document(doc: Any) -> None:
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise InvalidInputError("This is not a TaperDesk patient file (no \"format\": \"taperdesk-patient\").")
    version = doc.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise InvalidInputError(f"The patient file's format_version is {json.dumps(version)[:40]}, not a whole "
                                f"number such as {FORMAT_VERSION}: the file was not written by export-patient "
                                f"or was edited by hand; nothing was imported.")
    if version > FORMAT_VERSION:
        raise InvalidInputError(f"The patient file was written by a newer TaperDesk (format {version}; this "
                                f"TaperDesk reads format {FORMAT_VERSION}); upgrade TaperDesk to import it.")
    for key in ("patient", "plans", "symptom_entries"):
        if key not in doc:
            raise InvalidInputError(f"The patient file has no {key!r} section.")


def import_patient(*, document: dict[str, Any], author: Clinician | int) -> Patient:
    """Recreate the patient, plans, revisions, status history, handouts, symptom
    entries (corrections and retractions too), other medicines and the support
    agreed, in one transaction: all or nothing."""
    _check_document(document)
    check_document(document)  # structure, every revision through the plan checks: before anything is written
    source = document.get("source")
    clinic = source.get("clinic", "") if isinstance(source, dict) else ""
    clinic = clinic if isinstance(clinic, str) else ""
    try:
        with writing():
            author_row = audit.resolve_author(author, operation="import_patient")
            src = document["patient"]
            patient = patients.add_patient(
                name=src["name"], born=dt.date.fromisoformat(src["born"]), identifier=src["identifier"],
                phone=src.get("phone", ""), notes=src.get("notes", ""), author=author_row.id,
                created_at=from_utc_text(src["created_at"]))
            if src.get("archived"):
                patients.set_patient_archived(patient_id=patient.id, archived=True, author=author_row.id)
            plan_ids = [_import_plan(plan, patient.id, author_row.id, clinic) for plan in document["plans"]]
            _import_entries(document["symptom_entries"], patient.id, author_row.id, clinic)
            import_sections(document, patient.id, author_row.id, plan_ids,
                            lambda text, who: _tag(text, who, clinic))
            audit.record(author_row, "import", "patient", patient.id,
                         f"imported patient {patient.identifier} from {clinic or 'another clinic'} "
                         f"(exported {document.get('exported_at', '?')})")
            return patients.get_patient(patient_id=patient.id)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InvalidInputError(f"The patient file is incomplete or malformed ({type(exc).__name__}: {exc}).") from None


def _import_plan(plan: dict, patient_id: int, author: int, clinic: str) -> int:
    revs = sorted(plan["revisions"], key=lambda r: r["number"])
    first, later_events = revs[0], plan["status_events"][1:]  # the first is "draft", made with the plan
    record = plans.create_plan(patient_id=patient_id, plan=first["plan_json"], settings=first["settings"],
                               author=author, reason=_tag(first["reason"], first.get("author"), clinic),
                               at=from_utc_text(first["created_at"]))
    _import_handouts(record.id, 1, first, author)
    steps = [(r["created_at"], 0, "revision", r) for r in revs[1:]]
    steps += [(e["at"], 1, "status", e) for e in later_events]
    for _, _, kind, item in sorted(steps, key=lambda s: (s[0], s[1])):
        if kind == "revision":
            plans.save_revision(plan_id=record.id, plan=item["plan_json"], settings=item["settings"], author=author,
                                reason=_tag(item["reason"], item.get("author"), clinic),
                                at=from_utc_text(item["created_at"]))
            _import_handouts(record.id, item["number"], item, author)
        else:
            plans.set_plan_status(plan_id=record.id, status=item["status"], author=author,
                                  reason=_tag(item["reason"], item.get("by"), clinic), at=from_utc_text(item["at"]))
    return record.id


def _import_handouts(plan_id: int, number: int, revision: dict, author: int) -> None:
    rev = PlanRevisionRow.get((PlanRevisionRow.plan == plan_id) & (PlanRevisionRow.number == number))
    for h in revision.get("handouts", []):
        handouts.record_handout(revision_id=rev.id, kind=h["kind"], pdf=base64.b64decode(h["pdf_base64"]),
                                author=author)


def _import_entries(entries: list[dict], patient_id: int, author: int, clinic: str) -> None:
    new_id: dict[int, int] = {}
    for e in sorted(entries, key=lambda e: e["ref"]):
        when = from_utc_text(e["entered_at"])
        if e.get("retracted"):
            made = symptoms.retract_symptom_entry(entry_id=new_id[e["supersedes"]], author=author, entered_at=when,
                                                  reason=_tag(e["retraction_reason"], e.get("entered_by"), clinic))
        elif e.get("supersedes") is not None:
            made = symptoms.correct_symptom_entry(entry_id=new_id[e["supersedes"]], items=e["items"], author=author,
                                                  note=_tag(e["note"], e.get("entered_by"), clinic),
                                                  date=dt.date.fromisoformat(e["date"]), entered_at=when)
        else:
            made = symptoms.add_symptom_entry(patient_id=patient_id, date=dt.date.fromisoformat(e["date"]),
                                              scale=e["scale"], items=e["items"], author=author, entered_at=when,
                                              note=_tag(e["note"], e.get("entered_by"), clinic))
        new_id[e["ref"]] = made.id
