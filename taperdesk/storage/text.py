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


# Letters that look like Latin capitals and digits in identifiers typed or
# pasted from other systems: Cyrillic and Greek capitals and lower case.
_LOOKALIKES = str.maketrans({
    **dict.fromkeys("АΑ", "A"), **dict.fromkeys("ВΒ", "B"), **dict.fromkeys("СϹ", "C"), **dict.fromkeys("ЕΕ", "E"),
    **dict.fromkeys("НΗ", "H"), **dict.fromkeys("ІΙӀ", "I"), "Ј": "J", **dict.fromkeys("КΚ", "K"),
    **dict.fromkeys("МΜ", "M"), "Ν": "N", **dict.fromkeys("ОΟ", "O"), **dict.fromkeys("РΡ", "P"), "Ѕ": "S",
    **dict.fromkeys("ТΤ", "T"), **dict.fromkeys("ХΧ", "X"), **dict.fromkeys("УΥ", "Y"), "Ζ": "Z",
    **dict.fromkeys("аα", "a"), "с": "c", "е": "e", "і": "i", "ј": "j", **dict.fromkeys("оο", "o"),
    **dict.fromkeys("рρ", "p"), "ѕ": "s", **dict.fromkeys("хχ", "x"), "у": "y",
})


def identifier_key(text: str) -> str:
    """The key a clinic identifier is unique and found by: Unicode NFKC (full-width
    and compatibility forms), every dash and minus sign as '-', Cyrillic and Greek
    look-alikes as their Latin letters, then fold(). So 'DEMO‐001' (U+2010), 'DEMO－001'
    'DЕMO-001' (a Cyrillic Е) and 'DEMO\u00ad-001' are all DEMO-001. ASCII identifiers keep the key
    fold() gave them before, so files made earlier need no change."""
    normal = unicodedata.normalize("NFKC", text).translate(_LOOKALIKES)
    normal = "".join("-" if unicodedata.category(ch) == "Pd" or ch == "\u2212" else ch for ch in normal
                     if unicodedata.category(ch) != "Cf")  # soft hyphens, zero-width spaces: dropped
    return fold(normal)


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
