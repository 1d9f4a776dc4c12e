"""Command line, live trainer GUI, review window and reports."""

# _signal: the built-in module Python loaded as it started (signal.py, which this package needs
# no more of, takes a millisecond to load: a Ctrl-C meanwhile was a traceback)
import _signal
import os
import sys

# Ctrl-C is taken over as soon as this package loads, when the command line is the program
# (``python -m ui.cli``, or the installed ``gradecoach``): one that came while the program loaded
# its modules (0.15 s into a command on a busy machine) was a KeyboardInterrupt traceback. It is
# only noted until ui.cli's main() takes over, which then ends the command with status 130.
PRESSED_WHILE_LOADING: list[int] = []


def pressed_while_loading(signum, frame) -> None:
    PRESSED_WHILE_LOADING.append(signum)


def _the_program() -> bool:
    orig = list(getattr(sys, "orig_argv", []))
    run_as_module = any(a == "-m" and b == "ui.cli" for a, b in zip(orig, orig[1:])) or "-mui.cli" in orig
    return run_as_module or os.path.basename(sys.argv[0] if sys.argv else "") == "gradecoach"


if _the_program() and _signal.getsignal(_signal.SIGINT) is _signal.default_int_handler:
    _signal.signal(_signal.SIGINT, pressed_while_loading)
