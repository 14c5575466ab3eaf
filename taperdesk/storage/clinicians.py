"""Accounts. Passwords are hashed with scrypt (stdlib, memory-hard) and a random
salt; the parameters are stored per row so they can be raised later without
locking anyone out. There is no default account: the first start must create
one (`has_clinicians()` is False until then)."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from taperdesk.storage import audit
from taperdesk.storage.connection import reading, writing
from taperdesk.storage.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from taperdesk.storage.models import ClinicianRow
from taperdesk.storage.records import ROLES, Clinician
from taperdesk.storage.text import fold, from_utc_text, to_utc_text, utc_now

SCRYPT = {"n": 2**14, "r": 8, "p": 1}
MIN_PASSWORD = 8


def _params_text(params: dict) -> str:
    return "scrypt:" + ",".join(f"{k}={params[k]}" for k in ("n", "r", "p"))


def _parse_params(text: str) -> dict:
    kind, _, rest = text.partition(":")
    if kind != "scrypt":
        raise InvalidInputError(f"Unknown password scheme {kind!r}.")
    return {k: int(v) for k, v in (part.split("=") for part in rest.split(","))}


def _hash(password: str, salt: bytes, params: dict) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, dklen=32, maxmem=64 * 1024 * 1024, **params)


def _to_clinician(row: ClinicianRow) -> Clinician:
    return Clinician(row.id, row.name, row.role, bool(row.active), from_utc_text(row.created_at))


def has_clinicians() -> bool:
    """False on a fresh file: the app must then ask for the first clinician."""
    with reading():
        return ClinicianRow.select().exists()


def _check_new(name: str, role: str, password: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise InvalidInputError("A clinician needs a name.")
    if role not in ROLES:
        raise InvalidInputError(f"Role must be one of {', '.join(ROLES)}, not {role!r}.")
    if len(password) < MIN_PASSWORD:
        raise InvalidInputError(f"The password must have at least {MIN_PASSWORD} characters.")
    if ClinicianRow.select().where(ClinicianRow.name_key == fold(name)).exists():
        raise InvalidInputError(f"There is already an account named {name}.")
    return name


def add_clinician(*, name: str, role: str, password: str,
                  author: Clinician | int | None = None) -> Clinician:
    """Create an account. Without an author only the very first account may be
    made, and it must be a clinician; later accounts are added by a clinician."""
    with writing():
        first = not ClinicianRow.select().exists()
        if first:
            if role != "clinician":
                raise PermissionDeniedError("The first account must be a clinician.")
            author_row = None
        elif author is None:
            raise PermissionDeniedError("Only a clinician may add an account.")
        else:
            author_row = audit.resolve_author(author, clinician_only=True)
        name = _check_new(name, role, password)
        salt = secrets.token_bytes(16)
        row = ClinicianRow.create(
            name=name, name_key=fold(name), role=role, password_salt=salt,
            password_hash=_hash(password, salt, SCRYPT), password_params=_params_text(SCRYPT),
            active=True, created_at=to_utc_text(utc_now()))
        audit.record(author_row or row, "create", "clinician", row.id,
                     f"added {role} account {name}" + (" (first account)" if first else ""))
        return _to_clinician(row)


def verify_password(*, name: str, password: str) -> Clinician | None:
    """The active clinician with this name and password, else None (no hint which was wrong)."""
    with reading():
        row = ClinicianRow.get_or_none(ClinicianRow.name_key == fold(name))
    if row is None:
        _hash(password, b"0" * 16, SCRYPT)  # same cost either way
        return None
    candidate = _hash(password, bytes(row.password_salt), _parse_params(row.password_params))
    if not hmac.compare_digest(candidate, bytes(row.password_hash)) or not row.active:
        return None
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


def set_clinician_active(*, clinician_id: int, active: bool, author: Clinician | int) -> Clinician:
    """Deactivate (or reactivate) an account; rows it authored stay attributed to it."""
    with writing():
        author_row = audit.resolve_author(author, clinician_only=True)
        row = ClinicianRow.get_or_none(ClinicianRow.id == clinician_id)
        if row is None:
            raise NotFoundError(f"No clinician with id {clinician_id}.")
        if not active and row.id == author_row.id:
            raise PermissionDeniedError("You cannot deactivate your own account.")
        row.active = active
        row.save()
        audit.record(author_row, "update", "clinician", row.id,
                     f"{'reactivated' if active else 'deactivated'} {row.name}")
        return _to_clinician(row)


def change_password(*, clinician_id: int, new_password: str, author: Clinician | int) -> None:
    """A clinician may reset anyone's password; staff only their own."""
    with writing():
        author_row = audit.resolve_author(author)
        if author_row.id != clinician_id and author_row.role != "clinician":
            raise PermissionDeniedError("Staff may change only their own password.")
        if len(new_password) < MIN_PASSWORD:
            raise InvalidInputError(f"The password must have at least {MIN_PASSWORD} characters.")
        row = ClinicianRow.get_or_none(ClinicianRow.id == clinician_id)
        if row is None:
            raise NotFoundError(f"No clinician with id {clinician_id}.")
        salt = secrets.token_bytes(16)
        row.password_salt, row.password_params = salt, _params_text(SCRYPT)
        row.password_hash = _hash(new_password, salt, SCRYPT)
        row.save()
        audit.record(author_row, "update", "clinician", row.id, f"changed the password of {row.name}")
