"""`taperdesk handout --patient ID [--kind patient|clinician] --out FILE.pdf
--clinician NAME`: print the patient's take-home handout or the clinician
summary for the patient's current plan (its newest revision) and record it.

Every handout is recorded (revision, kind, SHA-256, the PDF bytes) with the
person who made it, as in the app; storage will not record one without an
author, so the command is signed like `import-patient`: --clinician NAME, the
password from $TAPERDESK_PASSWORD or a prompt. Staff accounts may print.
What the paper prints comes from taperdesk.clinic.paper, as in the app."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from taperdesk import storage
from taperdesk.cli.dbargs import add_db_option, db_path, storage_errors, user_path
from taperdesk.cli.dates import parse_date
from taperdesk.cli.errors import UsageError
from taperdesk.storage.errors import StorageError
from taperdesk.storage.paths import refuse_special
from taperdesk.cli.signin import PASSWORD_ENV, sign_in
from taperdesk.clinic.paper import KINDS, NoPlanError, build_handout
from taperdesk.export.fonts import ExportError



# -- the command ---------------------------------------------------------------------
def add_parser(sub, name: str) -> None:
    p = sub.add_parser(name, help="print a patient handout or the clinician summary as PDF",
                       description="Make the patient's handout or the clinician summary for the current plan "
                                   "(newest revision) and record it.")
    p.add_argument("--patient", required=True, metavar="ID", help="the patient's clinic identifier")
    p.add_argument("--kind", choices=KINDS, default="patient",
                   help="patient handout (default), clinician summary, pharmacy order or dose-box sheet")
    p.add_argument("--supply-days", type=supply_days, metavar="7|14|28",
                   help="the pharmacy order's supply period (default 28)")
    p.add_argument("--out", required=True, metavar="FILE.pdf", help="where to write the PDF")
    p.add_argument("--clinician", required=True, metavar="NAME",
                   help=f"who prints it (recorded); the password from ${PASSWORD_ENV} or a prompt")
    p.add_argument("--printed-on", metavar="YYYY-MM-DD", help="the date printed on it (default today)")
    p.add_argument("--draft", action="store_true",
                   help="print a draft plan's handout anyway, marked DRAFT on every page")
    add_db_option(p)


def supply_days(text: str) -> int:
    if text.strip() in ("7", "14", "28"):
        return int(text)
    raise argparse.ArgumentTypeError(f"{text!r}: a supply period is 7, 14 or 28 days")


def printed_on(text: str | None) -> date:
    return date.today() if text is None else parse_date("--printed-on", text)


def output_path(text: str, suffix: str) -> Path:
    """The file to write, checked before any work: its folder exists and it is not a folder."""
    out = user_path(text, "--out")
    try:
        refuse_special(out)
    except StorageError as exc:
        raise UsageError(f"--out {exc}") from None
    if out.is_dir():
        raise UsageError(f"--out {text}: that is a folder; give a file name ending in {suffix}")
    if not out.parent.is_dir():
        raise UsageError(f"--out {text}: the folder {out.parent} does not exist")
    return out


def write_atomically(out: Path, data: bytes, then=None) -> None:
    """Write to FILE.partial (0600), run `then` (e.g. record the handout), then
    rename into place; the partial file is removed on any failure."""
    storage.write_private(out, data, then=then)


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
            clinician = sign_in(args.clinician, "make_handout")
            patient = find_patient(args.patient, path)
            try:
                pdf, revision = build_handout(patient_id=patient.id, kind=args.kind, printed_on=day,
                                              allow_draft=args.draft, supply_days=args.supply_days)
            except NoPlanError as exc:
                raise UsageError(str(exc)) from None
            except ExportError as exc:
                raise UsageError(f"The handout was not made: {exc}") from None
            recorded: list[storage.Handout] = []
            write_atomically(out, pdf, lambda: recorded.append(storage.record_handout(
                revision_id=revision.id, kind=args.kind, pdf=pdf, author=clinician)))
        finally:
            storage.close_database()
    what = {"patient": "patient handout", "clinician": "clinician summary", "pharmacy": "pharmacy order",
            "dosebox": "dose-box sheet"}[args.kind]
    print(f"Wrote the {what} for {patient.identifier} (plan revision {revision.number}, {len(pdf) // 1024 or 1} KB) "
          f"to {out}; recorded as handout {recorded[0].id}, SHA-256 {recorded[0].sha256[:12]}.")
    return 0
