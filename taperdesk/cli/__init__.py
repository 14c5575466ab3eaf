"""Headless commands. Each command lives in its own module with `add_parser`
and `run`; this registry is the only place that lists them."""

from __future__ import annotations

import argparse
import importlib
import sys

from taperdesk.cli.errors import UsageError

# command name -> module under taperdesk.cli
COMMANDS: dict[str, str] = {
    "plan": "taperdesk.cli.plan",
    "backup": "taperdesk.cli.backup",
    "restore": "taperdesk.cli.restore",
    "init-demo": "taperdesk.cli.init_demo",
    "new-clinic": "taperdesk.cli.new_clinic",
    "export-patient": "taperdesk.cli.export_patient",
    "import-patient": "taperdesk.cli.import_patient",
    "handout": "taperdesk.cli.handout",
    "export-ics": "taperdesk.cli.exports",
    "export-csv": "taperdesk.cli.exports",
    "verify": "taperdesk.cli.verify",
    "today": "taperdesk.cli.today",
    "clinician": "taperdesk.cli.clinician",
    "move-to": "taperdesk.cli.move_to",
}


class _Parser(argparse.ArgumentParser):
    """argparse that reports bad input as one line and exit status 2 (no usage dump)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="taperdesk", description="Supervised benzodiazepine tapering.")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    for name, module_name in COMMANDS.items():
        importlib.import_module(module_name).add_parser(sub, name)
    return parser


def run_command(argv: list[str]) -> int:
    try:
        args = build_parser().parse_args(argv)
        module = importlib.import_module(COMMANDS[args.command])
        return module.run(args)
    except UsageError as exc:
        print(f"taperdesk: {' '.join(str(exc).split())}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("taperdesk: stopped (Ctrl+C); nothing half-written was kept", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug, not bad input: still one line, and a status the fuzz tests catch
        print(f"taperdesk: unexpected error ({type(exc).__name__}: {' '.join(str(exc).split())[:200]}); "
              f"please report it with the command you ran", file=sys.stderr)
        return 70
