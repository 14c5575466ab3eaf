"""From stored records to what the papers print (HandoutPatient, HandoutClinic,
RevisionNote, EntryNote) and `build_handout`. It sits in the clinic layer so
the app and `taperdesk handout` print the same paper from one mapping, and
neither front end imports the other."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import replace as dataclass_replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from taperdesk import storage
from taperdesk.clinic.permissions import operation
from taperdesk.storage.paper_records import paper_settings
from taperdesk.core.in_force import InForce, StatusChange
from taperdesk.core.plan import Plan
from taperdesk.core.supply import DEFAULT_SUPPLY_DAYS
from taperdesk.core.plan_diff import diff_plans, first_plan_summary
from taperdesk.core.scales import ScaleDefinition, ScaleError
from taperdesk.export.fonts import ExportError
from taperdesk.export.handout_data import HandoutClinic, HandoutPatient
from taperdesk.clinic.interactions import plan_findings

if TYPE_CHECKING:  # ReportLab is loaded when a handout is made, not for every command
    from taperdesk.export.clinician_summary import EntryNote, RevisionNote

KINDS = ("patient", "clinician", "pharmacy", "dosebox")
ENTRIES_BEFORE_DAYS = 28  # the summary's entries start this long before the plan (the baseline)
NO_CHANGE = "No change to the schedule, pace or approach."


class NoPlanError(Exception):
    """The patient has no plan to print."""


# -- stored records -> what the exports print -----------------------------------
def handout_patient(patient: storage.Patient) -> HandoutPatient:
    return HandoutPatient(name=patient.name, born=patient.born, identifier=patient.identifier)


def handout_clinic(settings: storage.ClinicSettings) -> HandoutClinic:
    return HandoutClinic(name=settings.name, address=settings.address, phone=settings.phone,
                         prescriber=settings.prescribers[0] if settings.prescribers else "",
                         letterhead=settings.letterhead, paper_size=settings.paper_size,
                         emergency_number=settings.emergency_number, country=settings.country)


@dataclass(frozen=True)
class PaperInputs:
    """Everything a paper prints from: the plan at its newest revision with its
    status history (`course` answers what is taken on any day), the patient and
    the clinic as printed."""

    plan: Plan
    revision: storage.Revision
    patient: HandoutPatient
    clinic: HandoutClinic
    statuses: tuple[StatusChange, ...]
    record: storage.PlanRecord
    supply_days: int = DEFAULT_SUPPLY_DAYS  # the plan's pharmacy supply period (else the clinic's)

    @property
    def course(self) -> InForce:
        return InForce(self.plan, self.statuses)


def paper_inputs(*, patient_id: int, entries: bool = False, what: str = "printed") -> PaperInputs:
    """The patient's current plan (in progress, else the latest) at its newest
    revision with its status history, and the patient and clinic as printed.
    NoPlanError if there is none; NotVerifiedError (a NoPlanError) if the
    revision fails its check (with `entries`, the patient's symptom entries too):
    every paper and export reads its plan here, so every one is verified first."""
    from taperdesk.clinic.plans import PatientPlan, status_changes
    from taperdesk.clinic.verify import require_verified_revision

    patient = storage.get_patient(patient_id=patient_id)
    found = storage.current_plans(patient_ids=[patient_id]).get(patient_id)
    if found is None:
        raise NoPlanError(f"Patient {patient.identifier} has no plan to print.")
    record, revision = found
    require_verified_revision(revision_id=revision.id, entries=entries, what=what)  # before the JSON is read
    events = storage.status_events(plan_ids=[record.id])[record.id]
    course = PatientPlan(record, revision, revision.plan(), status_changes(events)).course
    clinic = handout_clinic(storage.get_clinic_settings())
    chosen = storage.plan_paper(plan_id=record.id)  # the plan's own prescriber and supply period
    if chosen is not None and chosen.prescriber:
        clinic = dataclass_replace(clinic, prescriber=chosen.prescriber)
    who = dataclass_replace(handout_patient(patient), next_review=storage.review_date(patient_id=patient_id))
    return PaperInputs(course.plan, revision, who, clinic, course.statuses, record,
                       chosen.supply_days if chosen else paper_settings().supply_days)


def handout_inputs(*, patient_id: int, entries: bool = False,
                   what: str = "printed") -> tuple[Plan, storage.Revision, HandoutPatient, HandoutClinic]:
    """paper_inputs as the older 4-tuple (the plan, its revision, the patient, the clinic)."""
    found = paper_inputs(patient_id=patient_id, entries=entries, what=what)
    return found.plan, found.revision, found.patient, found.clinic


def _names() -> dict[int, str]:
    return {c.id: c.name for c in storage.list_clinicians(include_inactive=True)}


def revision_notes(*, plan_id: int, names: dict[int, str] | None = None) -> list[RevisionNote]:
    """Every revision of the plan with its author, reason and what it changed
    (the History tab's sentences); times in the computer's time zone."""
    from taperdesk.export.clinician_summary import RevisionNote

    names = _names() if names is None else names
    notes: list[RevisionNote] = []
    previous: Plan | None = None
    for rev in storage.revisions(plan_id=plan_id):
        plan = rev.plan()
        changes = first_plan_summary(plan) if previous is None else (diff_plans(previous, plan) or [NO_CHANGE])
        notes.append(RevisionNote(rev.number, rev.created_at.astimezone(), names.get(rev.author_id, f"account {rev.author_id}"),
                                  rev.reason, tuple(changes)))
        previous = plan
    return notes


def entry_notes(*, patient_id: int, since: date | None = None,
                names: dict[int, str] | None = None) -> list[EntryNote]:
    """Current symptom entries from `since`, each read by the scale version it was made with."""
    from taperdesk.export.clinician_summary import EntryNote

    names = _names() if names is None else names
    definitions: dict[tuple[str, int], ScaleDefinition | None] = {}
    out = []
    for e in storage.symptom_entries(patient_id=patient_id, since=since):
        key = (e.scale, e.scale_version)
        if key not in definitions:
            try:
                definitions[key] = storage.scale_definition(key=e.scale, version=e.scale_version)
            except storage.StorageError:
                definitions[key] = storage.scale_definitions().get(e.scale)
        definition = definitions[key]
        if definition is None:  # a scale this copy does not know: print the raw total
            out.append(EntryNote(e.date, e.scale, e.total, 0, max(e.total, 1), "", names.get(e.entered_by, ""),
                                 e.note))
            continue
        try:
            value = definition.score(e.items)
        except ScaleError:
            value = e.total
        low, high = definition.value_range
        band = definition.band(value)
        out.append(EntryNote(e.date, definition.title, value, low, high, band.label if band else "",
                             names.get(e.entered_by, f"account {e.entered_by}"), e.note))
    return out


def taken_besides(*, patient_id: int) -> tuple[tuple, float | None]:
    """What the patient takes besides the taper (core.interactions.OtherMedicine)
    and their alcohol units a week, as recorded: the same records the interaction
    warnings read (clinic.interactions), so the advice page and the warnings agree."""
    recorded = storage.other_medicines(patient_id=patient_id)
    return tuple(recorded.as_core()), recorded.alcohol_units


def advice_facts(*, patient_id: int):
    """What the patient's advice page is built from beyond the plan and the clinic:
    the support agreed with them and what else they take (core.advice.AdviceFacts)."""
    from taperdesk.core.advice import AdviceFacts

    others, units = taken_besides(patient_id=patient_id)
    return AdviceFacts(support=storage.support_agreed(patient_id=patient_id), others=tuple(others),
                       alcohol_units=units)


def build_handout(*, patient_id: int, kind: str, printed_on: date, allow_draft: bool = False,
                  supply_days: int | None = None, invariant: bool = False) -> tuple[bytes, storage.Revision]:
    """The PDF of `kind` (patient handout, clinician summary, pharmacy order or
    dose-box sheet) for the patient's current plan, and the revision it prints
    (the one to record it against). A draft plan's patient handout is refused
    unless `allow_draft` (then it says DRAFT on every page); the pharmacy order
    is in supplies of `supply_days` (default: the clinic's setting)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    inputs = paper_inputs(patient_id=patient_id, entries=kind == "clinician")
    plan, revision, patient, clinic = inputs.plan, inputs.revision, inputs.patient, inputs.clinic
    if kind == "patient":
        from taperdesk.export.patient_handout import patient_handout_pdf

        pdf = patient_handout_pdf(plan=plan, patient=patient, clinic=clinic, revision=revision.number,
                                  printed_on=printed_on, statuses=inputs.statuses, allow_draft=allow_draft,
                                  invariant=invariant, interactions=plan_findings(patient_id=patient_id, plan=plan),
                                  advice=advice_facts(patient_id=patient_id))
    elif kind == "pharmacy":
        from taperdesk.export.pharmacy_order import pharmacy_order_pdf

        pdf = pharmacy_order_pdf(plan=plan, patient=patient, clinic=clinic, revision=revision.number,
                                 printed_on=printed_on, statuses=inputs.statuses,
                                 supply_days=supply_days or inputs.supply_days, invariant=invariant)
    elif kind == "dosebox":
        from taperdesk.export.dose_box import dose_box_pdf

        pdf = dose_box_pdf(plan=plan, patient=patient, clinic=clinic, revision=revision.number,
                           printed_on=printed_on, statuses=inputs.statuses, invariant=invariant)
    else:
        from taperdesk.export.clinician_summary import clinician_summary_pdf

        names = _names()
        pdf = clinician_summary_pdf(
            plan=plan, patient=patient, clinic=clinic,
            revisions=revision_notes(plan_id=revision.plan_id, names=names),
            entries=entry_notes(patient_id=patient_id, since=plan.start - timedelta(days=ENTRIES_BEFORE_DAYS),
                                names=names),
            printed_on=printed_on, statuses=inputs.statuses, invariant=invariant,
            interactions=plan_findings(patient_id=patient_id, plan=plan))
    return pdf, revision


# -- paper choices made in the app ------------------------------------------------------
@operation("plan_paper")
def choose_plan_paper(*, plan_id: int, prescriber: str, supply_days: int, author: storage.Clinician) -> bool:
    """The plan's prescriber (printed on every paper) and pharmacy supply period."""
    storage.set_plan_paper(plan_id=plan_id, prescriber=prescriber, supply_days=supply_days, author=author)
    return True


@operation("next_review")
def set_next_review(*, patient_id: int, review_on: date | None, author: storage.Clinician) -> bool:
    """The patient's next review date (printed on the handout); None clears it."""
    storage.set_review_date(patient_id=patient_id, review_on=review_on, author=author)
    return True
