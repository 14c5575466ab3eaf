"""The non-drug support a clinic offers beside a taper (CBT for insomnia or
anxiety, sleep-hygiene advice, a support group, exercise): a list the clinic
edits, each option with the line its patients read on the advice page and the
option's source. The shipped list is data/support.toml; a clinic's own list is
stored as a whole new version each time it is saved (storage/support.py), and
what was agreed with a patient keeps the words it had that day.

`parse_options` is the one check for any list, shipped or typed by a clinic:
keys unique and plain, every option with a label and a patient line."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from functools import cache
from importlib.resources import files

from taperdesk.core.advice import SupportLine

_KEY = re.compile(r"^[a-z0-9_]{1,40}$")
_FIELDS = {"key", "label", "patient", "source"}


class SupportError(ValueError):
    """A support list a clinician must fix; the message names the option, in one line."""


def parse_options(raw: Iterable[Mapping]) -> tuple[SupportLine, ...]:
    out: list[SupportLine] = []
    seen: set[str] = set()
    for n, option in enumerate(raw, 1):
        if not isinstance(option, Mapping):
            raise SupportError(f"Support option {n} must be a table of key, label, patient and source.")
        unknown = sorted(set(option) - _FIELDS)
        if unknown:
            raise SupportError(f"Support option {n}: unknown field {unknown[0]!r} (known: key, label, patient, source).")
        key, label = option.get("key", ""), option.get("label", "")
        patient, source = option.get("patient", ""), option.get("source", "")
        if not all(isinstance(v, str) for v in (key, label, patient, source)):
            raise SupportError(f"Support option {n}: key, label, patient and source must be text.")
        name = label.strip() or f"option {n}"
        if not _KEY.match(key):
            raise SupportError(f"Support option {name!r}: its key must be lower-case letters, digits or _ "
                               f"(at most 40), not {key!r}.")
        if key in seen:
            raise SupportError(f"Support option {name!r}: the key {key!r} is used twice.")
        if not label.strip():
            raise SupportError(f"Support option {n} ({key}) needs a label: what the clinician picks.")
        if not patient.strip():
            raise SupportError(f"Support option {name!r} needs the line the patient reads on the advice page.")
        seen.add(key)
        out.append(SupportLine(key, label.strip(), patient.strip(), source.strip()))
    if not out:
        raise SupportError("The support list needs at least one option.")
    return tuple(out)


@cache
def _shipped() -> tuple[SupportLine, ...]:
    data = tomllib.loads(files("taperdesk.data").joinpath("support.toml").read_text(encoding="utf-8"))
    return parse_options(data.get("option", []))


def shipped_options() -> tuple[SupportLine, ...]:
    """The list a new clinic starts with (data/support.toml)."""
    return _shipped()


def option_dicts(options: Iterable[SupportLine]) -> list[dict[str, str]]:
    """The stored form of a list (also what a clinic's edit is checked from)."""
    return [{"key": o.key, "label": o.label, "patient": o.patient, "source": o.source} for o in options]
