"""Every operation of the clinic checks here, before anything is written,
that the signed-in account may do it: `require(operation, author)` against the
one table in core.roles, with the account's roles read fresh from the clinic
file (a role taken away on another workstation counts at once). A refusal is
`PermissionRefused`, one line naming the role needed; the front ends show it
as they show any refused operation.

`@operation(name)` wraps an operation taking `author=`: it checks, then runs the
operation with the role it acts in named to the audit trail ("(as nurse)")."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

from taperdesk import storage
from taperdesk.core import roles
from taperdesk.storage.errors import PermissionDeniedError

F = TypeVar("F", bound=Callable)


# operations that change nothing of the patient's: allowed while another workstation has the patient open
READS = frozenset({"read_records", "export_patient", "reprint_handout", "change_own_password"})


class OperationError(Exception):
    """An operation refused: the message says what to fix, nothing was written."""


class PermissionRefused(OperationError, PermissionDeniedError):
    """The account's role does not allow the operation. Also a storage
    PermissionDeniedError, so a screen that shows storage's refusals (the
    patient dialog, the symptom entries) shows this one the same way."""


def _author_id(author: storage.Clinician | int) -> int:
    author_id = author.id if isinstance(author, storage.Clinician) else author
    if not isinstance(author_id, int) or isinstance(author_id, bool):
        raise PermissionRefused("Sign in first: an operation needs the clinician doing it.")
    return author_id


def require(operation: str, author: storage.Clinician | int) -> str:
    """The role `author` acts in for `operation`; PermissionRefused if none."""
    roles.allowed_roles(operation)  # an unknown operation is a bug: KeyError
    try:
        who = storage.get_clinician(clinician_id=_author_id(author))
    except storage.StorageError as exc:
        raise PermissionRefused(str(exc)) from None
    if not who.active:
        raise PermissionRefused(f"{who.name}'s account is inactive.")
    role = roles.acting_role(operation, who.roles)
    if role is None:
        raise PermissionRefused(roles.refusal(operation, who.name, who.roles))
    return role


def may(operation: str, clinician: storage.Clinician) -> bool:
    """For greying out buttons (from the copy the front end holds); `require` decides."""
    return clinician.active and roles.may(operation, clinician.roles)


def why_not(operation: str, clinician: storage.Clinician) -> str:
    """The tooltip of a greyed-out button: the refusal `require` would give."""
    return "" if may(operation, clinician) else roles.refusal(operation, clinician.name, clinician.roles)


def _not_in_use_elsewhere(kwargs: dict) -> None:
    """An operation on a patient another workstation has open is refused
    (clinic.side_by_side): found from its patient_id or plan_id."""
    from taperdesk.clinic.side_by_side import InUseError, check_not_held

    patient_id = kwargs.get("patient_id")
    if patient_id is None and isinstance(kwargs.get("plan_id"), int):
        try:
            patient_id = storage.get_plan(plan_id=kwargs["plan_id"]).patient_id
        except storage.StorageError:
            return  # the operation says what is wrong with the plan
    if isinstance(patient_id, int) and not isinstance(patient_id, bool):
        try:
            check_not_held(patient_id=patient_id)
        except InUseError as exc:
            raise OperationError(str(exc)) from None


def operation(name: str) -> Callable[[F], F]:
    roles.allowed_roles(name)

    def wrap(fn: F) -> F:
        @functools.wraps(fn)
        def checked(*args, **kwargs):
            if "author" not in kwargs:
                raise PermissionRefused("Sign in first: an operation needs the clinician doing it.")
            role = require(name, kwargs["author"])
            if name not in READS:
                _not_in_use_elsewhere(kwargs)
            with storage.acting_as(role):
                return fn(*args, **kwargs)

        checked.operation = name  # type: ignore[attr-defined]
        return checked  # type: ignore[return-value]

    return wrap
