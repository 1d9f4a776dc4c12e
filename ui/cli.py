"""``gradecoach`` command line: one thin sub-command per module, registered by name.

Errors a user can cause print one line and exit with status 2; nothing prints a traceback
for bad input.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from analysis.errors import GradecoachError

# sub-command name -> module with ``register(subparsers)``; one line per command
COMMANDS = {
    "replay": "ui.cmd_replay",
    "simulate": "ui.cmd_simulate",
    "devices": "ui.cmd_devices",
    "record": "ui.cmd_record",
    "emulate": "ui.cmd_emulate",
    "trainer": "ui.cmd_trainer",
    "screenshot": "ui.cmd_screenshot",
    "review": "ui.cmd_review",
    "report": "ui.cmd_report",
    "library": "ui.cmd_library",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2 (argparse's own convention)
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="gradecoach", description="Live feedback for manual-therapy training.")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, mod in COMMANDS.items():
        try:
            m = importlib.import_module(mod)
        except ModuleNotFoundError as e:
            if e.name == mod:
                continue
            raise
        m.register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["trainer", *(argv or [])]) if "trainer" in parser._subparsers._group_actions[0].choices \
            else parser.parse_args(["replay", "--demo"])
    try:
        return int(args.func(args) or 0)
    except GradecoachError as e:
        print(f"gradecoach: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
