"""Plain, frozen objects the repositories return: the UI and export never see a
peewee row, so they cannot run a query or save a half-edited object by accident."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

ROLES = ("clinician", "staff")  # schema 1's coarse column; the roles themselves are core.roles.ROLES
PAPER_SIZES = ("A4", "Letter")


@dataclass(frozen=True)
class Clinician:
    id: int
    name: str
    role: str  # schema 1's coarse column: "clinician" (administers or prescribes) or "staff"
    active: bool
    created_at: dt.datetime
    roles: tuple[str, ...] = ()  # core.roles.ROLES held, in that order
    must_change_password: bool = False  # reset by an administrator: a new one before anything else


@dataclass(frozen=True)
class ClinicSettings:
    name: str = ""
    address: str = ""
    phone: str = ""
    prescribers: tuple[str, ...] = ()
    letterhead: str = ""
    paper_size: str = "A4"
    stock: Mapping[str, Any] = field(default_factory=dict)
    default_pace: Mapping[str, Any] = field(default_factory=dict)
    equivalence_table: str = "ashton"
    backup_keep: int = 30
    supervision: Mapping[str, Any] = field(default_factory=dict)  # flare thresholds; {} = the defaults
    country: str = ""  # where the clinic is (its emergency number and paper follow from it)
    emergency_number: str = ""  # what the handouts tell a patient to call in an emergency


@dataclass(frozen=True)
class Patient:
    id: int
    name: str
    born: dt.date
    identifier: str
    phone: str
    notes: str
    archived: bool
    created_at: dt.datetime


@dataclass(frozen=True)
class PlanRecord:
    id: int
    patient_id: int
    drug: str
    status: str
    created_at: dt.datetime
    created_by: int


@dataclass(frozen=True)
class StatusEvent:
    id: int
    plan_id: int
    status: str
    at: dt.datetime
    clinician_id: int
    reason: str


@dataclass(frozen=True)
class Revision:
    """One stored version of a plan: the exact JSON the core produced."""

    id: int
    plan_id: int
    number: int
    plan_json: str
    settings_json: str
    author_id: int
    created_at: dt.datetime
    reason: str

    def plan(self):
        """The core Plan (parsed on demand: history lists need not parse every step)."""
        from taperdesk.core.plan import Plan

        return Plan.from_json(self.plan_json)

    def settings(self):
        from taperdesk.core.settings import PlanSettings

        return PlanSettings.from_dict(json.loads(self.settings_json))

    def plan_data(self) -> dict:
        return json.loads(self.plan_json)


@dataclass(frozen=True)
class SymptomEntry:
    """One version of a symptom record. A correction is a newer version with
    `supersedes` set; a retraction is a version with `retracted` True."""

    id: int
    patient_id: int
    date: dt.date
    scale: str
    items: Mapping[str, int]
    total: int
    entered_by: int
    entered_at: dt.datetime
    note: str
    supersedes: int | None
    retracted: bool
    retraction_reason: str
    scale_version: int = 1  # the version of the scale definition the scores were made with


@dataclass(frozen=True)
class Handout:
    id: int
    revision_id: int
    kind: str
    created_at: dt.datetime
    created_by: int | None
    sha256: str
    size: int


@dataclass(frozen=True)
class AuditEvent:
    id: int
    at: dt.datetime
    clinician_id: int | None
    action: str
    entity: str
    entity_id: int | None
    summary: str


@dataclass(frozen=True)
class PlanHistory:
    plan: PlanRecord
    revisions: tuple[Revision, ...]
    status_events: tuple[StatusEvent, ...]

    @property
    def latest(self) -> Revision:
        return self.revisions[-1]


@dataclass(frozen=True)
class PatientHistory:
    """A patient's whole record: every plan with all revisions and status changes,
    and every symptom entry version (corrections and retractions included)."""

    patient: Patient
    plans: tuple[PlanHistory, ...]
    entries: tuple[SymptomEntry, ...]

    def current_entries(self) -> tuple[SymptomEntry, ...]:
        """Entries as they stand now: latest versions, retracted ones left out."""
        replaced = {e.supersedes for e in self.entries if e.supersedes is not None}
        return tuple(e for e in self.entries if e.id not in replaced and not e.retracted)
