"""`taperdesk export-ics --patient ID --out FILE.ics [--reminders]` and
`taperdesk export-csv --patient ID --out FILE.csv`: the patient's current plan
(newest revision, with its status) as a calendar or as one CSV row per day.
A calendar file is remembered (its events' UIDs and SEQUENCEs) so the next one
updates the patient's calendar instead of adding to it. Like every export they
are signed by a clinician (--clinician NAME; the password from
$TAPERDESK_PASSWORD or a prompt) and recorded in the audit trail; while
TaperDesk has the file open elsewhere the file is read read-only, the export is
not recorded (a note says so) and a calendar cannot be made. The file written
is 0600."""

from __future__ import annotations

import argparse
import sys
from datetime import date, time

from taperdesk import storage
from taperdesk.cli.dbargs import NOT_RECORDED, add_db_option, db_path, open_for_reading_out, storage_errors
from taperdesk.cli.errors import UsageError
from taperdesk.cli.signin import add_clinician_option, sign_in
from taperdesk.cli.handout import find_patient, output_path, write_atomically
from taperdesk.clinic.calendar_files import calendar_file, doses_csv
from taperdesk.clinic.paper import NoPlanError
from taperdesk.core.regimen import TIMES


def add_parser(sub, name: str) -> None:
    if name == "export-ics":
        p = sub.add_parser(name, help="write the current plan as a calendar (.ics)",
                           description="An all-day event on each day the doses change, on holds and on the stop "
                                       "day; with --reminders a daily reminder at each dose time.")
        p.add_argument("--out", required=True, metavar="FILE.ics", help="where to write the calendar")
        p.add_argument("--reminders", action="store_true", help="add a daily reminder at each dose time")
        p.add_argument("--time", action="append", default=[], metavar="TIME=HH:MM",
                       help="reminder time for a time of day (default "
                            "morning=08:00, midday=13:00, evening=18:00, night=22:00)")
    else:
        p = sub.add_parser(name, help="write the current plan's doses day by day as CSV",
                           description="One row per day of the current plan: date, step, each time's mg and "
                                       "tablets, diazepam-equivalent mg.")
        p.add_argument("--out", required=True, metavar="FILE.csv", help="where to write the CSV")
    p.add_argument("--patient", required=True, metavar="ID", help="the patient's clinic identifier")
    add_clinician_option(p, "exports it")
    add_db_option(p)


def _dose_times(items: list[str]) -> dict[str, time]:
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip().lower()
        if not sep or key not in TIMES:
            raise UsageError(f"--time {item!r}: write TIME=HH:MM with TIME one of {', '.join(TIMES)}, "
                             f"e.g. --time night=22:30")
        try:
            out[key] = time.fromisoformat(value.strip())
        except ValueError:
            raise UsageError(f"--time {item!r}: {value!r} is not a time; write HH:MM, e.g. 07:30") from None
    return out


def run(args: argparse.Namespace) -> int:
    ics = args.command == "export-ics"
    dose_times = _dose_times(args.time) if ics else None
    if ics and dose_times and not args.reminders:
        raise UsageError("--time sets reminder times: add --reminders")
    out = output_path(args.out, ".ics" if ics else ".csv")
    path = db_path(args)
    if not path.exists():
        raise UsageError(f"There is no clinic file at {path}; check --db PATH.")
    with storage_errors():
        recorded = open_for_reading_out(path)
        try:
            clinician = sign_in(args.clinician, "export_calendar")
            patient = find_patient(args.patient, path)
            try:
                if ics:
                    # remembered first: a file that then fails to write only means a later
                    # SEQUENCE is one higher, which calendars accept
                    data, revision, events = calendar_file(patient_id=patient.id, today=date.today(),
                                                           reminders=args.reminders, dose_times=dose_times,
                                                           author=clinician)
                    what = f"the calendar ({events} events)"
                else:
                    text, revision = doses_csv(patient_id=patient.id, author=clinician)
                    data = text.encode("utf-8")
                    what = f"{text.count(chr(10)) - 1} days of doses"
            except NoPlanError as exc:
                raise UsageError(str(exc)) from None
            write_atomically(out, data, (lambda: storage.record_export(
                patient_id=patient.id, author=clinician,
                summary=f"exported {what} of plan revision {revision} to {out} (command line)")) if recorded else None)
        finally:
            storage.close_database()
    if not recorded:
        print(NOT_RECORDED.format(path=path), file=sys.stderr)
    print(f"Wrote {what} of {patient.identifier}'s plan (revision {revision}) to {out}.")
    return 0
