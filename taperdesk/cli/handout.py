"""`taperdesk handout --patient ID [--kind patient|clinician] --out FILE.pdf
--clinician NAME`: print the patient's take-home handout or the clinician
summary for the patient's current plan (its newest revision) and record it.

Every handout is recorded (revision, kind, SHA-256, the PDF bytes) with the
person who made it, as in the app; storage will not record one without an
author, so the command is signed like `import-patient`: --clinician NAME, the
password from $TAPERDESK_PASSWORD or a prompt. Staff accounts may print.

This module also holds the mapping from stored records to what the exports
print (HandoutPatient, HandoutClinic, RevisionNote, EntryNote) and
`build_handout`; the app's taperdesk.ui.operations_export uses the same
functions (the layers let ui import cli, and cli may not import ui)."""

from __future__ import annotations

import argparse
import getpass
import os
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from taperdesk import storage
from taperdesk.cli.dbargs import add_db_option, db_path, storage_errors
from taperdesk.cli.errors import UsageError
from taperdesk.core.plan import Plan
from taperdesk.core.plan_diff import diff_plans, first_plan_summary
from taperdesk.core.scales import ScaleDefinition, ScaleError
from taperdesk.export.fonts import ExportError
from taperdesk.export.handout_data import HandoutClinic, HandoutPatient

if TYPE_CHECKING:  # ReportLab is loaded when a handout is made, not for every command
    from taperdesk.export.clinician_summary import EntryNote, RevisionNote

KINDS = ("patient", "clinician")
PASSWORD_ENV = "TAPERDESK_PASSWORD"
ENTRIES_BEFORE_DAYS = 28  # the summary's entries start this long before the plan (the baseline)
NO_CHANGE = "No change to the schedule, pace or approach."


class NoPlanError(Exception):
    """The patient has no plan to print."""


# -- stored records -> what the exports print -----------------------------------
def handout_patient(patient: storage.Patient) -> HandoutPatient:
    return HandoutPatient(name=patient.name, born=patient.born, identifier=patient.identifier)


def handout_clinic(settings: storage.ClinicSettings) -> HandoutClinic:
    return HandoutClinic(name=settings.name, address=settings.address, phone=settings.phone,
                         prescriber=settings.prescribers[0] if settings.prescribers else "",
                         letterhead=settings.letterhead, paper_size=settings.paper_size)


def handout_inputs(*, patient_id: int) -> tuple[Plan, storage.Revision, HandoutPatient, HandoutClinic]:
    """The patient's current plan (in progress, else the latest) at its newest
    revision, and the patient and clinic as printed. NoPlanError if there is none."""
    patient = storage.get_patient(patient_id=patient_id)
    found = storage.current_plans(patient_ids=[patient_id]).get(patient_id)
    if found is None:
        raise NoPlanError(f"Patient {patient.identifier} has no plan to print.")
    _record, revision = found
    return (revision.plan(), revision, handout_patient(patient),
            handout_clinic(storage.get_clinic_settings()))


def _names() -> dict[int, str]:
    return {c.id: c.name for c in storage.list_clinicians(include_inactive=True)}


def revision_notes(*, plan_id: int, names: dict[int, str] | None = None) -> list[RevisionNote]:
    """Every revision of the plan with its author, reason and what it changed
    (the History tab's sentences); times in the computer's time zone."""
    from taperdesk.export.clinician_summary import RevisionNote

    names = _names() if names is None else names
    notes: list[RevisionNote] = []
    previous: Plan | None = None
    for rev in storage.revisions(plan_id=plan_id):
        plan = rev.plan()
        changes = first_plan_summary(plan) if previous is None else (diff_plans(previous, plan) or [NO_CHANGE])
        notes.append(RevisionNote(rev.number, rev.created_at.astimezone(), names.get(rev.author_id, f"#{rev.author_id}"),
                                  rev.reason, tuple(changes)))
        previous = plan
    return notes


def entry_notes(*, patient_id: int, since: date | None = None,
                names: dict[int, str] | None = None) -> list[EntryNote]:
    """Current symptom entries from `since`, each read by the scale version it was made with."""
    from taperdesk.export.clinician_summary import EntryNote

    names = _names() if names is None else names
    definitions: dict[tuple[str, int], ScaleDefinition | None] = {}
    out = []
    for e in storage.symptom_entries(patient_id=patient_id, since=since):
        key = (e.scale, e.scale_version)
        if key not in definitions:
            try:
                definitions[key] = storage.scale_definition(key=e.scale, version=e.scale_version)
            except storage.StorageError:
                definitions[key] = storage.scale_definitions().get(e.scale)
        definition = definitions[key]
        if definition is None:  # a scale this copy does not know: print the raw total
            out.append(EntryNote(e.date, e.scale, e.total, 0, max(e.total, 1), "", names.get(e.entered_by, ""),
                                 e.note))
            continue
        try:
            value = definition.score(e.items)
        except ScaleError:
            value = e.total
        low, high = definition.value_range
        band = definition.band(value)
        out.append(EntryNote(e.date, definition.title, value, low, high, band.label if band else "",
                             names.get(e.entered_by, f"#{e.entered_by}"), e.note))
    return out


def build_handout(*, patient_id: int, kind: str, printed_on: date,
                  invariant: bool = False) -> tuple[bytes, storage.Revision]:
    """The PDF of `kind` ("patient" or "clinician") for the patient's current plan,
    and the revision it prints (the one to record it against)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    plan, revision, patient, clinic = handout_inputs(patient_id=patient_id)
    if kind == "patient":
        from taperdesk.export.patient_handout import patient_handout_pdf

        pdf = patient_handout_pdf(plan=plan, patient=patient, clinic=clinic, revision=revision.number,
                                  printed_on=printed_on, invariant=invariant)
    else:
        from taperdesk.export.clinician_summary import clinician_summary_pdf

        names = _names()
        pdf = clinician_summary_pdf(
            plan=plan, patient=patient, clinic=clinic,
            revisions=revision_notes(plan_id=revision.plan_id, names=names),
            entries=entry_notes(patient_id=patient_id, since=plan.start - timedelta(days=ENTRIES_BEFORE_DAYS),
                                names=names),
            printed_on=printed_on, invariant=invariant)
    return pdf, revision


# -- the command ---------------------------------------------------------------------
def add_parser(sub, name: str) -> None:
    p = sub.add_parser(name, help="print a patient handout or the clinician summary as PDF",
                       description="Make the patient's handout or the clinician summary for the current plan "
                                   "(newest revision) and record it.")
    p.add_argument("--patient", required=True, metavar="ID", help="the patient's clinic identifier")
    p.add_argument("--kind", choices=KINDS, default="patient", help="patient handout (default) or clinician summary")
    p.add_argument("--out", required=True, metavar="FILE.pdf", help="where to write the PDF")
    p.add_argument("--clinician", required=True, metavar="NAME",
                   help=f"who prints it (recorded); the password from ${PASSWORD_ENV} or a prompt")
    p.add_argument("--printed-on", metavar="YYYY-MM-DD", help="the date printed on it (default today)")
    add_db_option(p)


def printed_on(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--printed-on {text!r}: write the date as YYYY-MM-DD, e.g. 2026-12-01") from None


def output_path(text: str, suffix: str) -> Path:
    """The file to write, checked before any work: its folder exists and it is not a folder."""
    out = Path(text).expanduser()
    if out.is_dir():
        raise UsageError(f"--out {text}: that is a folder; give a file name ending in {suffix}")
    if not out.parent.is_dir():
        raise UsageError(f"--out {text}: the folder {out.parent} does not exist")
    return out


def write_atomically(out: Path, data: bytes, then=None) -> None:
    """Write to FILE.partial, run `then` (e.g. record the handout), then rename into place."""
    tmp = out.with_name(out.name + ".partial")
    try:
        tmp.write_bytes(data)
        if then is not None:
            then()
        os.replace(tmp, out)
    finally:
        if tmp.exists():
            tmp.unlink()


def find_patient(identifier: str, path: Path) -> storage.Patient:
    patient = storage.find_patient_by_identifier(identifier=identifier)
    if patient is None:
        raise UsageError(f"No patient with identifier {identifier!r} in {path}.")
    return patient


def run(args: argparse.Namespace) -> int:
    day = printed_on(args.printed_on)
    out = output_path(args.out, ".pdf")
    path = db_path(args)
    if not path.exists():
        raise UsageError(f"There is no clinic file at {path}; check --db PATH.")
    with storage_errors():
        storage.open_database(path)
        try:
            password = os.environ.get(PASSWORD_ENV) or getpass.getpass(f"Password for {args.clinician}: ")
            clinician = storage.verify_password(name=args.clinician, password=password)
            if clinician is None:
                raise UsageError(f"Wrong name or password for {args.clinician!r}.")
            patient = find_patient(args.patient, path)
            try:
                pdf, revision = build_handout(patient_id=patient.id, kind=args.kind, printed_on=day)
            except NoPlanError as exc:
                raise UsageError(str(exc)) from None
            except ExportError as exc:
                raise UsageError(f"The handout was not made: {exc}") from None
            recorded: list[storage.Handout] = []
            write_atomically(out, pdf, lambda: recorded.append(storage.record_handout(
                revision_id=revision.id, kind=args.kind, pdf=pdf, author=clinician)))
        finally:
            storage.close_database()
    what = "patient handout" if args.kind == "patient" else "clinician summary"
    print(f"Wrote the {what} for {patient.identifier} (plan revision {revision.number}, {len(pdf) // 1024 or 1} KB) "
          f"to {out}; recorded as handout {recorded[0].id}, SHA-256 {recorded[0].sha256[:12]}.")
    return 0
