"""Backups of a clinic server's database: `pg_dump -Fc` (PostgreSQL's custom
format: consistent while workstations keep working), written 0600 under a
`.partial` name and renamed, so a backup either is complete or does not exist.
Restore with `pg_restore` goes only into an EMPTY database, in one transaction,
and is verified (`taperdesk verify`) before it is called done.

The password never appears on a command line (other users can read those):
pg_dump and pg_restore get it through PGPASSWORD."""

from __future__ import annotations

import datetime as dt
import glob
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from taperdesk.storage import files
from taperdesk.storage.backends import postgres
from taperdesk.storage.errors import StorageError
from taperdesk.storage.failures import DB_ERRORS, translate
from taperdesk.storage.paths import ServerAddress

SUFFIX = ".dump"


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                      key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    if versions:
        return versions[-1]
    raise StorageError(f"{name} is not installed on this computer: install PostgreSQL's client tools "
                       f"(Debian: apt-get install postgresql-client), then try again.")


def _without_password(url: str) -> tuple[str, dict[str, str]]:
    parts = urlsplit(url)
    env = dict(os.environ)
    if parts.password is not None:
        env["PGPASSWORD"] = parts.password
        host = parts.netloc.rsplit("@", 1)[1]
        netloc = f"{parts.username}@{host}" if parts.username else host
        url = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return url, env


def _run(cmd: list[str], env: dict[str, str], what: str, address: ServerAddress) -> None:
    try:
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=3600)
    except OSError as exc:
        raise StorageError(f"{what} could not run ({exc.strerror or exc}); nothing was changed.") from None
    if done.returncode != 0:
        lines = [ln for ln in (done.stderr or done.stdout).splitlines() if ln.strip()]
        detail = lines[0].split(": ", 1)[-1] if lines else f"exit status {done.returncode}"
        known = translate(RuntimeError(detail), address)
        if type(known) is not StorageError:  # unreachable, wrong password, no such database
            raise known
        raise StorageError(f"{what} failed on the {address.name}: {detail}")


def _database(address: ServerAddress) -> str:
    return urlsplit(address.url).path.strip("/") or "clinic"


def dump_name(address: ServerAddress, moment: dt.datetime, kind: str = "manual") -> str:
    return f"{_database(address)}-{kind}-{moment:%Y%m%d-%H%M%S}{SUFFIX}"


def default_folder(address: ServerAddress) -> Path:
    """Where a workstation keeps the server's dumps when not told: its own
    `backups` folder (the nightly `taperdesk backup --to` on the server is the
    copy to carry off site)."""
    return address.parent / "backups"


def list_dumps(folder: Path, address: ServerAddress, kind: str) -> list[Path]:
    """This database's dumps of one kind in `folder`, oldest first (the name holds the moment)."""
    if not folder.is_dir():
        return []
    name = re.compile(rf"^{re.escape(_database(address))}-{kind}-(\d{{8}})-(\d{{6}})(?:-(\d+))?{re.escape(SUFFIX)}$")
    found = [(m.group(1), m.group(2), int(m.group(3) or 1), p) for p in folder.iterdir()
             if (m := name.match(p.name))]
    return [p for *_, p in sorted(found)]


def prune_dumps(folder: Path, address: ServerAddress, keep: int, kind: str) -> list[Path]:
    """Delete all but the newest `keep` dumps of this database and kind (as the clinic file's daily backups)."""
    dumps = list_dumps(folder, address, kind)
    doomed = dumps[: max(0, len(dumps) - max(1, keep))]
    for path in doomed:
        path.unlink()
    return doomed


def check_dump(path: Path, address: ServerAddress) -> int:
    """Read the dump's table of contents back (`pg_restore --list`): a file cut
    short or not a dump fails here rather than on the day it is needed. Returns
    how many table-data entries it holds."""
    try:
        done = subprocess.run([_tool("pg_restore"), "--list", str(path)], capture_output=True, text=True,
                              timeout=600)
    except OSError as exc:
        raise StorageError(f"pg_restore could not read back {path.name} ({exc.strerror or exc}).") from None
    if done.returncode != 0:
        lines = [ln for ln in done.stderr.splitlines() if ln.strip()]
        detail = lines[0].split(": ", 1)[-1] if lines else f"exit status {done.returncode}"
        raise StorageError(f"The backup {path.name} of the {address.name} cannot be read back: {detail}")
    return sum(1 for ln in done.stdout.splitlines() if " TABLE DATA " in ln)


def dump(address: ServerAddress, folder: Path, *, now: dt.datetime | None = None, kind: str = "manual") -> Path:
    """`pg_dump -Fc` of the server database into `folder` (0700); returns the file (0600)."""
    moment = now or dt.datetime.now()
    files.private_folder(folder)
    target = folder / dump_name(address, moment, kind)
    n = 2
    while target.exists():
        target = folder / dump_name(address, moment, kind).replace(SUFFIX, f"-{n}{SUFFIX}")
        n += 1
    partial = files.partial_name(target)
    partial.unlink(missing_ok=True)
    files.create_private(partial)
    url, env = _without_password(address.url)
    try:
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={partial}", f"--dbname={url}"],
             env, "pg_dump", address)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def restore(backup: Path, address: ServerAddress) -> list[str]:
    """pg_restore `backup` into the EMPTY database `address`, then verify it."""
    from taperdesk.storage.connection import close_database, open_database
    from taperdesk.storage.verify import verify_clinic

    if not backup.is_file():
        raise StorageError(f"There is no backup file {backup}; nothing was changed.")
    with open(backup, "rb") as fh:
        if fh.read(5) != b"PGDMP":
            raise StorageError(f"{backup} is not a clinic server backup (made by `taperdesk backup` with pg_dump); "
                               f"nothing was changed.")
    server = postgres.ClinicServer(address.url)
    try:
        server.connect()
        present = postgres.user_tables(server)
    except DB_ERRORS as exc:
        raise translate(exc, address) from None
    finally:
        server.close()
    if present:
        raise StorageError(f"The {address.name} ({address}) is not empty; nothing was restored: restore into a "
                           f"new, empty database (README: a clinic with several rooms).")
    url, env = _without_password(address.url)
    _run([_tool("pg_restore"), "--no-owner", "--exit-on-error", "--single-transaction", f"--dbname={url}",
          str(backup)], env, "pg_restore", address)
    open_database(address)
    try:
        report = verify_clinic()
    finally:
        close_database()
    if not report.ok:
        return [f"Restored {backup} into the {address.name}, but verify found problems:",
                *(f"  {f.line}" for f in report.findings)]
    return [f"Restored {backup} into the {address.name} ({address}).", f"Verified: {report.summary()}."]
