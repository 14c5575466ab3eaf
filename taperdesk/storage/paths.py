"""Where the clinic file lives: `--db PATH` beats `TAPERDESK_DB`, which beats the
platform's user data folder. One function so every command resolves it alike."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import platformdirs

from taperdesk.storage.errors import InvalidInputError

ENV_VAR = "TAPERDESK_DB"
FILE_NAME = "taperdesk.sqlite"


def default_db_path() -> Path:
    """The per-user data folder (e.g. ~/.local/share/TaperDesk on Linux)."""
    return Path(platformdirs.user_data_dir("TaperDesk", "TaperDesk")) / FILE_NAME


def expand(text: str | os.PathLike[str]) -> Path:
    """`~` and `~user` expanded; a `~name` with no such user is one clear error
    (Path.expanduser raises RuntimeError for it)."""
    try:
        return Path(text).expanduser()
    except RuntimeError:
        user = str(text)[1:].split("/", 1)[0]
        raise InvalidInputError(f"{str(text)!r}: there is no user {user!r} on this computer, so {'~' + user!r} "
                                f"is no folder; write the path in full") from None


def refuse_special(path: str | os.PathLike[str], what: str = "file") -> Path:
    """A path TaperDesk may write or replace: absent, or a regular file (or a
    folder, which callers refuse in their own words). A device, FIFO or socket
    (/dev/zero, /dev/null) is refused before anything is written: renaming a
    file over one, as root, would replace the device for the whole machine."""
    path = Path(path)
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return path
    except OSError:
        return path  # unreadable: the caller's own open says what is wrong
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise InvalidInputError(f"{path} is a device or special file, not a {what}: give a file name in a folder")
    return path


def resolve_db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The file to use: an explicit path, else $TAPERDESK_DB, else the default."""
    if explicit:
        return refuse_special(expand(explicit), "clinic file")
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return refuse_special(expand(env), "clinic file")
    return default_db_path()


def default_backup_dir(db_path: Path) -> Path:
    """Backups sit in a `backups` folder beside the clinic file."""
    return db_path.parent / "backups"
