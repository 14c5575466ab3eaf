"""Where the clinic file lives: `--db PATH` beats `TAPERDESK_DB`, which beats the
platform's user data folder. One function so every command resolves it alike."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

ENV_VAR = "TAPERDESK_DB"
FILE_NAME = "taperdesk.sqlite"


def default_db_path() -> Path:
    """The per-user data folder (e.g. ~/.local/share/TaperDesk on Linux)."""
    return Path(platformdirs.user_data_dir("TaperDesk", "TaperDesk")) / FILE_NAME


def resolve_db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The file to use: an explicit path, else $TAPERDESK_DB, else the default."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser()
    return default_db_path()


def default_backup_dir(db_path: Path) -> Path:
    """Backups sit in a `backups` folder beside the clinic file."""
    return db_path.parent / "backups"
