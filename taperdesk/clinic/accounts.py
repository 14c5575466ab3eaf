"""Accounts and roles, as both front ends use them (the Clinicians dialog and
`taperdesk clinician`): an administrator adds accounts with their roles,
deactivates them, sets their roles and resets a password (which must then be
changed at the next sign-in); everyone changes their own password. Storage
refuses the change that would leave the clinic without an active administrator."""

from __future__ import annotations

from taperdesk import storage
from taperdesk.clinic.permissions import OperationError, operation
from taperdesk.core import roles


def _find(name_or_id: str | int) -> storage.Clinician:
    """An account by id or by its name (as typed: spaces and case do not matter)."""
    accounts = storage.list_clinicians(include_inactive=True)
    if isinstance(name_or_id, int):
        found = [c for c in accounts if c.id == name_or_id]
    else:
        wanted = " ".join(str(name_or_id).split()).casefold()
        found = [c for c in accounts if c.name.casefold() == wanted]
    if not found:
        raise OperationError(f"There is no account named {name_or_id!r}: `taperdesk clinician list` shows them.")
    return found[0]


def find_account(name_or_id: str | int) -> storage.Clinician:
    return _find(name_or_id)


def accounts(*, include_inactive: bool = True) -> list[storage.Clinician]:
    return storage.list_clinicians(include_inactive=include_inactive)


@operation("manage_accounts")
def add_account(*, name: str, role: str | tuple[str, ...], password: str, author: storage.Clinician,
                must_change_password: bool = True) -> storage.Clinician:
    """A new account; by default its holder chooses their own password at the first sign-in."""
    return storage.add_clinician(name=name, role=role, password=password, author=author,
                                 must_change_password=must_change_password)


@operation("manage_accounts")
def set_active(*, account: str | int, active: bool, author: storage.Clinician) -> storage.Clinician:
    return storage.set_clinician_active(clinician_id=_find(account).id, active=active, author=author)


@operation("manage_accounts")
def set_roles(*, account: str | int, role: str | tuple[str, ...], author: storage.Clinician) -> storage.Clinician:
    return storage.set_roles(clinician_id=_find(account).id, role=role, author=author)


@operation("manage_accounts")
def reset_password(*, account: str | int, new_password: str, author: storage.Clinician) -> storage.Clinician:
    return storage.reset_password(clinician_id=_find(account).id, new_password=new_password, author=author)


@operation("change_own_password")
def change_my_password(*, new_password: str, author: storage.Clinician) -> storage.Clinician:
    storage.change_password(clinician_id=author.id, new_password=new_password, author=author)
    return storage.get_clinician(clinician_id=author.id)


def describe(account: storage.Clinician) -> str:
    """'administrator and prescriber' / '… (inactive)' for lists."""
    text = roles.roles_text(account.roles)
    return text + ("" if account.active else " (inactive)")
