"""Who may do what in the clinic: the one table of operations and the roles
allowed each. The clinic layer checks every operation against it before
anything is written (taperdesk.clinic.permissions), storage checks the same
table as a second lock, and the app greys out what a role cannot use from it,
so the three never disagree.

An account holds one or more roles. The roles (issue 14):
- administrator: accounts, clinic settings (stock, paper, the flare rule,
  scale wording), backups. Not clinical: an administrator who should also
  prescribe holds both roles (the first account of every clinic does).
- prescriber: patients, plans (new, start, revise, hold, pause, resume,
  complete, stop), the next review, new handouts and pharmacy orders,
  symptom entries, and letting nurses hold a plan.
- nurse: patients' details, symptom entries, the next review, reprinting a
  handout already printed, calendar and dose files, and holding a plan the
  prescriber has delegated holds on (see HOLD DELEGATION below).
- read-only: reads everything, writes nothing.

HOLD DELEGATION: a prescriber may let nurses hold one plan, for at most a
number of days per hold (1 to MAX_DELEGATED_HOLD_DAYS). A nurse's hold is then
accepted when the plan is active or paused, the hold is no longer than the
delegated days, and the delegation has not been withdrawn; a hold by a nurse
says so in the plan's history ("held by a nurse under Dr X's delegation").
Pausing, revising and every other plan change stay with the prescriber:
a hold is the one response to a flare (Joint Guideline 2025 Rec 11) that
cannot wait for one.

Accounts from before roles (schema 1's "clinician" and "staff") became
administrator + prescriber and nurse (migration 11): nothing a clinician
could do before is lost, so a single-clinician clinic works as it did."""

from __future__ import annotations

ADMINISTRATOR, PRESCRIBER, NURSE, READ_ONLY = "administrator", "prescriber", "nurse", "read-only"
ROLES = (ADMINISTRATOR, PRESCRIBER, NURSE, READ_ONLY)
ALL = ROLES
WRITERS = (ADMINISTRATOR, PRESCRIBER, NURSE)
MAX_DELEGATED_HOLD_DAYS = 28

# the names before roles (schema 1) and what they mean now
LEGACY = {"clinician": (ADMINISTRATOR, PRESCRIBER), "staff": (NURSE,)}

# operation -> (what it is, in words after "only ... may", the roles allowed)
OPERATIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    # accounts and the clinic
    "manage_accounts": ("add, deactivate or change accounts", (ADMINISTRATOR,)),
    "clinic_settings": ("change the clinic settings", (ADMINISTRATOR,)),
    "scale_wording": ("change a symptom scale or the flare rule", (ADMINISTRATOR,)),
    "backup": ("back up the clinic file", (ADMINISTRATOR,)),
    "change_own_password": ("change their own password", ALL),
    # patients
    "add_patient": ("add a patient", (PRESCRIBER, NURSE)),
    "edit_patient": ("change a patient's details", (PRESCRIBER, NURSE)),
    "archive_patient": ("archive or unarchive a patient", (PRESCRIBER,)),
    "import_patient": ("import a patient file", (PRESCRIBER,)),
    "export_patient": ("export a patient file", (PRESCRIBER,)),
    # plans
    "start_plan": ("make or start a plan", (PRESCRIBER,)),
    "revise_plan": ("revise a plan", (PRESCRIBER,)),
    "hold_plan": ("hold a plan", (PRESCRIBER, NURSE)),
    "change_status": ("pause, resume, complete or stop a plan", (PRESCRIBER,)),
    "delegate_holds": ("let nurses hold a plan", (PRESCRIBER,)),
    "plan_paper": ("choose a plan's prescriber and supply period", (PRESCRIBER,)),
    "next_review": ("set the next review date", (PRESCRIBER, NURSE)),
    # papers
    "make_handout": ("print a new handout or pharmacy order", (PRESCRIBER,)),
    "reprint_handout": ("reprint a handout", (PRESCRIBER, NURSE)),
    "export_calendar": ("export a calendar or dose file", (PRESCRIBER, NURSE)),
    # symptoms
    "record_symptoms": ("record, correct or retract symptoms", (PRESCRIBER, NURSE)),
    # non-drug support: the clinic's list is a clinic setting; what is agreed is recorded by the care team
    "support_list": ("change the support the clinic offers", (ADMINISTRATOR,)),
    "agree_support": ("record the support agreed with a patient", (PRESCRIBER, NURSE)),
    # reading (every role; listed so the table names every operation)
    "read_records": ("read the records", ALL),
}


def parse_roles(text: str | tuple[str, ...] | list[str] | frozenset[str]) -> tuple[str, ...]:
    """Roles from 'administrator,prescriber' (or a sequence; the old names
    'clinician' and 'staff' too), in ROLES order. ValueError with one line
    saying what is allowed when a word is not a role or read-only is mixed."""
    words = text.replace(";", ",").split(",") if isinstance(text, str) else list(text)
    chosen: set[str] = set()
    for word in (str(w).strip().lower() for w in words):
        if not word:
            continue
        if word in LEGACY:
            chosen.update(LEGACY[word])
        elif word in ("readonly", "read only"):
            chosen.add(READ_ONLY)
        elif word in ROLES:
            chosen.add(word)
        else:
            raise ValueError(f"{word!r} is not a role: use {', '.join(ROLES)} (several joined with commas)")
    if not chosen:
        raise ValueError(f"give a role: {', '.join(ROLES)} (several joined with commas)")
    if READ_ONLY in chosen and len(chosen) > 1:
        raise ValueError("read-only cannot be joined with another role")
    return tuple(r for r in ROLES if r in chosen)


def roles_text(roles: tuple[str, ...] | list[str]) -> str:
    """'administrator and prescriber' (for messages and the Clinicians dialog)."""
    roles = list(roles)
    if len(roles) <= 1:
        return roles[0] if roles else "no role"
    return ", ".join(roles[:-1]) + " and " + roles[-1]


def allowed_roles(operation: str) -> tuple[str, ...]:
    if operation not in OPERATIONS:
        raise KeyError(f"unknown operation {operation!r}")
    return OPERATIONS[operation][1]


def acting_role(operation: str, roles: tuple[str, ...] | list[str]) -> str | None:
    """The role the account acts in for this operation (the first of the
    operation's roles it holds), or None when it may not."""
    held = set(roles)
    return next((r for r in allowed_roles(operation) if r in held), None)


def may(operation: str, roles: tuple[str, ...] | list[str]) -> bool:
    return acting_role(operation, roles) is not None


def refusal(operation: str, name: str, roles: tuple[str, ...] | list[str]) -> str:
    """One line naming the role needed: 'Only a prescriber may revise a plan;
    Sam Nurse is a nurse.'"""
    what, allowed = OPERATIONS[operation]
    needed = " or ".join(_article(r) for r in allowed)
    return f"Only {needed} may {what}; {name} is {_article_list(roles)}."


def _article(role: str) -> str:
    return f"an {role}" if role[0] in "aeiou" else f"a {role}"


def _article_list(roles) -> str:
    roles = list(roles)
    if roles == [READ_ONLY]:
        return "read-only"
    return roles_text([_article(r) if i == 0 else r for i, r in enumerate(roles)]) if roles else "without a role"


def legacy_role(roles: tuple[str, ...] | list[str]) -> str:
    """Schema 1's column still says 'clinician' or 'staff' (its CHECK allows no
    other): 'clinician' for an account that may prescribe or administer."""
    return "clinician" if ADMINISTRATOR in roles or PRESCRIBER in roles else "staff"
