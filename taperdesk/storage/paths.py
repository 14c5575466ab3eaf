"""Where the clinic lives: `--db PATH` beats `TAPERDESK_DB`, which beats the
platform's user data folder. One function so every command resolves it alike.
A `postgresql://USER@HOST/DB` address instead names a clinic server
(ServerAddress): the same commands then work on the server's database."""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import platformdirs

from taperdesk.storage.backends.postgres import is_url, shown
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
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:  # no file can have this name: say so, not "unexpected error"
            raise InvalidInputError(f"{str(path)[:40]}…: the name is too long for a file; "
                                    f"give a shorter file name") from None
        return path  # unreadable: the caller's own open says what is wrong
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise InvalidInputError(f"{path} is a device or special file, not a {what}: give a file name in a folder")
    return path


@dataclass(frozen=True, repr=False)
class ServerAddress:
    """A clinic server's database, as `postgresql://USER[:PASSWORD]@HOST[:PORT]/DB`.
    Printed without its password. The few file questions the front ends ask of a
    clinic's place (exists? its folder for the log?) get a server's answers."""

    url: str

    def __str__(self) -> str:
        return shown(self.url)

    def __repr__(self) -> str:
        return f"ServerAddress({shown(self.url)!r})"

    @property
    def name(self) -> str:
        parts = urlsplit(self.url)
        return f"database {parts.path.lstrip('/') or '?'} on {parts.hostname or 'the local server'}"

    @property
    def parent(self) -> Path:
        return default_db_path().parent  # this workstation's folder (the log, exports)

    def exists(self) -> bool:
        return True  # the server answers when the clinic is opened

    def is_file(self) -> bool:
        return False

    def is_dir(self) -> bool:
        return False


def server_address(text: str) -> ServerAddress:
    parts = urlsplit(text)
    if not parts.path.strip("/"):
        raise InvalidInputError(f"{shown(text)}: name the database at the end, as postgresql://USER@HOST/DB")
    return ServerAddress(text)


def is_server(place) -> bool:
    return isinstance(place, ServerAddress)


def _place(text: str) -> Path | ServerAddress:
    text = os.fspath(text)
    return server_address(text) if is_url(text) else refuse_special(expand(text), "clinic file")


def resolve_db_path(explicit: str | os.PathLike[str] | None = None) -> Path | ServerAddress:
    """The clinic to use: an explicit path or server URL, else $TAPERDESK_DB, else the default file."""
    if isinstance(explicit, ServerAddress):
        return explicit
    if explicit:
        return _place(explicit)
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return _place(env)
    return default_db_path()


def default_backup_dir(db_path: Path) -> Path:
    """Backups sit in a `backups` folder beside the clinic file."""
    return db_path.parent / "backups"
