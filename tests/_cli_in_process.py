"""``gradecoach ARGS`` run in the test's own process, for tests of what a command prints, writes
and returns rather than of the program around it (its start-up, signals, environment): the
program is ``sys.exit(main())``, so ``main``'s return is its exit status. Each run in a process
of its own pays for Python and the analysis's imports (numpy, scipy) again, a second or more.

An exception the program would end with, a traceback on its stderr, is raised here and fails the
test; a Python warning is an error under the tests' settings, where the program would print it."""

from __future__ import annotations

import contextlib
import io
import locale
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def gc_in_process(capture, *args, cwd=None) -> subprocess.CompletedProcess:
    """``gradecoach ARGS`` run by ``ui.cli.main`` in the folder ``cwd`` (the repository unless
    given), as :func:`tests.conftest.gc_program` runs it as a program: its exit status, stdout and stderr.
    ``capture`` is the test's ``capfd`` (or ``capsys``); what it held before is dropped."""
    argv = [str(a) for a in args]
    capture.readouterr()
    code = _main(argv, cwd)
    return _ended(argv, code, *capture.readouterr())


def _main(argv: list[str], cwd) -> object:
    """``ui.cli.main(argv)`` run in the folder ``cwd`` (the repository unless given): what it
    returned, or the code it exited with."""
    from ui.cli import main

    before = os.getcwd()
    os.chdir(cwd or ROOT)
    try:
        return main(argv)
    except SystemExit as e:                         # argparse: --help (0), a usage error (2)
        return e.code
    finally:
        os.chdir(before)


def _ended(argv: list[str], code: object, out: str, err: str) -> subprocess.CompletedProcess:
    """The command's end as a program's: ``sys.exit("message")`` prints it and exits with 1."""
    if code is None:
        code = 0
    elif not isinstance(code, int):
        err, code = err + f"{code}\n", 1
    return subprocess.CompletedProcess(["gradecoach", *argv], code, out, err)


def gc_here(*args, cwd=None) -> subprocess.CompletedProcess:
    """:func:`gc_in_process` without a pytest capture fixture: what the command writes to its
    standard output and error, from Python or from a C library below it, goes to files of its own
    while it runs (file descriptors 1 and 2 and ``sys.stdout``/``sys.stderr``, in the encoding a
    program's pipe would have), and its standard input is empty, as a program's under the tests."""
    argv = [str(a) for a in args]
    encoding = locale.getpreferredencoding(False)
    with tempfile.TemporaryFile() as out_f, tempfile.TemporaryFile() as err_f, open(os.devnull) as nothing:
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        kept_fds = os.dup(1), os.dup(2)
        kept = sys.stdout, sys.stderr, sys.stdin
        out = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding=encoding, line_buffering=True)
        err = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding=encoding, errors="backslashreplace",
                               line_buffering=True)
        try:
            os.dup2(out_f.fileno(), 1)
            os.dup2(err_f.fileno(), 2)
            sys.stdout, sys.stderr, sys.stdin = out, err, nothing
            code = _main(argv, cwd)
        finally:
            for stream in (out, err):
                with contextlib.suppress(ValueError, OSError):
                    stream.flush()
            sys.stdout, sys.stderr, sys.stdin = kept
            os.dup2(kept_fds[0], 1)
            os.dup2(kept_fds[1], 2)
            for fd in kept_fds:
                os.close(fd)
        out_f.seek(0)
        err_f.seek(0)
        said, told = out_f.read().decode(encoding, "replace"), err_f.read().decode(encoding, "replace")
    return _ended(argv, code, said, told)
