"""The patient's advice page, built from what applies to them: the medicines in
their plan (each one's half-life in plain words, from the catalogue), whether
they drink and what else they take that makes them sleepy, the non-drug
support agreed with them, and their clinic's own emergency number. The words
are data (data/advice.toml), each point with its source; this module only
chooses and fills them, so the export draws what it is given and a test can
measure every variant's reading grade without a PDF.

Alcohol and what else the patient takes come in as recorded
(`AdviceFacts.alcohol_units`, `.others`); `substance_points` turns them into
lines: the page's own alcohol lines (stronger for someone who drinks) and, for
each interaction the rules find (core/interactions.py, the same answer the
wizard and the papers give), the rule's plain words with its source."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from taperdesk.core.interactions import OtherMedicine, check

CONDITIONS = ("drinks", "not_drinking", "drug_in")


@dataclass(frozen=True)
class Medicine:
    """One medicine in the plan as the catalogue knows it."""

    name: str
    half_life_h: str  # as printed in the catalogue: "20–100 [36–200]"
    short_acting: bool
    source: str = ""


@dataclass(frozen=True)
class SupportLine:
    """One support option agreed, with the words it had when it was agreed."""

    key: str
    label: str
    patient: str
    source: str = ""


@dataclass(frozen=True)
class AdviceFacts:
    medicines: tuple[Medicine, ...] = ()
    alcohol_units: float | None = None  # a week; None: not recorded
    others: tuple[OtherMedicine, ...] = ()  # other medicines and sedating substances, as recorded
    support: tuple[SupportLine, ...] = ()
    clinic_name: str = ""
    clinic_phone: str = ""
    emergency_number: str = ""  # "" for a clinic set up before its country was recorded


@dataclass(frozen=True)
class Point:
    text: str
    source: str


@dataclass(frozen=True)
class Section:
    heading: str
    points: tuple[Point, ...]
    urgent: bool = False


@dataclass(frozen=True)
class AdvicePage:
    title: str
    sections: tuple[Section, ...]
    emergency: str  # the sentence printed in the urgent box
    sources: tuple[str, ...]  # every source of what is printed, once each, in order

    def text(self) -> str:
        """Everything the patient reads on the page (not the sources), as sentences."""
        parts = [self.title + "."]
        for section in self.sections:
            parts.append(section.heading + ".")
            parts += [p.text for p in section.points]
            if section.urgent:
                parts.append(self.emergency)
        return " ".join(parts)


@cache
def _shipped_text() -> str:
    return files("taperdesk.data").joinpath("advice.toml").read_text(encoding="utf-8")


def load_advice() -> dict:
    """data/advice.toml, parsed afresh (callers may not change the cached text)."""
    return tomllib.loads(_shipped_text())


def _numbers(text: str) -> list[float]:
    return [float(n) for n in re.findall(r"\d+(?:\.\d+)?", text)]


def _span(low: float, high: float) -> str:
    """Hours as a person says them: '6 to 12 hours', '1 to 4 days'."""
    if high < 48:
        return f"{low:g} hours" if low == high else f"{low:g} to {high:g} hours"
    days_low, days_high = max(1, round(low / 24)), max(1, round(high / 24))
    if days_low == days_high:
        return f"about {days_low} day{'s' if days_low > 1 else ''}"
    return f"{days_low} to {days_high} days"


def hours_in_words(half_life_h: str) -> str:
    """The catalogue's half-life ('20–100 [36–200]') as plain words: the drug's own
    range; where only the active metabolite's is given ('[36–200]'), that one."""
    own = half_life_h.split("[")[0]
    numbers = _numbers(own) or _numbers(half_life_h)
    if not numbers:
        return "a time that differs from person to person"
    return _span(min(numbers), max(numbers))


def _fill(text: str, facts: AdviceFacts) -> str:
    names = [m.name for m in facts.medicines]
    drug = " and ".join(names) if names else "this medicine"
    return text.format(drug=drug, Drug=drug[:1].upper() + drug[1:],
                       clinic_name=facts.clinic_name.strip() or "your clinic",
                       clinic_phone=facts.clinic_phone.strip() or "the number we gave you")


def _applies(point: Mapping, facts: AdviceFacts) -> bool:
    when = point.get("when")
    if when is None:
        return True
    if when not in CONDITIONS:
        raise ValueError(f"advice.toml: unknown condition {when!r} (known: {', '.join(CONDITIONS)})")
    drinks = facts.alcohol_units is not None and facts.alcohol_units > 0
    if when == "drinks":
        return drinks
    if when == "not_drinking":
        return not drinks
    return any(m.name in point.get("drugs", ()) for m in facts.medicines)


def _points(section: Mapping, facts: AdviceFacts) -> list[Point]:
    out = []
    for raw in section.get("points", ()):
        point = {"text": raw} if isinstance(raw, str) else raw
        if _applies(point, facts):
            out.append(Point(_fill(point["text"], facts), point.get("source", section["source"])))
    return out


def substance_points(section: Mapping, facts: AdviceFacts) -> list[Point]:
    """The page's alcohol lines that apply, then each interaction found with what
    the patient takes (alcohol included), in the rule's plain words and with its
    source; a sentence already said is not said twice."""
    first = _points({**section, "points": [p for p in section.get("points", ()) if not _last(p)]}, facts)
    last = _points({**section, "points": [p for p in section.get("points", ()) if _last(p)]}, facts)
    out = list(first)
    drugs = [m.name for m in facts.medicines]
    for warning in check(drugs, facts.others, facts.alcohol_units):
        if not any(p.text == warning.patient_text for p in out):
            out.append(Point(warning.patient_text, warning.cite()))
    return out + last


def _last(point: object) -> bool:
    return isinstance(point, Mapping) and bool(point.get("last"))


def half_life_points(section: Mapping, facts: AdviceFacts) -> list[Point]:
    out = []
    for m in facts.medicines:
        words = section["short" if m.short_acting else "long"]
        name = m.name[:1].upper() + m.name[1:]
        text = words.format(Drug=name, drug=m.name, hours=hours_in_words(m.half_life_h))
        out.append(Point(text, m.source or section["source"]))
    return out


def support_points(section: Mapping, facts: AdviceFacts) -> list[Point]:
    if not facts.support:
        return [Point(section["none_agreed"], section.get("none_agreed_source", section["source"]))]
    return [Point(s.patient, s.source or section["source"]) for s in facts.support]


def emergency_sentence(facts: AdviceFacts, advice: Mapping) -> str:
    """The clinic's own country's number when first run recorded it; the general
    sentence (999 / 911 / 112) only for a clinic set up before that."""
    number = facts.emergency_number.strip()
    if number and "emergency_known" in advice:
        return advice["emergency_known"].format(emergency_number=number)
    return advice["emergency"]


def advice_page(facts: AdviceFacts, advice: Mapping | None = None) -> AdvicePage:
    """The page for this patient: every section whose points apply, in print order."""
    advice = load_advice() if advice is None else advice
    sections: list[Section] = []
    sources: list[str] = []
    for section in advice["section"]:
        kind = section.get("kind")
        if kind == "half_life":
            points = half_life_points(section, facts)
        elif kind == "support":
            points = support_points(section, facts)
        elif kind == "substances":
            points = substance_points(section, facts)
        else:
            points = _points(section, facts)
        if not points:
            continue
        heading = section["heading"]
        if kind == "support" and not facts.support:
            heading = section.get("none_heading", heading)
        sections.append(Section(heading, tuple(points), bool(section.get("urgent"))))
        for p in points:
            if p.source not in sources:
                sources.append(p.source)
    if advice.get("emergency_source") and advice["emergency_source"] not in sources:
        sources.append(advice["emergency_source"])
    return AdvicePage(advice["title"], tuple(sections), emergency_sentence(facts, advice), tuple(sources))


def medicines_for(drug_names: Sequence[str], catalogue) -> tuple[Medicine, ...]:
    """The plan's medicines (its drug, then any crossover target) as the catalogue
    knows them; a name the catalogue does not know is left out, never guessed."""
    out = []
    for name in dict.fromkeys(n for n in drug_names if n):
        try:
            drug = catalogue.drug(name)
        except (KeyError, ValueError):
            continue
        out.append(Medicine(drug.name, drug.half_life_h, drug.short_acting, drug.half_life_source))
    return tuple(out)
