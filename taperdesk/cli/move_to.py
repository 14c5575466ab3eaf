"""`taperdesk move-to postgresql://USER@HOST/DB [--db FILE]`: copy a clinic file
into an empty database on the clinic server and check every table identical
(storage/server_move.py); then point the workstations at the server."""

from __future__ import annotations

import argparse

from taperdesk.cli.dbargs import add_db_option, db_path, storage_errors
from taperdesk.cli.errors import UsageError
from taperdesk.storage.paths import is_server, resolve_db_path
from taperdesk.storage.server_move import move_to_server


def add_parser(sub, name: str) -> None:
    p = sub.add_parser(name, help="move a clinic file to the clinic server (PostgreSQL)",
                       description="Copy the clinic file into an EMPTY database on the clinic server and check "
                                   "every table identical (row counts, contents, hash chains); the file is left "
                                   "as it was.")
    p.add_argument("url", metavar="postgresql://USER@HOST/DB", help="the server database (empty), as for --db")
    add_db_option(p)


def run(args: argparse.Namespace) -> int:
    with storage_errors():
        target = resolve_db_path(args.url)
    if not is_server(target):
        raise UsageError(f"{args.url}: give the server database as postgresql://USER@HOST/DB")
    source = db_path(args)
    if is_server(source):
        raise UsageError("move-to copies a clinic file: give the file with --db FILE (TAPERDESK_DB names a server)")
    if not source.is_file():
        raise UsageError(f"There is no clinic file at {source}; check --db FILE.")
    with storage_errors():
        report = move_to_server(source=source, target=target)
    for line in report.lines():
        print(line)
    return 0
