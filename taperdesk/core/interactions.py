"""Interactions between the drugs of a taper and what else the patient takes.

The rules and the medicine classes are data (data/interactions.toml), each with
its source, so a clinician can see why a warning is shown and a clinic can add
the brand names it meets. Names are matched case-insensitively as whole words
inside what was typed ("OxyContin 10 mg twice a day" is oxycodone), because the
other-medicines list is free text written by people, not codes.

`check` is the one answer every surface uses (wizard, plan tab, papers, CLI).
`Findings.status` is what a surface says when nothing matched: a warning block
never passes silently.

Pure standard library: no Qt, database or PDF code may be imported here.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib.resources import files

__all__ = [
    "ALCOHOL",
    "SUBSTANCE",
    "Findings",
    "Group",
    "InteractionRules",
    "InteractionWarning",
    "OtherMedicine",
    "Rule",
    "alcohol_units",
    "check",
    "findings",
    "load_rules",
    "plan_drugs",
]

ALCOHOL = "alcohol"  # built-in "group": alcohol units a week above 0
SUBSTANCE = "substance"  # built-in "group": any other sedating substance recorded
KINDS = ("medicine", "substance")
MAX_UNITS_WEEK = 500.0  # more than this is a typing slip, not a drinking history
UNVERIFIED_MARK = " [UNVERIFIED: verify locally]"


class InteractionDataError(ValueError):
    """data/interactions.toml breaks a rule of its format; the message names the entry."""


@dataclass(frozen=True)
class OtherMedicine:
    """Something the patient takes besides the taper: a medicine or a sedating substance."""

    name: str
    dose: str = ""
    since: date | None = None
    note: str = ""
    kind: str = "medicine"  # or "substance"

    def describe(self) -> str:
        dose = f" {self.dose.strip()}" if self.dose.strip() else ""
        return f"{self.name.strip()}{dose}"


@dataclass(frozen=True)
class Group:
    id: str
    label: str
    plain: str
    source: str
    members: dict[str, tuple[str, ...]]  # generic name -> brand names and synonyms

    def match(self, text: str) -> str | None:
        """The generic name `text` names (as a whole word or phrase), or None."""
        words = f" {_words(text)} "
        for generic, also in self.members.items():
            for name in (generic, *also):
                if f" {_words(name)} " in words:
                    return _display(generic)
        return None


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    taper: tuple[str, ...]
    other: tuple[str, ...]
    risk: str
    action: str
    patient: str
    source: str
    read: str
    unverified: bool
    only: tuple[str, ...] = ()  # taper drugs this rule is limited to (empty: all of its groups)
    instead_of: tuple[str, ...] = ()

    def cite(self) -> str:
        return self.source + (UNVERIFIED_MARK if self.unverified else "")


@dataclass(frozen=True)
class InteractionWarning:
    """One rule matched by one drug of the taper and one other medicine (or alcohol)."""

    rule: str
    title: str
    drug: str  # the taper's drug
    other: str  # as recorded: "oxycodone 10 mg", "alcohol, 20 units a week"
    other_class: str  # "opioids"
    risk: str
    action: str
    patient_text: str  # plain words, for the handout
    source: str
    unverified: bool = False

    @property
    def pair(self) -> str:
        kind = "" if self.other_class == ALCOHOL else f" ({self.other_class})"
        return f"{self.other}{kind} with {self.drug}"

    def cite(self) -> str:
        return self.source + (UNVERIFIED_MARK if self.unverified else "")

    def line(self) -> str:
        """The warning in one line with its source, as the plan JSON and the table print it."""
        return f"Interaction: {self.pair}. {self.risk} What to do: {self.action} Source: {self.cite()}."


@dataclass(frozen=True)
class InteractionRules:
    groups: dict[str, Group]
    rules: tuple[Rule, ...]

    def classes_of(self, name: str) -> dict[str, str]:
        """group id -> generic name, for every group `name` belongs to."""
        out = {}
        for gid, group in self.groups.items():
            generic = group.match(name)
            if generic is not None:
                out[gid] = generic
        return out


@dataclass(frozen=True)
class Findings:
    """What a surface shows: the warnings, and what was checked when there are none."""

    warnings: tuple[InteractionWarning, ...]
    drugs: tuple[str, ...]
    checked: tuple[str, ...] = field(default=())  # what was recorded and looked at

    @property
    def recorded(self) -> bool:
        return bool(self.checked)

    @property
    def status(self) -> str:
        if self.warnings:
            n = len(self.warnings)
            return f"{n} interaction warning{'s' if n != 1 else ''} with the medicines recorded."
        if not self.checked:
            return "No other medicines, substances or alcohol recorded for this patient: nothing to check."
        return f"No interactions found with the medicines recorded ({', '.join(self.checked)})."

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(w.cite() for w in self.warnings))


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.casefold()))


def _display(generic: str) -> str:
    return generic.replace("_", " ")


def _strings(entry: dict, key: str, where: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise InteractionDataError(f"{where}: {key} must be a list of names")
    return tuple(value)


def parse_rules(data: dict) -> InteractionRules:
    """The rules from the TOML's parsed form, checked: every rule's groups exist and
    every rule says its risk, what to do, the patient's words and its source."""
    groups: dict[str, Group] = {}
    for gid, entry in (data.get("group") or {}).items():
        where = f"group {gid!r}"
        for key in ("label", "plain", "source"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise InteractionDataError(f"{where}: {key} is missing")
        members = entry.get("members") or {}
        if not members:
            raise InteractionDataError(f"{where}: no members")
        groups[gid] = Group(gid, entry["label"], entry["plain"], entry["source"],
                            {name: _strings(members, name, f"{where}, {name}") for name in members})
    rules = []
    seen = set()
    for entry in data.get("rule") or []:
        rid = entry.get("id", "")
        where = f"rule {rid!r}"
        if not rid or rid in seen:
            raise InteractionDataError(f"{where}: each rule needs its own id")
        seen.add(rid)
        for key in ("title", "risk", "action", "patient", "source", "read"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise InteractionDataError(f"{where}: {key} is missing")
        if not isinstance(entry.get("unverified"), bool):
            raise InteractionDataError(f"{where}: say unverified = true or false")
        taper = _strings(entry, "taper", where)
        other = _strings(entry, "other", where)
        for gid in (*taper, *other):
            if gid not in groups and gid not in (ALCOHOL, SUBSTANCE):
                raise InteractionDataError(f"{where}: no group {gid!r}")
        if ALCOHOL in taper or SUBSTANCE in taper or not taper or not other:
            raise InteractionDataError(f"{where}: taper names drug groups, other names what else is taken")
        rules.append(Rule(rid, entry["title"], taper, other, entry["risk"], entry["action"], entry["patient"],
                          entry["source"], entry["read"], entry["unverified"], _strings(entry, "only", where),
                          _strings(entry, "instead_of", where)))
    for rule in rules:
        unknown = set(rule.instead_of) - seen
        if unknown:
            raise InteractionDataError(f"rule {rule.id!r}: instead_of names no rule {sorted(unknown)[0]!r}")
    return InteractionRules(groups, tuple(rules))


@cache
def load_rules() -> InteractionRules:
    text = files("taperdesk.data").joinpath("interactions.toml").read_text(encoding="utf-8")
    return parse_rules(tomllib.loads(text))


def alcohol_units(text: str | float | None) -> float | None:
    """Alcohol units a week as typed: None when blank; ValueError with one line saying what to fix."""
    if text is None:
        return None
    if isinstance(text, str):
        if not text.strip():
            return None
        try:
            value = float(text.strip().replace(",", "."))
        except ValueError:
            raise ValueError(f"alcohol units {text!r}: give a number of units a week, e.g. 14 (0 for none)") from None
    else:
        value = float(text)
    if not math.isfinite(value) or not 0 <= value <= MAX_UNITS_WEEK:
        raise ValueError(f"alcohol units {text!r}: give a number of units a week from 0 to {MAX_UNITS_WEEK:g}")
    return value


def plan_drugs(plan) -> tuple[str, ...]:
    """The drugs a plan gives: the drug it starts from and, for a crossover, the drug it switches to."""
    return (plan.drug,) + ((plan.crossover_to,) if plan.crossover_to and plan.crossover_to != plan.drug else ())


def _units(value: float) -> str:
    return f"{value:g} unit{'s' if value != 1 else ''} a week"


def check(regimen_drugs: Iterable[str], others: Sequence[OtherMedicine] = (),
          alcohol_units_week: float | None = None, *, rules: InteractionRules | None = None
          ) -> list[InteractionWarning]:
    """Every rule matched by a drug of the taper (a crossover's both) and an other medicine,
    a sedating substance, or alcohol (more than 0 units a week)."""
    rules = rules or load_rules()
    drugs = tuple(dict.fromkeys(d.strip().casefold() for d in regimen_drugs if d and d.strip()))
    found: dict[tuple[str, str], list] = {}  # (rule, other as recorded) -> [rule, label, generic, drugs]
    for drug in drugs:
        taper_classes = rules.classes_of(drug)
        items: list[tuple[str, dict[str, str]]] = []  # (as recorded, group -> the name to print)
        for other in others:
            if other.name.strip():
                classes = rules.classes_of(other.name)
                if other.kind == "substance":
                    classes = {**classes, SUBSTANCE: other.name.strip()}
                items.append((other.describe(), classes))
        if alcohol_units_week:
            items.append((f"alcohol, {_units(alcohol_units_week)}", {ALCOHOL: "alcohol"}))
        for recorded, classes in items:
            matched = []
            for rule in rules.rules:
                if not any(g in taper_classes for g in rule.taper):
                    continue
                if rule.only and drug not in rule.only:
                    continue
                hit = next((g for g in rule.other if g in classes), None)
                if hit is not None:
                    matched.append((rule, hit, classes[hit]))
            redundant = {r for rule, _, _ in matched for r in rule.instead_of}
            for rule, hit, generic in matched:
                if rule.id in redundant:
                    continue
                label = ("alcohol" if hit == ALCOHOL else "sedating substance" if hit == SUBSTANCE
                         else rules.groups[hit].label)
                found.setdefault((rule.id, recorded), [rule, label, generic, []])[3].append(drug)
    out = []
    for (_rid, recorded), (rule, label, generic, on) in found.items():
        # a crossover's two drugs make one warning: "lorazepam or diazepam"
        drug = " or ".join(on)
        out.append(InteractionWarning(
            rule=rule.id, title=rule.title, drug=drug, other=recorded, other_class=label,
            risk=rule.risk, action=rule.action,
            patient_text=_sentence_start(rule.patient.format(drug=drug, other=generic)),
            source=rule.source, unverified=rule.unverified))
    return out


def _sentence_start(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def findings(regimen_drugs: Iterable[str], others: Sequence[OtherMedicine] = (),
             alcohol_units_week: float | None = None) -> Findings:
    """The warnings and what was checked, for a surface to show (see Findings.status)."""
    drugs = tuple(dict.fromkeys(d for d in regimen_drugs if d))
    checked = tuple(o.describe() for o in others if o.name.strip())
    if alcohol_units_week is not None:
        checked += (f"alcohol {_units(alcohol_units_week)}",)
    return Findings(tuple(check(drugs, others, alcohol_units_week)), drugs, checked)
