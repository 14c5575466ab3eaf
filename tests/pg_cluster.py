"""A throw-away PostgreSQL cluster for the tests and the benches: initdb in a
temporary folder, the server on a free localhost port (and a unix socket in
that folder), run as an unprivileged user when we are root (initdb refuses
root). Durability is switched off: the cluster dies with the run."""

from __future__ import annotations

import json
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

BIN_DIRS = ("/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin")
USER, PASSWORD = "taperdesk", "throwaway-test-password"


def bin_dir() -> Path | None:
    for folder in BIN_DIRS:
        if Path(folder, "initdb").exists():
            return Path(folder)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Cluster:
    folder: str
    port: int
    pid_owner: str = ""  # the unprivileged user running it when we are root

    def url(self, database: str = "postgres", *, user: str = USER, password: str = PASSWORD) -> str:
        return f"postgresql://{user}:{password}@127.0.0.1:{self.port}/{database}"

    def admin(self):
        import psycopg2

        conn = psycopg2.connect(self.url())
        conn.autocommit = True
        return conn

    def create_database(self, name: str) -> str:
        conn = self.admin()
        try:
            with conn.cursor() as cur:
                cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
                cur.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' "
                            f"LC_COLLATE 'C' LC_CTYPE 'C'")
        finally:
            conn.close()
        return self.url(name)

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self)))

    @classmethod
    def load(cls, path: Path) -> Cluster:
        return cls(**json.loads(path.read_text()))

    def stop(self) -> None:
        """Stop the server and remove its folder (quietly: the run's result is what matters)."""
        bins = bin_dir()
        if bins is not None and Path(self.folder, "data", "postmaster.pid").exists():
            _run([str(bins / "pg_ctl"), "-D", str(Path(self.folder, "data")), "-m", "immediate", "-w", "stop"],
                 self.pid_owner, check=False)
        shutil.rmtree(self.folder, ignore_errors=True)


def _run(cmd: list[str], owner: str, check: bool = True) -> subprocess.CompletedProcess:
    if owner:
        cmd = ["runuser", "-u", owner, "--", *cmd]
    return subprocess.run(cmd, check=check, capture_output=True, text=True, timeout=120, cwd="/")


def start(folder: Path | None = None) -> Cluster:
    """initdb and start a cluster in `folder` (default: a new temporary folder);
    raises RuntimeError with the reason when it cannot."""
    bins = bin_dir()
    if bins is None:
        raise RuntimeError("PostgreSQL is not installed (no initdb): run scripts/install-system-deps.sh as root")
    folder = Path(tempfile.mkdtemp(prefix="taperdesk-pg-")) if folder is None else folder
    folder.mkdir(parents=True, exist_ok=True)
    owner = ""
    if os.geteuid() == 0:
        owner = "nobody"
        nobody = pwd.getpwnam(owner)
        for path in (folder, *folder.parents):
            if path == Path("/"):
                break
            mode = path.stat().st_mode
            if not mode & 0o001:
                os.chmod(path, mode | 0o001)  # nobody must reach the folder (traverse only)
        os.chown(folder, nobody.pw_uid, nobody.pw_gid)
    folder.chmod(0o700)
    pwfile = folder / "pw"
    pwfile.write_text(PASSWORD + "\n")
    if owner:
        os.chown(pwfile, pwd.getpwnam(owner).pw_uid, -1)
    data = folder / "data"
    try:
        _run([str(bins / "initdb"), "-D", str(data), "-U", USER, f"--pwfile={pwfile}", "-E", "UTF8",
              "--locale=C", "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync"], owner)
        port = _free_port()
        options = (f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={folder} "
                   f"-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60 "
                   f"-c shared_buffers=64MB")
        _run([str(bins / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"), "-o", options,
              "-w", "-t", "60", "start"], owner)
    except subprocess.CalledProcessError as exc:
        log = folder / "server.log"
        tail = log.read_text()[-800:] if log.exists() else ""
        raise RuntimeError(f"PostgreSQL did not start: {exc.stderr or exc.stdout} {tail}".strip()) from None
    finally:
        pwfile.unlink(missing_ok=True)
    return Cluster(str(folder), port, owner)
