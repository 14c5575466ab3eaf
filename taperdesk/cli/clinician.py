"""`taperdesk clinician add|list|deactivate|reset-password|set-role`: accounts
for the clinic's IT person, through the same operations as the app's
Clinicians dialog (taperdesk.clinic.accounts). The one running it signs in with
--clinician NAME (an administrator; any account may list), their password from
$TAPERDESK_PASSWORD or a prompt. A new or reset password never comes from the
command line itself (it would stay in the shell's history and in `ps`): it is
read from --password-file FILE (its first line; `-` for standard input) or
asked twice on the terminal. A reset or new password must be changed at the
account's next sign-in."""

from __future__ import annotations

import argparse
import getpass
import sys
import warnings

from taperdesk import storage
from taperdesk.cli.dbargs import add_db_option, db_path, storage_errors, user_path
from taperdesk.cli.errors import UsageError
from taperdesk.cli.signin import PASSWORD_ENV, sign_in
from taperdesk.core.roles import ROLES

ACTIONS = ("add", "list", "deactivate", "reset-password", "set-role")
MAX_PASSWORD_FILE = 4096


def add_parser(sub, name: str) -> None:
    p = sub.add_parser(name, help="add, list, deactivate accounts; reset a password; set roles",
                       description="Accounts and roles. Roles: " + ", ".join(ROLES)
                       + " (several joined with commas, e.g. administrator,prescriber).")
    actions = p.add_subparsers(dest="action", parser_class=type(p), required=True, metavar="ACTION")

    def common(q, what: str) -> None:
        q.add_argument("--clinician", required=True, metavar="NAME",
                       help=f"who {what} (an administrator); the password from ${PASSWORD_ENV} or a prompt")
        add_db_option(q)

    q = actions.add_parser("add", allow_abbrev=False, help="add an account")
    q.add_argument("name", metavar="NAME")
    q.add_argument("--role", required=True, metavar="ROLES", help=", ".join(ROLES))
    q.add_argument("--password-file", metavar="FILE", help="the new password's file (first line); - for stdin")
    common(q, "adds it")
    q = actions.add_parser("list", allow_abbrev=False, help="list the accounts and their roles")
    common(q, "asks")
    q = actions.add_parser("deactivate", allow_abbrev=False, help="deactivate an account (its records stay its own)")
    q.add_argument("name", metavar="NAME")
    common(q, "deactivates it")
    q = actions.add_parser("reset-password", allow_abbrev=False, help="give an account a password to change at its next sign-in")
    q.add_argument("name", metavar="NAME")
    q.add_argument("--password-file", metavar="FILE", help="the new password's file (first line); - for stdin")
    common(q, "resets it")
    q = actions.add_parser("set-role", allow_abbrev=False, help="give an account its roles (the ones not named are taken away)")
    q.add_argument("name", metavar="NAME")
    q.add_argument("role", metavar="ROLES", help=", ".join(ROLES))
    common(q, "sets them")


def _first_line(data: bytes, where: str) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"--password-file {where}: not UTF-8 text") from None
    line = text.splitlines()[0] if text.splitlines() else ""
    if not line:
        raise UsageError(f"--password-file {where}: the first line is empty; write the password on it")
    return line


def _read_password_file(text: str) -> str:
    if text == "-":
        try:
            data = sys.stdin.buffer.read(MAX_PASSWORD_FILE) if hasattr(sys.stdin, "buffer") else \
                sys.stdin.read(MAX_PASSWORD_FILE).encode("utf-8")
        except (OSError, ValueError, AttributeError):
            raise UsageError("--password-file -: standard input cannot be read; give a file") from None
        return _first_line(data, "-")
    path = user_path(text, "--password-file")
    if not path.is_file():
        raise UsageError(f"--password-file {text}: not a file")
    with storage_errors():
        with open(path, "rb") as handle:
            data = handle.read(MAX_PASSWORD_FILE)
    return _first_line(data, text)


def new_password(args: argparse.Namespace, whose: str) -> str:
    """From --password-file, else asked twice on the terminal."""
    if args.password_file is not None:
        return _read_password_file(args.password_file)
    try:
        terminal = sys.stdin is not None and sys.stdin.isatty()
    except (ValueError, OSError):
        terminal = False
    if not terminal:
        raise UsageError(f"no new password for {whose!r}: give --password-file FILE (- for standard input), "
                         "or run the command in a terminal to be asked")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", getpass.GetPassWarning)
            first = getpass.getpass(f"New password for {whose}: ")
            again = getpass.getpass("The same again: ")
    except (EOFError, KeyboardInterrupt, getpass.GetPassWarning, OSError):
        raise UsageError("no password was typed; nothing was done") from None
    if first != again:
        raise UsageError("the two passwords differ; nothing was done")
    return first


def run(args: argparse.Namespace) -> int:
    from taperdesk.clinic import accounts
    from taperdesk.clinic.permissions import OperationError

    path = db_path(args)
    if not path.exists() or path.is_dir():
        raise UsageError(f"There is no clinic file at {path}; check --db PATH.")
    name = " ".join(getattr(args, "name", "").split())
    if args.action != "list" and not name:
        raise UsageError("NAME: give the account's name")
    password = new_password(args, name) if args.action in ("add", "reset-password") else ""
    with storage_errors():
        storage.open_database(path, read_only=args.action == "list")
        try:
            me = sign_in(args.clinician, "read_records" if args.action == "list" else "manage_accounts")
            try:
                message = _act(args, accounts, me, name, password)
            except OperationError as exc:
                raise UsageError(str(exc)) from None
        finally:
            storage.close_database()
    print(message)
    return 0


def _act(args, accounts, me, name: str, password: str) -> str:
    if args.action == "list":
        rows = accounts.accounts(include_inactive=True)
        width = max(len(c.name) for c in rows)
        return "\n".join(f"{c.name:<{width}}  {accounts.describe(c)}"
                         + ("  (must change the password at the next sign-in)" if c.must_change_password else "")
                         for c in rows)
    if args.action == "add":
        made = accounts.add_account(name=name, role=args.role, password=password, author=me)
        return (f"Added {made.name} ({accounts.describe(made)}); they choose their own password at their first "
                "sign-in.")
    if args.action == "deactivate":
        done = accounts.set_active(account=name, active=False, author=me)
        return f"Deactivated {done.name}; their records stay theirs."
    if args.action == "reset-password":
        done = accounts.reset_password(account=name, new_password=password, author=me)
        return f"Reset the password of {done.name}; they must change it at their next sign-in."
    done = accounts.set_roles(account=name, role=args.role, author=me)
    return f"{done.name} is now {accounts.describe(done)}."
