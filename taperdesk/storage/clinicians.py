"""Accounts. Passwords are hashed with argon2id (argon2-cffi) at the OWASP
Password Storage Cheat Sheet's parameters (19 MiB, 2 passes, 1 lane); the hash
string carries its parameters, so they can be raised later without locking
anyone out. Rows from before (scrypt, N=2^14: below current guidance) still
sign in, and their hash is replaced by an argon2id one at that sign-in.

Sign-in is throttled per account: after 5 wrong passwords in a row each further
attempt is refused until a time that doubles with every failure (30 s, 1 min,
2 min … at most 1 hour), with no sleeping anywhere: the time is worked out from
the audit trail, where every failed, refused and successful sign-in is
recorded. There is no default account: the first start must create one
(`has_clinicians()` is False until then)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Callable

import argon2
from argon2.exceptions import InvalidHashError, VerificationError

from taperdesk.core import roles as role_table
from taperdesk.storage import audit, connection
from taperdesk.storage.connection import reading, writing
from taperdesk.storage.errors import (
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
    SignInThrottledError,
)
from taperdesk.storage.models import AuditEventRow, ClinicianRow
from taperdesk.storage.records import Clinician
from taperdesk.storage.text import fold, from_utc_text, to_utc_text

ARGON2 = {"time_cost": 2, "memory_cost": 19 * 1024, "parallelism": 1}  # OWASP: m=19 MiB, t=2, p=1
ARGON2_SCHEME = "argon2id"
CHEAP_ARGON2 = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}  # tests and benches only
SCRYPT = {"n": 2**14, "r": 8, "p": 1}  # old rows only: verified, then upgraded
MIN_PASSWORD = 8
MAX_NAME = 80
FREE_FAILURES = 5  # wrong passwords in a row before sign-in is slowed down
FIRST_DELAY_S = 30
MAX_DELAY_S = 3600
SIGNIN_FAILED, SIGNIN_REFUSED, SIGNED_IN = "sign-in failed", "sign-in refused", "signed in"


def _params_text(params: dict) -> str:
    return "scrypt:" + ",".join(f"{k}={params[k]}" for k in ("n", "r", "p"))


def _parse_params(text: str) -> dict:
    kind, _, rest = text.partition(":")
    if kind != "scrypt":
        raise InvalidInputError(f"Unknown password scheme {kind!r}.")
    return {k: int(v) for k, v in (part.split("=") for part in rest.split(","))}


def _hash(password: str, salt: bytes, params: dict) -> bytes:
    """scrypt, as rows before argon2id were hashed (kept to verify them once)."""
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, dklen=32, maxmem=64 * 1024 * 1024, **params)


def _hasher() -> argon2.PasswordHasher:
    return argon2.PasswordHasher(type=argon2.Type.ID, **ARGON2)


def _set_password(row: ClinicianRow, password: str) -> None:
    """Store an argon2id hash (salt and parameters are inside the hash string)."""
    row.password_hash = _hasher().hash(password).encode("ascii")
    row.password_salt = b""
    row.password_params = ARGON2_SCHEME


def _matches(row: ClinicianRow, password: str) -> bool:
    if row.password_params == ARGON2_SCHEME:
        try:
            return _hasher().verify(bytes(row.password_hash).decode("ascii"), password)
        except (VerificationError, InvalidHashError, UnicodeDecodeError):
            return False
    try:
        params = _parse_params(row.password_params)
        candidate = _hash(password, bytes(row.password_salt), params)
    except (InvalidInputError, ValueError, TypeError):
        return False
    return hmac.compare_digest(candidate, bytes(row.password_hash))


def _needs_upgrade(row: ClinicianRow) -> bool:
    if row.password_params != ARGON2_SCHEME:
        return True
    try:
        return _hasher().check_needs_rehash(bytes(row.password_hash).decode("ascii"))
    except (InvalidHashError, UnicodeDecodeError):
        return True


def _to_clinician(row: ClinicianRow) -> Clinician:
    return Clinician(row.id, row.name, row.role, bool(row.active), from_utc_text(row.created_at),
                     audit.roles_of(row), bool(row.must_change_password))


def has_clinicians() -> bool:
    """False on a fresh file: the app must then ask for the first clinician."""
    with reading():
        return ClinicianRow.select().exists()


def _roles(role: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    try:
        return role_table.parse_roles(role)
    except ValueError as exc:
        raise InvalidInputError(f"Role: {exc}.") from None


def _check_new(name: str, password: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise InvalidInputError("A clinician needs a name.")
    if len(name) > MAX_NAME:
        raise InvalidInputError(f"A name has at most {MAX_NAME} characters.")
    if len(password) < MIN_PASSWORD:
        raise InvalidInputError(f"The password must have at least {MIN_PASSWORD} characters.")
    if ClinicianRow.select().where(ClinicianRow.name_key == fold(name)).exists():
        raise InvalidInputError(f"There is already an account named {name}.")
    return name


def add_clinician(*, name: str, role: str | tuple[str, ...], password: str,
                  author: Clinician | int | None = None, must_change_password: bool = False) -> Clinician:
    """Create an account with `role` (core.roles: 'prescriber', 'administrator,prescriber',
    the old 'clinician' = administrator + prescriber). Without an author only the
    very first account may be made, and it must administer (a clinic always has an
    administrator); later accounts are added by an administrator."""
    roles = _roles(role)
    with writing():
        first = not ClinicianRow.select().exists()
        if first:
            if role_table.ADMINISTRATOR not in roles:
                raise PermissionDeniedError("The first account must be an administrator (the clinic's first clinician "
                                            "is administrator and prescriber).")
            author_row = None
        elif author is None:
            raise PermissionDeniedError("Only an administrator may add an account.")
        else:
            author_row = audit.resolve_author(author, operation="manage_accounts")
        name = _check_new(name, password)
        row = ClinicianRow(name=name, name_key=fold(name), role=role_table.legacy_role(roles), active=True,
                           created_at=to_utc_text(audit.utc_now()), roles=",".join(roles),
                           must_change_password=int(must_change_password))
        _set_password(row, password)
        row.save()
        audit.record(author_row or row, "create", "clinician", row.id,
                     f"added {role_table.roles_text(roles)} account {name}" + (" (first account)" if first else ""))
        return _to_clinician(row)


def refused_until(failures: int, last_failure: dt.datetime) -> dt.datetime | None:
    """When an account with `failures` wrong passwords in a row may try again."""
    if failures < FREE_FAILURES:
        return None
    delay = min(FIRST_DELAY_S * 2 ** (failures - FREE_FAILURES), MAX_DELAY_S)
    return last_failure + dt.timedelta(seconds=delay)


def _failures_in_a_row(clinician_id: int) -> tuple[int, dt.datetime | None]:
    """Wrong passwords since the last successful sign-in (from the audit trail)."""
    query = (AuditEventRow.select(AuditEventRow.action, AuditEventRow.at)
             .where((AuditEventRow.entity == "clinician") & (AuditEventRow.entity_id == clinician_id)
                    & AuditEventRow.action.in_((SIGNIN_FAILED, SIGNED_IN)))
             .order_by(AuditEventRow.id.desc()).limit(FREE_FAILURES + 20))
    count, last = 0, None
    for event in query:
        if event.action == SIGNED_IN:
            break
        count += 1
        last = last or from_utc_text(event.at)
    return count, last


def _record_attempt(row: ClinicianRow | None, action: str, summary: str) -> None:
    """Audit a sign-in attempt, unless the file is open read-only (nothing can be written)."""
    if connection.current().read_only:
        return
    with writing():
        audit.record(row if action == SIGNED_IN else None, action, "clinician", row.id if row else None, summary)


def verify_password(*, name: str, password: str,
                    admit: Callable[[Clinician], None] | None = None) -> Clinician | None:
    """The active clinician with this name and password, else None (no hint which
    was wrong). Raises SignInThrottledError, without trying the password, while the
    account is refused after too many wrong passwords. Every attempt is audited.

    `admit` is the front end's last word once the password is right (a command's
    role check): its PermissionDeniedError is audited as a refused sign-in and
    raised, so the trail never says "signed in" for a sign-in that did nothing."""
    with reading():
        row = ClinicianRow.get_or_none(ClinicianRow.name_key == fold(name))
        failures, last = _failures_in_a_row(row.id) if row is not None else (0, None)
    shown = " ".join(str(name).split())[:80]
    if row is None:
        _hasher().hash(password)  # same cost either way: no hint that the name is unknown
        _record_attempt(None, SIGNIN_FAILED, f"failed sign-in as unknown name {shown!r}")
        return None
    now = audit.utc_now()
    until = refused_until(failures, last) if last is not None else None
    if until is not None and now < until:
        _record_attempt(row, SIGNIN_REFUSED, f"sign-in as {row.name} refused: {failures} wrong passwords in a row")
        local = until.astimezone()
        wait = max(1, int((until - now).total_seconds() + 59) // 60)
        raise SignInThrottledError(
            f"Too many wrong passwords for {row.name}: try again after {local:%H:%M:%S} "
            f"(in {wait} minute{'s' if wait != 1 else ''}), or ask an administrator to reset the password."
        )
    if not _matches(row, password):
        _record_attempt(row, SIGNIN_FAILED,
                        f"failed sign-in as {row.name} ({failures + 1} wrong password"
                        f"{'s' if failures else ''} in a row)")
        return None
    if not row.active:
        _record_attempt(row, SIGNIN_FAILED, f"failed sign-in as {row.name}: the account is inactive")
        return None
    if admit is not None:
        try:
            admit(_to_clinician(row))
        except PermissionDeniedError as exc:
            _record_attempt(row, SIGNIN_REFUSED, f"sign-in as {row.name} refused for the command: {exc}")
            raise
    if not connection.current().read_only:
        with writing():
            upgrade = _needs_upgrade(row)
            if upgrade:
                _set_password(row, password)
                row.save()
            audit.record(row, SIGNED_IN, "clinician", row.id,
                         f"{row.name} signed in" + (" (password hash upgraded to argon2id)" if upgrade else ""))
    return _to_clinician(row)


def list_clinicians(*, include_inactive: bool = False) -> list[Clinician]:
    with reading():
        query = ClinicianRow.select().order_by(ClinicianRow.name_key)
        if not include_inactive:
            query = query.where(ClinicianRow.active == True)  # noqa: E712
        return [_to_clinician(r) for r in query]


def get_clinician(*, clinician_id: int) -> Clinician:
    with reading():
        row = ClinicianRow.get_or_none(ClinicianRow.id == clinician_id)
    if row is None:
        raise NotFoundError(f"No clinician with id {clinician_id}.")
    return _to_clinician(row)


def _active_administrators(excluding: int) -> int:
    rows = ClinicianRow.select().where((ClinicianRow.active == True) & (ClinicianRow.id != excluding))  # noqa: E712
    return sum(1 for r in rows if role_table.ADMINISTRATOR in audit.roles_of(r))


def _keep_an_administrator(row: ClinicianRow, roles_after: tuple[str, ...], active_after: bool) -> None:
    """A clinic always keeps one active administrator: refuse the change that would leave none."""
    was = bool(row.active) and role_table.ADMINISTRATOR in audit.roles_of(row)
    stays = active_after and role_table.ADMINISTRATOR in roles_after
    if was and not stays and _active_administrators(row.id) == 0:
        raise PermissionDeniedError(f"{row.name} is the clinic's only active administrator: make another account "
                                    "administrator first.")


def _account(clinician_id: int) -> ClinicianRow:
    row = ClinicianRow.get_or_none(ClinicianRow.id == clinician_id)
    if row is None:
        raise NotFoundError(f"No clinician with id {clinician_id}.")
    return row


def set_clinician_active(*, clinician_id: int, active: bool, author: Clinician | int) -> Clinician:
    """Deactivate (or reactivate) an account; rows it authored stay attributed to it."""
    with writing():
        author_row = audit.resolve_author(author, operation="manage_accounts")
        row = _account(clinician_id)
        if not active and row.id == author_row.id:
            raise PermissionDeniedError("You cannot deactivate your own account.")
        _keep_an_administrator(row, audit.roles_of(row), active)
        row.active = active
        row.save()
        audit.record(author_row, "update", "clinician", row.id,
                     f"{'reactivated' if active else 'deactivated'} {row.name}")
        return _to_clinician(row)


def set_roles(*, clinician_id: int, role: str | tuple[str, ...], author: Clinician | int) -> Clinician:
    """Give an account its roles (all of them: the ones not named are taken away)."""
    roles = _roles(role)
    with writing():
        author_row = audit.resolve_author(author, operation="manage_accounts")
        row = _account(clinician_id)
        before = audit.roles_of(row)
        _keep_an_administrator(row, roles, bool(row.active))
        row.roles = ",".join(roles)
        row.role = role_table.legacy_role(roles)
        row.save()
        audit.record(author_row, "update", "clinician", row.id,
                     f"roles of {row.name}: {role_table.roles_text(before)} -> {role_table.roles_text(roles)}")
        return _to_clinician(row)


def change_password(*, clinician_id: int, new_password: str, author: Clinician | int) -> None:
    """Anyone may change their own password (which ends a reset); an administrator
    sets another account's password only by `reset_password`."""
    with writing():
        author_row = audit.resolve_author(author, operation="change_own_password")
        if author_row.id != clinician_id:
            raise PermissionDeniedError("You may change only your own password; an administrator resets "
                                        "another account's password.")
        if len(new_password) < MIN_PASSWORD:
            raise InvalidInputError(f"The password must have at least {MIN_PASSWORD} characters.")
        row = _account(clinician_id)
        if row.must_change_password and _matches(row, new_password):
            raise InvalidInputError("Choose a new password, not the one the administrator gave you.")
        _set_password(row, new_password)
        row.must_change_password = 0
        row.save()
        audit.record(author_row, "update", "clinician", row.id, f"{row.name} changed their password")


def reset_password(*, clinician_id: int, new_password: str, author: Clinician | int) -> Clinician:
    """An administrator gives an account a new password, which its holder must
    change at the next sign-in (the administrator knows this one)."""
    with writing():
        author_row = audit.resolve_author(author, operation="manage_accounts")
        if len(new_password) < MIN_PASSWORD:
            raise InvalidInputError(f"The password must have at least {MIN_PASSWORD} characters.")
        row = _account(clinician_id)
        _set_password(row, new_password)
        row.must_change_password = 1
        row.save()
        audit.record(author_row, "update", "clinician", row.id,
                     f"reset the password of {row.name} (to be changed at the next sign-in)")
        return _to_clinician(row)
