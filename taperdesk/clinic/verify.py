"""Verify before paper: nothing is printed or exported from a revision that
fails its check (storage.verify: the hash chain links of the plan's revisions
and status changes, the append-only triggers, the planning rules and dose
ceilings), and no reprint is given out whose stored bytes are not the ones
recorded. A refusal is one line naming the patient and the revision and
saying to run `taperdesk verify`.

`NotVerifiedError` is a NoPlanError (there is no plan that may be printed),
so every caller that already turns "no plan" into a one-line refusal (the
CLI's exit 2, the app's message) refuses a failed check the same way."""

from __future__ import annotations

from taperdesk import storage
from taperdesk.clinic.paper import NoPlanError
from taperdesk.storage.verify import (
    VERIFY_HINT,
    Finding,
    handout_revision,
    revision_place,
    verified_handout,
    verified_revision,
)


class NotVerifiedError(NoPlanError):
    """What would be printed failed its check; nothing was printed or written."""


def _refusal(what: str, revision_id: int, findings: list[Finding]) -> NotVerifiedError:
    first = findings[0]
    more = f" (and {len(findings) - 1} more problem{'s' if len(findings) > 2 else ''})" if len(findings) > 1 else ""
    return NotVerifiedError(f"Not {what}: {revision_place(revision_id=revision_id)} failed its check: "
                            f"{first.problem}{more}; {VERIFY_HINT}.")


def require_verified_revision(*, revision_id: int, entries: bool = False, what: str = "printed") -> None:
    """Raise NotVerifiedError unless the revision (and, with `entries`, the
    patient's symptom entries) passes its check."""
    findings = verified_revision(revision_id=revision_id, entries=entries)
    if findings:
        raise _refusal(what, revision_id, findings)


def verified_pdf(*, handout_id: int) -> bytes:
    """A recorded handout's bytes, only if they are the ones printed (their
    SHA-256 and the record's chain link match) and the revision is intact."""
    findings = verified_handout(handout_id=handout_id)
    if findings:
        raise _refusal("reprinted", handout_revision(handout_id=handout_id), findings)
    return storage.handout_pdf(handout_id=handout_id)
