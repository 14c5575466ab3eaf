"""Single-writer lock: a `<file>.lock` beside the clinic file names the host and
process holding it. On POSIX the holder also keeps an flock on it, which the
kernel drops when the process dies (even by SIGKILL), so a stale lock from a dead
process is taken over without guessing from pids. A lock naming another host is
respected even if its flock looks free (network shares do not carry flocks)."""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from taperdesk.storage.errors import AlreadyOpenError, ReadOnlyLocationError

try:
    import fcntl
except ImportError:  # Windows: fall back to the pid check alone
    fcntl = None  # type: ignore[assignment]


def lock_path_for(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _read_holder(fd: int) -> dict:
    os.lseek(fd, 0, os.SEEK_SET)
    raw = os.read(fd, 4096)
    try:
        holder = json.loads(raw.decode("utf-8")) if raw.strip() else {}
    except (UnicodeDecodeError, json.JSONDecodeError):
        holder = {}
    return holder if isinstance(holder, dict) else {}


@dataclass
class WriterLock:
    """Held while a database is open for writing; release() on close."""

    path: Path
    fd: int | None

    def release(self) -> None:
        if self.fd is None:
            return
        try:
            os.ftruncate(self.fd, 0)
            if fcntl is not None:
                fcntl.flock(self.fd, fcntl.LOCK_UN)
        finally:
            os.close(self.fd)
            self.fd = None


def acquire(db_path: Path) -> WriterLock:
    """Take the writer lock for db_path or raise AlreadyOpenError (host and pid)."""
    path = lock_path_for(db_path)
    host = socket.gethostname()
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise ReadOnlyLocationError(
            f"Cannot create the lock file {path} ({exc.strerror}): the folder of {db_path} "
            f"must be writable; or open the file read-only."
        ) from None
    try:
        holder = _read_holder(fd)
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise AlreadyOpenError(db_path, holder.get("host", host), holder.get("pid", 0)) from None
        other_host = holder.get("host", host) != host
        pid = int(holder.get("pid", 0) or 0)
        live_here = fcntl is None and pid and pid != os.getpid() and _pid_alive(pid)
        if holder and (other_host or live_here):
            raise AlreadyOpenError(db_path, holder.get("host", host), pid)
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, json.dumps({"host": host, "pid": os.getpid()}).encode("utf-8"))
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        raise
    return WriterLock(path, fd)


def current_holder(db_path: Path) -> dict:
    """Who the lock file names (empty if none): for messages and tests."""
    path = lock_path_for(db_path)
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return {}
    try:
        return _read_holder(fd)
    finally:
        os.close(fd)
