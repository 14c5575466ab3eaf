"""Hold delegation (schema 11): a prescriber lets nurses hold one plan for at
most so many days per hold. Rows are appended, never changed; the newest for a
plan counts, and 0 days withdraws it. The rule itself is core.roles'."""

from __future__ import annotations

from dataclasses import dataclass

from taperdesk.core.roles import MAX_DELEGATED_HOLD_DAYS
from taperdesk.storage import audit
from taperdesk.storage.connection import reading, writing
from taperdesk.storage.errors import InvalidInputError, NotFoundError
from taperdesk.storage.models import ClinicianRow, HoldDelegationRow, PlanRow
from taperdesk.storage.records import Clinician
from taperdesk.storage.text import to_utc_text, utc_now


@dataclass(frozen=True)
class HoldDelegation:
    plan_id: int
    max_days: int  # 0: withdrawn
    prescriber: str  # who delegated (or withdrew)


def set_hold_delegation(*, plan_id: int, max_days: int, author: Clinician | int) -> HoldDelegation:
    if isinstance(max_days, bool) or not isinstance(max_days, int) or not 0 <= max_days <= MAX_DELEGATED_HOLD_DAYS:
        raise InvalidInputError(f"Nurses may be let hold a plan for 1 to {MAX_DELEGATED_HOLD_DAYS} days "
                                "(0 withdraws it).")
    with writing():
        author_row = audit.resolve_author(author, operation="delegate_holds")
        plan = PlanRow.get_or_none(PlanRow.id == plan_id)
        if plan is None:
            raise NotFoundError(f"No plan with id {plan_id}.")
        HoldDelegationRow.create(plan=plan_id, max_days=max_days, author=author_row.id,
                                 created_at=to_utc_text(utc_now()))
        audit.record(author_row, "update", "plan", plan_id,
                     f"nurses may hold the {plan.drug} plan for up to {max_days} days" if max_days
                     else f"nurses may no longer hold the {plan.drug} plan")
        return HoldDelegation(plan_id, max_days, author_row.name)


def hold_delegation(*, plan_id: int) -> HoldDelegation | None:
    """The plan's delegation in force (None if never given or withdrawn)."""
    with reading():
        row = (HoldDelegationRow.select(HoldDelegationRow, ClinicianRow.name)
               .join(ClinicianRow, on=(HoldDelegationRow.author == ClinicianRow.id))
               .where(HoldDelegationRow.plan == plan_id)
               .order_by(HoldDelegationRow.id.desc()).first())
    if row is None or row.max_days == 0:
        return None
    return HoldDelegation(plan_id, int(row.max_days), row.author.name)
