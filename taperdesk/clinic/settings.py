"""The clinic's own settings (names, stock, paper, the flare rule, scale
wording) and the in-app backup: an administrator's operations."""

from __future__ import annotations

from pathlib import Path

from taperdesk import storage
from taperdesk.clinic.permissions import operation


@operation("clinic_settings")
def save_clinic_settings(*, settings: storage.ClinicSettings, author: storage.Clinician) -> storage.ClinicSettings:
    return storage.save_clinic_settings(settings=settings, author=author)


@operation("clinic_settings")
def save_paper_settings(*, settings: storage.PaperSettings, author: storage.Clinician) -> storage.PaperSettings:
    return storage.save_paper_settings(settings=settings, author=author)


@operation("scale_wording")
def save_scale_definition(*, definition, author: storage.Clinician):
    return storage.save_scale_definition(definition=definition, author=author)


@operation("backup")
def backup_now(*, author: storage.Clinician, close_connection: bool = False) -> Path:
    """Back up the open clinic file now (the daily backup needs no one). A worker
    thread passes close_connection to close its own connection after."""
    return storage.backup_now(close_connection=close_connection)
