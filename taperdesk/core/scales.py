"""Symptom scales as data: items with their score ranges, bands of the series
value, the source and a "verify locally" mark. The shipped scales come from
data/scales.toml; a clinic's own (or edited) definitions arrive as dicts and go
through the same validation (`ScaleDefinition.from_dict`), so a definition that
exists is always usable: unique item keys, each range low < high, bands sorted,
non-overlapping and within the range of the value they band.

The series value of an entry (what a chart plots and the flare rule reads) is
`score(items)`: the headline item's score where the scale names one (the daily
rating's "severity"), otherwise the total of all items. On a scale with a
headline only that item must be scored (a phone call may give a severity and no
sleep rating); a scale without one needs every item, or its total would mislead.

Answer anchors say what each score means ('0 not at all' ... '4 very much so'),
for the whole scale or for one item whose direction differs (CIWA-B's sleep
items: higher is worse sleep). A licensed scale shipped without its wording
(the BWSQ) carries `needs_wording`, the reason in plain words: it cannot be
scored until the clinic enters the wording of its own licensed copy, which
saves a new version without the mark. Both fields are left out of the dict
form when empty, so definitions saved before they existed read the same."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from importlib.resources import files

RATERS = ("patient", "observer")

_FIELDS = {"key", "version", "title", "items", "bands", "headline", "source", "unverified", "note", "anchors",
           "needs_wording"}
_ITEM_FIELDS = {"key", "text", "low", "high", "rater", "anchors"}
_BAND_FIELDS = {"low", "high", "label"}


class ScaleError(ValueError):
    """A definition or a set of item scores a person must fix; one line naming the item."""


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


@dataclass(frozen=True)
class Item:
    key: str
    text: str
    low: int
    high: int
    rater: str  # "patient" | "observer"
    anchors: tuple[str, ...] = ()  # what each score low..high means, where this item differs from the scale's

    def to_dict(self) -> dict:
        out = {"key": self.key, "text": self.text, "low": self.low, "high": self.high, "rater": self.rater}
        if self.anchors:
            out["anchors"] = list(self.anchors)
        return out


@dataclass(frozen=True)
class Band:
    """An inclusive range of the scale's value (the total, or the headline item's score)."""

    low: int
    high: int
    label: str

    def to_dict(self) -> dict:
        return {"low": self.low, "high": self.high, "label": self.label}


@dataclass(frozen=True)
class ScaleDefinition:
    key: str  # "daily", "ciwa-b", "bwsq" (or a clinic's own)
    version: int  # 1 for the shipped ones; a clinic edit makes version + 1
    title: str
    items: tuple[Item, ...]
    bands: tuple[Band, ...]
    headline: str | None  # the item whose score is the series value; None: the total
    source: str
    unverified: bool
    note: str
    anchors: tuple[str, ...] = ()  # what each score means, for items without their own
    needs_wording: str = ""  # why the scale cannot be used yet ("" when it can)

    def __post_init__(self) -> None:
        object.__setattr__(self, "items", tuple(self.items))
        object.__setattr__(self, "bands", tuple(self.bands))
        object.__setattr__(self, "anchors", tuple(self.anchors))
        self._validate()

    # -- validation ---------------------------------------------------------
    def _validate(self) -> None:
        if not _text(self.key) or self.key != self.key.strip():
            raise ScaleError(f"A scale needs a key without spaces around it, not {self.key!r}.")
        name = self.title if _text(self.title) else self.key
        if not _text(self.title):
            raise ScaleError(f"Scale {self.key!r} needs a title.")
        if not _is_int(self.version) or self.version < 1:
            raise ScaleError(f"{name}: the version must be a whole number from 1, not {self.version!r}.")
        if not self.items:
            raise ScaleError(f"{name} needs at least one item.")
        seen: set[str] = set()
        for n, item in enumerate(self.items, 1):
            if not isinstance(item, Item):
                raise ScaleError(f"{name} item {n} is not an item definition.")
            if not _text(item.key) or item.key != item.key.strip():
                raise ScaleError(f"{name} item {n} needs a key without spaces around it, not {item.key!r}.")
            label = f"{name} item {item.key!r}"
            if item.key in seen:
                raise ScaleError(f"{label} appears twice: item keys must be unique.")
            seen.add(item.key)
            if not _text(item.text):
                raise ScaleError(f"{label} needs its question or wording.")
            if not _is_int(item.low) or not _is_int(item.high):
                raise ScaleError(f"{label}: the lowest and highest scores must be whole numbers.")
            if item.low < 0:
                raise ScaleError(f"{label}: the lowest score must be 0 or more, not {item.low}.")
            if not item.low < item.high:
                raise ScaleError(f"{label}: the lowest score ({item.low}) must be below the highest ({item.high}).")
            if item.rater not in RATERS:
                raise ScaleError(f"{label}: rated by 'patient' or 'observer', not {item.rater!r}.")
        if self.headline is not None and self.headline not in seen:
            raise ScaleError(f"{name}: the headline item {self.headline!r} is not one of its items.")
        low, high = self.value_range
        what = f"the {self.headline!r} score" if self.headline is not None else "the total"
        previous: Band | None = None
        for band in self.bands:
            if not isinstance(band, Band):
                raise ScaleError(f"{name}: a band is not a band definition.")
            if not _text(band.label):
                raise ScaleError(f"{name}: the band {band.low}-{band.high} needs a label.")
            tag = f"{name} band {band.label!r}"
            if not _is_int(band.low) or not _is_int(band.high) or band.low > band.high:
                raise ScaleError(f"{tag}: its range must be whole numbers, low to high, "
                                 f"not {band.low!r}-{band.high!r}.")
            if band.low < low or band.high > high:
                raise ScaleError(f"{tag} ({band.low}-{band.high}) is outside {what}'s range {low}-{high}.")
            if previous is not None and band.low <= previous.high:
                if band.low < previous.low:
                    raise ScaleError(f"{tag} ({band.low}-{band.high}) must come after {previous.label!r}: "
                                     f"list bands from lowest to highest.")
                raise ScaleError(f"{tag} ({band.low}-{band.high}) overlaps {previous.label!r} "
                                 f"({previous.low}-{previous.high}).")
            previous = band
        if not isinstance(self.source, str) or not isinstance(self.note, str):
            raise ScaleError(f"{name}: the source and note must be text.")
        if not isinstance(self.unverified, bool):
            raise ScaleError(f"{name}: 'unverified' must be true or false.")
        if not isinstance(self.needs_wording, str):
            raise ScaleError(f"{name}: 'needs_wording' must be text (why the scale cannot be used yet).")
        if not all(_text(a) for a in self.anchors):
            raise ScaleError(f"{name}: every answer anchor needs words.")
        for item in self.items:
            anchors = tuple(item.anchors)
            if anchors and (len(anchors) != item.high - item.low + 1 or not all(_text(a) for a in anchors)):
                raise ScaleError(f"{name} item {item.key!r}: give one answer anchor for each score "
                                 f"{item.low}-{item.high} ({item.high - item.low + 1}), not {len(anchors)}.")

    # -- answer anchors -----------------------------------------------------
    def anchors_for(self, item: Item) -> tuple[str, ...]:
        """What each score low..high of this item means: the item's own anchors, else
        the scale's where they fit its range (an item edited to another range has none)."""
        if item.anchors:
            return tuple(item.anchors)
        return self.anchors if len(self.anchors) == item.high - item.low + 1 else ()

    def anchor_text(self, item: Item) -> str:
        """'0 not at all · 1 a little · ... · 4 very much so', or '' with no anchors."""
        anchors = self.anchors_for(item)
        return " · ".join(f"{item.low + n} {a}" for n, a in enumerate(anchors))

    @property
    def usable(self) -> bool:
        return not self.needs_wording

    # -- ranges -------------------------------------------------------------
    @property
    def total_low(self) -> int:
        return sum(i.low for i in self.items)

    @property
    def total_high(self) -> int:
        return sum(i.high for i in self.items)

    @property
    def value_range(self) -> tuple[int, int]:
        """The range of `score()`: the headline item's range, or the total's."""
        if self.headline is not None:
            item = self.item(self.headline)
            return item.low, item.high
        return self.total_low, self.total_high

    @property
    def required_keys(self) -> tuple[str, ...]:
        """The items an entry must score: the headline alone, or every item."""
        return (self.headline,) if self.headline is not None else tuple(i.key for i in self.items)

    def item(self, key: str) -> Item:
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(key)

    # -- scoring ------------------------------------------------------------
    @cached_property
    def _known(self) -> dict[str, Item]:
        """Items by key, built once per definition (scoring a clinic's million entries calls _check each time)."""
        return {i.key: i for i in self.items}

    def _check(self, items: Mapping[str, int]) -> None:
        if not isinstance(items, Mapping):
            raise ScaleError(f"{self.title}: the scores must be given item by item.")
        known = self._known
        for key, value in items.items():
            item = known.get(key)
            if item is None:
                raise ScaleError(f"{self.title} has no item {key!r}; its items are {', '.join(known)}.")
            if not _is_int(value) or not item.low <= value <= item.high:
                raise ScaleError(f"{self.title} item {key!r}: score must be a whole number "
                                 f"{item.low}-{item.high}, not {value!r}.")
        missing = [k for k in self.required_keys if k not in items]
        if missing:
            more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
            first = known[missing[0]]
            raise ScaleError(f"{self.title} item {first.key!r} ({first.text}) has no score{more}.")

    def total(self, items: Mapping[str, int]) -> int:
        """The sum of the item scores given (checked as `score` checks them)."""
        self._check(items)
        return sum(items.values())

    def score(self, items: Mapping[str, int]) -> int:
        """The series value: the headline item's score, or the total. Raises ScaleError
        for an unknown item, a score out of range or not whole, or a missing item."""
        self._check(items)
        if self.headline is not None:
            return items[self.headline]
        return sum(items.values())

    def check_usable(self) -> None:
        """ScaleError with the reason when the scale has no wording yet (a new entry needs it)."""
        if self.needs_wording:
            raise ScaleError(f"{self.title} cannot be used yet: {self.needs_wording}")

    def band(self, value: int) -> Band | None:
        for band in self.bands:
            if band.low <= value <= band.high:
                return band
        return None

    def band_index(self, value: int) -> int | None:
        for n, band in enumerate(self.bands):
            if band.low <= value <= band.high:
                return n
        return None

    # -- dict form (what the database stores) -------------------------------
    def to_dict(self) -> dict:
        out = {
            "key": self.key,
            "version": self.version,
            "title": self.title,
            "items": [i.to_dict() for i in self.items],
            "bands": [b.to_dict() for b in self.bands],
            "headline": self.headline,
            "source": self.source,
            "unverified": self.unverified,
            "note": self.note,
        }
        if self.anchors:
            out["anchors"] = list(self.anchors)
        if self.needs_wording:
            out["needs_wording"] = self.needs_wording
        return out

    @classmethod
    def from_dict(cls, d: Mapping) -> "ScaleDefinition":
        """Build and validate; ScaleError (one line, naming the item) if it will not do."""
        if not isinstance(d, Mapping):
            raise ScaleError("A scale definition must be a table of fields.")
        name = d.get("title") if _text(d.get("title")) else d.get("key", "The scale")
        unknown = sorted(set(d) - _FIELDS)
        if unknown:
            raise ScaleError(f"{name}: unknown field {unknown[0]!r} (known: {', '.join(sorted(_FIELDS))}).")
        for needed in ("key", "version", "title", "items"):
            if needed not in d:
                raise ScaleError(f"{name}: the definition needs a {needed!r}.")
        raw_items, raw_bands = d["items"], d.get("bands", [])
        if not isinstance(raw_items, (list, tuple)) or not isinstance(raw_bands, (list, tuple)):
            raise ScaleError(f"{name}: items and bands must be lists.")
        items = []
        for n, it in enumerate(raw_items, 1):
            if not isinstance(it, Mapping):
                raise ScaleError(f"{name} item {n} must be a table of key, text, low, high and rater.")
            label = f"{name} item {it.get('key', n)!r}"
            extra = sorted(set(it) - _ITEM_FIELDS)
            if extra:
                raise ScaleError(f"{label}: unknown field {extra[0]!r} (known: key, text, low, high, rater, anchors).")
            lacking = [f for f in ("key", "text", "low", "high") if f not in it]
            if lacking:
                raise ScaleError(f"{label} needs a {lacking[0]!r}.")
            items.append(Item(it["key"], it["text"], it["low"], it["high"], it.get("rater", "patient"),
                              _anchor_list(label, it.get("anchors", ()))))
        bands = []
        for b in raw_bands:
            if not isinstance(b, Mapping) or set(b) != _BAND_FIELDS:
                raise ScaleError(f"{name}: each band needs exactly low, high and label.")
            bands.append(Band(b["low"], b["high"], b["label"]))
        return cls(
            key=d["key"],
            version=d["version"],
            title=d["title"],
            items=tuple(items),
            bands=tuple(bands),
            headline=d.get("headline"),
            source=d.get("source", ""),
            unverified=d.get("unverified", False),
            note=d.get("note", ""),
            anchors=_anchor_list(name, d.get("anchors", ())),
            needs_wording=d.get("needs_wording", ""),
        )


def _anchor_list(name: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)):
        raise ScaleError(f"{name}: anchors must be a list of words, one per score.")
    return tuple(value)


def parse_scales(text: str) -> dict[str, ScaleDefinition]:
    """Scales from TOML: one `[scales.KEY]` table each, in the dict form."""
    data = tomllib.loads(text)
    out = {}
    for key, table in data.get("scales", {}).items():
        if "key" in table and table["key"] != key:
            raise ScaleError(f"Scale table {key!r} says its key is {table['key']!r}.")
        out[key] = ScaleDefinition.from_dict({"key": key, **table})
    return out


@cache
def _shipped() -> tuple[tuple[str, ScaleDefinition], ...]:
    return tuple(parse_scales(_shipped_text()).items())


def _shipped_text() -> str:
    return files("taperdesk.data").joinpath("scales.toml").read_text(encoding="utf-8")


@cache
def _earlier() -> tuple[ScaleDefinition, ...]:
    """Shipped versions a later one replaced (the `[[earlier]]` tables): entries
    made with them are still checked and read by them."""
    return tuple(ScaleDefinition.from_dict(table) for table in tomllib.loads(_shipped_text()).get("earlier", []))


def load_scales() -> dict[str, ScaleDefinition]:
    """The shipped definitions (data/scales.toml), by key; read once."""
    return dict(_shipped())


def shipped_versions() -> dict[tuple[str, int], ScaleDefinition]:
    """Every version TaperDesk has shipped, by (key, version): the current ones and the earlier."""
    out = {(d.key, d.version): d for d in _earlier()}
    out.update({(d.key, d.version): d for d in load_scales().values()})
    return out
