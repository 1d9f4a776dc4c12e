"""``gradecoach ARGS`` run in the test's own process, for tests of what a command prints, writes
and returns rather than of the program around it (its start-up, signals, environment): the
program is ``sys.exit(main())``, so ``main``'s return is its exit status. Each run in a process
of its own pays for Python and the analysis's imports (numpy, scipy) again, a second or more.

An exception the program would end with, a traceback on its stderr, is raised here and fails the
test; a Python warning is an error under the tests' settings, where the program would print it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def gc_in_process(capture, *args, cwd=None) -> subprocess.CompletedProcess:
    """``gradecoach ARGS`` run by ``ui.cli.main`` in the folder ``cwd`` (the repository unless
    given), as :func:`tests.conftest.gc` runs it as a program: its exit status, stdout and stderr.
    ``capture`` is the test's ``capfd`` (or ``capsys``); what it held before is dropped."""
    from ui.cli import main

    argv = [str(a) for a in args]
    capture.readouterr()
    before = os.getcwd()
    os.chdir(cwd or ROOT)
    try:
        try:
            code = main(argv)
        except SystemExit as e:                     # argparse: --help (0), a usage error (2)
            code = e.code
    finally:
        os.chdir(before)
    out, err = capture.readouterr()
    if code is None:
        code = 0
    elif not isinstance(code, int):                 # sys.exit("message"): printed, status 1
        err, code = err + f"{code}\n", 1
    return subprocess.CompletedProcess(["gradecoach", *argv], code, out, err)
