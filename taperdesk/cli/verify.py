"""`taperdesk verify [--db PATH] [--json]`: is the clinic file still what
TaperDesk wrote? Walks every hash chain, checks the append-only triggers,
re-checks every stored plan with the planning rules and dose ceilings, and
compares every stored handout with its SHA-256 (storage.verify).

One line per problem, naming the patient (name and identifier) and the plan
revision as the plan shows it; exit status 2 if anything is wrong, else 0 and
a one-line summary. The file is opened read-only: this is safe while the app
has it open, and verify never changes it."""

from __future__ import annotations

import argparse
import sys

from taperdesk.cli.dbargs import add_db_option, clinic_read_only
from taperdesk.storage.verify import findings_json, verify_clinic


def add_parser(sub, name: str) -> None:
    p = sub.add_parser(name, help="check the clinic file for damage or tampering",
                       description="Check every record's hash chain, the append-only triggers, every stored "
                                   "plan against the planning rules and every stored handout against its SHA-256.")
    p.add_argument("--json", action="store_true", help="print the findings as JSON")
    add_db_option(p)


def run(args: argparse.Namespace) -> int:
    with clinic_read_only(args) as path:
        report = verify_clinic(attention=True)
    if args.json:
        print(findings_json(report))
    else:
        for finding in report.findings:
            print(finding.line)
    if report.ok:
        if not args.json:
            print(f"{path} is as TaperDesk wrote it: {report.summary()}.")
        return 0
    n = len(report.findings)
    print(f"taperdesk verify: {n} problem{'s' if n > 1 else ''} in {path} ({report.summary()}). Nothing for "
          f"the patients named is printed until this is put right: restore the newest backup that verifies "
          f"(`taperdesk restore FILE`), then re-enter what was done since.", file=sys.stderr)
    return 2
