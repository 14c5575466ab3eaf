"""Small conversions shared by the repositories: UTC timestamps as sortable ISO
text, and the folded search key that makes "jose" find "José Núñez"."""

from __future__ import annotations

import datetime as dt
import unicodedata


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def to_utc_text(moment: dt.datetime) -> str:
    """ISO 8601 in UTC with microseconds: fixed width, so text order is time order."""
    if moment.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def from_utc_text(text: str) -> dt.datetime:
    """Inverse of to_utc_text (fromisoformat reads the trailing Z since Python 3.11, and fast)."""
    return dt.datetime.fromisoformat(text)


def fold(text: str) -> str:
    """Search key: accents dropped, case folded, whitespace collapsed."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def words(text: str) -> list[str]:
    """The folded words of a name, for word-prefix search ("lop" finds "Ana López")."""
    cleaned = "".join(ch if ch.isalnum() else " " for ch in fold(text))
    return sorted(set(cleaned.split()))


def prefix_upper_bound(prefix: str) -> str:
    """Smallest string greater than every string starting with prefix (for a range scan)."""
    return prefix + "\U0010ffff"


def one_line(text: str, limit: int = 200) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
