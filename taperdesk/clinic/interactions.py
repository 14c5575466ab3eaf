"""What a patient takes besides the taper, and the interaction warnings for a plan.

Every surface (wizard review, plan tab, clinician summary, handout) asks here,
so they all show the same warnings from the same records: the patient's current
other medicines and substances and their newest alcohol figure (storage), checked
against the plan's drugs, a crossover's both (core.interactions)."""

from __future__ import annotations

from taperdesk import storage
from taperdesk.core.interactions import Findings, findings, plan_drugs


def patient_findings(*, patient_id: int | None, drugs: tuple[str, ...]) -> Findings:
    """The interaction findings for these drugs and what the patient is recorded as taking."""
    if patient_id is None:
        return findings(drugs)
    recorded = storage.other_medicines(patient_id=patient_id)
    return findings(drugs, recorded.as_core(), recorded.alcohol_units)


def plan_findings(*, patient_id: int | None, plan) -> Findings:
    return patient_findings(patient_id=patient_id, drugs=plan_drugs(plan))


def also_takes(*, patient_id: int) -> str:
    """One line for the patient header: what else is taken now, and alcohol ('' when nothing
    is recorded: the Plan tab says so, and the header keeps its one line)."""
    recorded = storage.other_medicines(patient_id=patient_id)
    parts = [r.describe() for r in recorded.current]
    if recorded.alcohol is not None:
        parts.append(recorded.alcohol.describe())
    if not parts:
        return ""
    return "Also takes: " + "; ".join(parts)
