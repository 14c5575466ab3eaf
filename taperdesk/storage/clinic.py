"""The clinic's single settings row (letterhead, paper, stock, pace, which
equivalence table, the flare thresholds). Structured parts are JSON text; the
core decides what a stock list or a pace means, storage only keeps it intact
(the flare thresholds are checked by the core's FlareRule before they are kept)."""

from __future__ import annotations

import dataclasses
import json
from typing import TYPE_CHECKING

from taperdesk.storage import attention, audit
from taperdesk.storage.connection import reading, writing
from taperdesk.storage.errors import InvalidInputError
from taperdesk.storage.models import ClinicSettingsRow
from taperdesk.storage.records import PAPER_SIZES, ClinicSettings, Clinician

if TYPE_CHECKING:
    from taperdesk.core.supervision import FlareRule


def get_clinic_settings() -> ClinicSettings:
    with reading():
        row = ClinicSettingsRow.get_by_id(1)
    return ClinicSettings(
        name=row.name, address=row.address, phone=row.phone,
        prescribers=tuple(json.loads(row.prescribers)), letterhead=row.letterhead,
        paper_size=row.paper_size, stock=json.loads(row.stock),
        default_pace=json.loads(row.default_pace), equivalence_table=row.equivalence_table,
        backup_keep=row.backup_keep, supervision=json.loads(row.supervision),
        country=row.country, emergency_number=row.emergency_number,
    )


def flare_rule() -> FlareRule:
    """The clinic's flare thresholds: its settings over the defaults (data/supervision.toml)."""
    from taperdesk.core.supervision import FlareRule  # the planner's modules, loaded when first needed

    return FlareRule.from_dict(get_clinic_settings().supervision)


def save_clinic_settings(*, settings: ClinicSettings, author: Clinician | int) -> ClinicSettings:
    """Replace the settings; the audit event names the fields that changed."""
    if settings.paper_size not in PAPER_SIZES:
        raise InvalidInputError(f"Paper size must be A4 or Letter, not {settings.paper_size!r}.")
    if not 1 <= settings.backup_keep <= 3650:
        raise InvalidInputError("Keep between 1 and 3650 daily backups.")
    from taperdesk.core.supervision import FlareRule

    try:
        FlareRule.from_dict(settings.supervision)
    except ValueError as exc:
        raise InvalidInputError(str(exc)) from None
    with writing():
        author_row = audit.resolve_author(author, operation="clinic_settings")
        before = get_clinic_settings()
        changed = [f.name for f in dataclasses.fields(ClinicSettings)
                   if getattr(before, f.name) != getattr(settings, f.name)]
        ClinicSettingsRow.update(
            name=settings.name, address=settings.address, phone=settings.phone,
            prescribers=json.dumps(list(settings.prescribers)), letterhead=settings.letterhead,
            paper_size=settings.paper_size, stock=json.dumps(settings.stock, sort_keys=True),
            default_pace=json.dumps(settings.default_pace, sort_keys=True),
            equivalence_table=settings.equivalence_table, backup_keep=settings.backup_keep,
            supervision=json.dumps(dict(settings.supervision), sort_keys=True),
            country=settings.country.strip(), emergency_number=settings.emergency_number.strip(),
        ).where(ClinicSettingsRow.id == 1).execute()
        audit.record(author_row, "update", "clinic_settings", 1,
                     "changed " + (", ".join(changed) if changed else "nothing"))
        if "supervision" in changed:  # new thresholds: every patient's answer may change
            attention.invalidate_all()
    return get_clinic_settings()
