"""Scale definitions a clinic has added or edited. The shipped definitions
(data/scales.toml, version 1) are not stored; each saved edit is a new row with
the next version (append-only: older versions stay, and the entries made with
them keep pointing at them). Only a clinician may change a scale."""

from __future__ import annotations

import json
from collections.abc import Mapping

from taperdesk.core.scales import ScaleDefinition, ScaleError, load_scales, shipped_versions
from taperdesk.storage import attention, audit
from taperdesk.storage.connection import reading, writing
from taperdesk.storage.errors import InvalidInputError, NotFoundError
from taperdesk.storage.models import ScaleDefinitionRow
from taperdesk.storage.records import Clinician
from taperdesk.storage.text import to_utc_text, utc_now


def definition_text(definition: ScaleDefinition) -> str:
    return json.dumps(definition.to_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _from_row(key: str, version: int, text: str) -> ScaleDefinition:
    return ScaleDefinition.from_dict({**json.loads(text), "key": key, "version": version})


def stored_definitions() -> dict[tuple[str, int], ScaleDefinition]:
    """Every stored version, by (key, version); call inside a transaction."""
    rows = ScaleDefinitionRow.select(ScaleDefinitionRow.key, ScaleDefinitionRow.version,
                                     ScaleDefinitionRow.definition).tuples()
    return {(k, v): _from_row(k, v, text) for k, v, text in rows}


def all_versions() -> dict[tuple[str, int], ScaleDefinition]:
    """Shipped and stored definitions by (key, version); inside a transaction."""
    out = shipped_versions()
    out.update(stored_definitions())  # a clinic's own edit numbered like a later shipped version wins
    return out


def known_keys() -> list[str]:
    """The keys of every scale, shipped or stored, sorted; inside a transaction."""
    stored = {k for (k,) in ScaleDefinitionRow.select(ScaleDefinitionRow.key).distinct().tuples()}
    return sorted(set(load_scales()) | stored)


def current_definition(key: str) -> ScaleDefinition | None:
    """The latest version of one scale (stored, else shipped); inside a transaction."""
    row = (ScaleDefinitionRow.select().where(ScaleDefinitionRow.key == key)
           .order_by(ScaleDefinitionRow.version.desc()).first())
    if row is not None:
        return _from_row(row.key, row.version, row.definition)
    return load_scales().get(key)


def definition_version(key: str, version: int) -> ScaleDefinition | None:
    """One version of one scale, or None; inside a transaction."""
    row = ScaleDefinitionRow.get_or_none((ScaleDefinitionRow.key == key) & (ScaleDefinitionRow.version == version))
    if row is not None:
        return _from_row(row.key, row.version, row.definition)
    return shipped_versions().get((key, version))


def save_scale_definition(*, definition: ScaleDefinition | Mapping, author: Clinician | int) -> ScaleDefinition:
    """Store a clinic's new or edited scale as the next version of its key (the
    version it carries is ignored) and return it as stored. The definition is
    checked again through `ScaleDefinition.from_dict`; a bad one is refused with
    its one-line message. Saving what is already the current version stores nothing."""
    data = dict(definition.to_dict() if isinstance(definition, ScaleDefinition) else definition)
    try:
        checked = ScaleDefinition.from_dict(data)
    except ScaleError as exc:
        raise InvalidInputError(str(exc)) from None
    with writing():
        author_row = audit.resolve_author(author, operation="scale_wording")
        current = current_definition(checked.key)
        if current is not None and current.to_dict() | {"version": 0} == checked.to_dict() | {"version": 0}:
            return current
        stored = ScaleDefinition.from_dict({**checked.to_dict(), "version": current.version + 1 if current else 1})
        row = ScaleDefinitionRow.create(key=stored.key, version=stored.version, definition=definition_text(stored),
                                        author=author_row.id, created_at=to_utc_text(utc_now()))
        audit.record(author_row, "create" if current is None else "update", "scale_definition", row.id,
                     f"scale {stored.key!r} ({stored.title}) version {stored.version}: "
                     f"{len(stored.items)} items, {len(stored.bands)} bands")
        attention.invalidate_all()  # bands (and so flares) may read differently now
        return stored


def scale_definitions() -> dict[str, ScaleDefinition]:
    """The scales in use: the shipped ones overlaid with the latest saved version of
    each key (a clinic's own scales included)."""
    with reading():
        out = load_scales()
        for (key, version), definition in sorted(stored_definitions().items()):
            out[key] = definition  # sorted by version: the latest wins
        return out


def scale_definition(*, key: str, version: int) -> ScaleDefinition:
    """One version of a scale (the shipped version 1 when no clinic edit has it)."""
    with reading():
        found = definition_version(key, version)
    if found is None:
        raise NotFoundError(f"There is no version {version} of the symptom scale {key!r}.")
    return found


def scale_versions(*, key: str) -> list[ScaleDefinition]:
    """Every version of a scale, oldest first (the shipped one included)."""
    with reading():
        return [d for (k, _), d in sorted(all_versions().items()) if k == key]
