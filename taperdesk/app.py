"""The one front door: `taperdesk` opens the desktop app, `taperdesk COMMAND ...`
runs a headless command. Tests call `main(argv)` directly."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and not args[0].startswith("-"):
        from taperdesk.cli import run_command

        return run_command(args)
    from taperdesk.ui.main import run_gui

    return run_gui(args)
