"""`taperdesk init-demo --db PATH`: create a demo clinic file headlessly and print
how to log in to it."""

from __future__ import annotations

import argparse

from taperdesk.cli.dbargs import add_db_option, db_path, storage_errors
from taperdesk.storage.demo import make_demo


def add_parser(sub, name: str) -> None:
    p = sub.add_parser(name, help="create a demo clinic file",
                       description="Create a new clinic file filled with demo patients, plans and symptoms.")
    add_db_option(p)


def run(args: argparse.Namespace) -> int:
    with storage_errors():
        demo = make_demo(db_path(args))
    print(f"Created demo clinic {demo.path}: {demo.patients} patients, {demo.plans} plans, "
          f"{demo.entries} symptom entries.")
    print(f"Log in as {demo.clinician!r} with password: {demo.password}")
    return 0
