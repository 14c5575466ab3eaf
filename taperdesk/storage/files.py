"""Files and folders with patient data are private to the account that runs
TaperDesk: files 0600, folders TaperDesk makes 0700. Created with the mode from
the start (os.open with a mode), not chmod-ed afterwards, so there is no moment
in which another local account could open them. A file is written under a
`.partial` name and renamed into place, so the final name holds either nothing
or the whole file; the partial file is removed if anything fails.

The clinic file's identity (device and inode) is how a file deleted or replaced
while open is noticed (connection.writing checks it before each write)."""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_folder(folder: Path) -> Path:
    """Make `folder` (and missing parents) as 0700; a folder TaperDesk owns
    already (the backups folder) is tightened to 0700 if it is looser."""
    folder = Path(folder)
    missing = []
    probe = folder
    while not probe.is_dir() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for part in reversed(missing):  # each one 0700 (mkdir(parents=True) would leave the parents 0755)
        part.mkdir(mode=FOLDER_MODE, exist_ok=True)
    return folder


def tighten_folder(folder: Path) -> None:
    """A folder only TaperDesk writes (backups) loses group and other access."""
    try:
        mode = stat.S_IMODE(folder.stat().st_mode)
        if mode & 0o077:
            folder.chmod(mode & 0o700)
    except OSError:
        pass  # not ours to change (another owner); the files inside are still 0600


def tighten_file(path: Path) -> None:
    """A file made by an older TaperDesk (0644) becomes 0600 when next opened."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            path.chmod(mode & 0o600)
    except OSError:
        pass


def create_private(path: Path) -> None:
    """Create `path` empty with mode 0600 (it must not exist): SQLite then keeps
    that mode for the file and gives its -wal and -shm files the same."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    os.close(fd)


def partial_name(path: Path) -> Path:
    return path.with_name(path.name + ".partial")


def write_private(path: str | os.PathLike[str], data: bytes, *, then: Callable[[], None] | None = None) -> Path:
    """Write `data` to `path` as 0600 through `path.partial`, fsync it, run `then`
    (e.g. record the handout in the clinic file) and rename it into place. On any
    failure the partial file is removed and `path` is left as it was."""
    from taperdesk.storage.paths import refuse_special

    path = refuse_special(Path(path))
    tmp = partial_name(path)
    tmp.unlink(missing_ok=True)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        if then is not None:
            then()
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of the file at `path`, None if there is none."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


LOW_SPACE_BYTES = 1 << 20  # under 1 MiB free, a "disk I/O error" from SQLite is a full disk


def low_space(path: Path) -> bool:
    """True when the disk holding `path` (or its nearest existing folder) is all but full."""
    probe = Path(path)
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    try:
        return shutil.disk_usage(probe if probe.is_dir() else probe.parent).free < LOW_SPACE_BYTES
    except OSError:
        return False
