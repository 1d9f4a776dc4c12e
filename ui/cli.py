"""``gradecoach`` command line: one thin sub-command per module, registered by name.

Errors a user can cause print one line and exit with status 2; nothing prints a traceback
for bad input.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import importlib
import importlib.util
import os
import re
import signal
import sys
import threading

# (Ctrl-C is taken over as the ui package loads, when this is the program: ui/__init__.py)
from ui import PRESSED_WHILE_LOADING, pressed_while_loading

# (nothing here loads numpy: this module is loaded before main() can take Ctrl-C over, and
# numpy takes most of a command's first tenth of a second; the error class comes with it)

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
    "evaluate": "ui.cmd_evaluate",
}


# argparse's "argument --r1: 40 kg: give the force in newtons, e.g. ..." of a number refused by
# ui.options.number, said as the other refusals of a value are: "--r1 40 kg: give ..."
_NUMBER_REFUSED = re.compile(r"argument (-[^\s/:]+)(?:/\S+)?: (.*?: give .*, e\.g\. .*)", re.DOTALL)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # a negative number as ui.options.number reads it ("-0,5 s") is a value, not an option
        self._negative_number_matcher = re.compile(r"^-(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?\s*[A-Za-z]*$")

    def error(self, message: str) -> None:  # one line, exit 2 (argparse's own convention)
        m = _NUMBER_REFUSED.fullmatch(message)
        if m:
            message = f"{m.group(1)} {m.group(2)}"
        self.exit(2, f"{self.prog}: error: {message}\n")

    def parse_args(self, args=None, namespace=None):
        # arguments left over are the sub-command's: its error names it, as its other errors do
        ns, extra = self.parse_known_args(args, namespace)
        if extra:
            sub = next((a.choices.get(getattr(ns, "command", None)) for a in self._actions
                        if isinstance(a, argparse._SubParsersAction)), None)
            (sub or self).error(f"unrecognized arguments: {' '.join(extra)}")
        return ns


def build_parser(only: str | None = None, commands: bool = True) -> argparse.ArgumentParser:
    """All sub-commands, or just ``only`` (so ``replay`` never pays for importing the GUI), or
    none (``commands`` false: the version alone, which needs no command's module)."""
    p = _Parser(prog="gradecoach", description="Live feedback for manual-therapy training.",
                epilog="'gradecoach help COMMAND' (or 'gradecoach COMMAND --help') says what a command does and "
                       "lists its options; 'gradecoach' alone starts the trainer.")
    if only is None:
        p.add_argument("-V", "--version", action="version", version=f"gradecoach {_version()}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, mod in COMMANDS.items():
        if not commands or (only is not None and name != only):
            continue
        try:
            m = importlib.import_module(mod)
        except ModuleNotFoundError as e:
            if e.name == mod:
                continue
            raise
        m.register(sub)
    return p


def warn(text: str) -> None:
    """One warning line on standard error, as every command says them: "gradecoach: warning: ..."."""
    print(f"gradecoach: warning: {text}", file=sys.stderr)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("gradecoach")
    except PackageNotFoundError:
        return "(not installed: run from the sources)"


class _Interrupted:
    """Ctrl-C noted as it comes: one that lands while a compiled module is being loaded (scipy's,
    in the first second of a command) surfaces as that module's ImportError, not as itself.

    Inside :func:`interrupts_held` it is only noted, and raised when the block ends: Qt calls
    back into Python while it draws, and a KeyboardInterrupt raised in such a callback crashed
    the process (a segmentation fault) or was swallowed.
    """

    def __init__(self) -> None:
        self.seen = False
        self.held = 0

    def __call__(self, signum, frame) -> None:
        self.seen = True
        if not self.held:
            raise KeyboardInterrupt


def _handler() -> _Interrupted | None:
    # found through the signal module, not a global: ``python -m ui.cli`` runs this file as
    # __main__, a module apart from the ``ui.cli`` others import
    h = signal.getsignal(signal.SIGINT)
    return h if hasattr(h, "held") and hasattr(h, "seen") else None


@contextlib.contextmanager
def interrupts_held():
    """A block Ctrl-C does not break into (Qt's drawing of a figure, writing an output): a
    Ctrl-C that comes meanwhile is raised as KeyboardInterrupt when the block ends."""
    h = _handler()
    if h is None:
        yield
        return
    h.held += 1
    try:
        yield
    finally:
        h.held -= 1
    check_interrupted()


def _quiet_ctrl_c(hook):
    """``sys.unraisablehook`` that says nothing of a KeyboardInterrupt: a Ctrl-C that landed where
    Python ignores exceptions (importlib's weakref callback as a module loads) printed
    "Exception ignored in ... Traceback"; the handler noted it, and :func:`check_interrupted`
    raises it where it can be. Other unraisable errors go to ``hook``."""
    def quiet(u) -> None:
        if not isinstance(u.exc_value, KeyboardInterrupt):
            hook(u)
    return quiet


def check_interrupted() -> None:
    """Raise KeyboardInterrupt if a Ctrl-C came and is not being held, also one that Python
    swallowed where it ignores exceptions (a weakref callback's "Exception ignored")."""
    h = _handler()
    if h is not None and h.seen and not h.held:
        raise KeyboardInterrupt


def pressed_before(handler) -> bool:
    """Whether ``handler``, the program's own Ctrl-C handler that a command has just taken Ctrl-C
    over from, saw a press that nothing acted on: one noted while Ctrl-C was held
    (:func:`interrupts_held`), or one a library swallowed as it loaded a module the command loads
    on first use (numpy.random, as emulate made its sensor, 1 run in 40)."""
    return bool(getattr(handler, "seen", False))


def give_back_ctrl_c(handlers: dict) -> None:
    """Give each signal of ``handlers`` ({signal: its handler before}) back its handler, as a
    command that took Ctrl-C over to stop cleanly (record, emulate) ends: when SIGINT goes back to
    the program's own handler, a Ctrl-C from then on is only noted, as once the command has
    ended. One pressed again after the press that stopped the command, as it returned, ended the
    program with status 130 instead of the stop's 0."""
    for s, h in handlers.items():
        if s == signal.SIGINT and hasattr(h, "held") and hasattr(h, "seen"):
            h.held += 1
        signal.signal(s, h)


def _from_ctrl_c(e: BaseException) -> bool:
    """Whether ``e`` was raised because of a Ctrl-C: a KeyboardInterrupt among its causes."""
    seen = set()
    while e is not None and id(e) not in seen:
        if isinstance(e, KeyboardInterrupt):
            return True
        seen.add(id(e))
        e = e.__cause__ or e.__context__
    return False


def main(argv: list[str] | None = None) -> int:
    """Run the command ``argv`` (the program's arguments when None: the program itself) and
    return its exit status."""
    program = argv is None
    ctrl_c, before, ours, started = None, None, False, False
    unraisable = sys.unraisablehook
    try:
        try:
            # (a Ctrl-C that came before Ctrl-C is taken over, raised here, is the same as later)
            argv = list(sys.argv[1:] if argv is None else argv)
            ctrl_c = _Interrupted()
            before = signal.getsignal(signal.SIGINT)
            loading = before is pressed_while_loading       # (taken over as the program loaded)
            if loading:
                before = signal.default_int_handler
            ours = before is signal.default_int_handler and threading.current_thread() is threading.main_thread()
            if ours:                              # (not where Ctrl-C is ignored, nor off the main thread)
                signal.signal(signal.SIGINT, ctrl_c)
                sys.unraisablehook = _quiet_ctrl_c(unraisable)
            if loading and PRESSED_WHILE_LOADING:
                raise KeyboardInterrupt
            if program:
                _text_out()
            args = _parse(argv)      # (loads the command's modules: a Ctrl-C may come meanwhile)
            # one a library swallowed as it loaded (raised where Python ignores exceptions, or as an
            # ImportError a library takes for a module it can do without) is not lost: emulate then
            # served its sensor until killed
            check_interrupted()
            started = True
            status = int(args.func(args) or 0)
            if program:
                sys.stdout.flush()   # (a full disk is told here, not by Python as it exits)
            return status
        finally:
            # the command ended: a Ctrl-C from here on is only noted (one raised while the
            # handler below looked for threads left escaped as a traceback)
            if ctrl_c is not None:
                ctrl_c.held += 1
    except KeyboardInterrupt:
        if not started and argv and next((a for a in argv if not a.startswith("-")), None) == "record":
            # (stopped while its modules loaded: a trainee who pressed Ctrl-C at once was told nothing)
            print("gradecoach: stopped while starting; nothing recorded", file=sys.stderr)
        return 130
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as e:
        if ctrl_c is not None and ctrl_c.seen and (not started or isinstance(e, ImportError) or _from_ctrl_c(e)):
            # (a Ctrl-C while a module loaded, raised inside what Python wraps in another error:
            # a dataclass being made gives "RuntimeError: Error calling __set_name__"; one that
            # landed as numpy's loading built an ImportError gave "TypeError: expected a message
            # argument", its KeyboardInterrupt lost: before the command starts, whatever a
            # Ctrl-C seen meanwhile left is the Ctrl-C)
            return 130
        from analysis.errors import GradecoachError
        if isinstance(e, GradecoachError):
            print(f"gradecoach: error: {e}", file=sys.stderr)
            return 2
        if isinstance(e, _FILE_REFUSED) and e.filename is not None:
            # a file the system refuses (one not readable by this user, a folder where a file
            # belongs) that no check before named: the file and why, not a traceback
            print(f"gradecoach: error: {os.fsdecode(e.filename)}: {e.strerror or e}", file=sys.stderr)
            return 2
        if program and isinstance(e, OSError) and e.filename is None and e.errno in _CANNOT_WRITE:
            # standard output on a full disk (> /dev/full, a full quota): what was written to
            # files (a recording, -o) is kept; its output cannot be, which is said in one line
            print(f"gradecoach: error: cannot write the output: {e.strerror or e}", file=sys.stderr)
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 2
        raise
    finally:
        # the program, its command ended: a Ctrl-C while it exits is ignored, once no thread is left
        # to stop with it (Python takes 0.2-0.3 s to unload scipy; a Ctrl-C meanwhile killed it
        # by SIGINT, exit status 130, its work done: a second press after the one that stopped
        # 'record'); called in-process, Ctrl-C is given back as it was
        if ours:
            signal.signal(signal.SIGINT, signal.SIG_IGN if program and not _threads_left() else before)
            sys.unraisablehook = unraisable


def _threads_left() -> bool:
    """Whether threads other than the main one are left that Python waits for as it exits."""
    main = threading.main_thread()
    return any(t is not main and not t.daemon and t.is_alive() for t in threading.enumerate())


TOP_OPTIONS = ("-h", "--help", "-V", "--version")
_FILE_REFUSED = (PermissionError, IsADirectoryError, NotADirectoryError)
# standard output that takes no more: a full disk or quota, a file grown past its limit, a device error
_CANNOT_WRITE = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO)


def _text_out() -> None:
    """Standard output that any text can be written to: in a locale whose encoding lacks a
    character the output uses ("–", "…" under ISO-8859-1) that character is written as "?" (it
    ended the command with a traceback); a standard output the shell closed (``>&-``) takes the
    output and drops it."""
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")
        return
    enc = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    if not enc.startswith("utf") and hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")


def _parse(argv: list[str]) -> argparse.Namespace:
    if argv in (["-V"], ["--version"]):             # the version alone: no command's module (numpy, scipy) for it
        return build_parser(commands=False).parse_args(argv)
    if argv[:1] == ["help"] and len(argv) <= 2:     # 'gradecoach help [COMMAND]', as git and pip take it
        argv = [*argv[1:], "--help"]
    first = next((a for a in argv if not a.startswith("-")), None)
    # the trainer's options without a sub-command ('gradecoach --device serial:/dev/ttyACM0'):
    # their values are no sub-command's name
    trainer_options = bool(argv) and argv[0].startswith("-") and argv[0] not in TOP_OPTIONS
    if first in COMMANDS and not trainer_options:
        return build_parser(first).parse_args(argv)
    if trainer_options or (first is None and not any(a in TOP_OPTIONS for a in argv)):
        # no sub-command: the trainer (which itself falls back to a headless replay)
        cmd = "trainer" if importlib.util.find_spec(COMMANDS["trainer"]) else "replay"
        extra = [] if cmd == "trainer" else ["--demo"]
        return build_parser(cmd).parse_args([cmd, *extra, *argv])
    return build_parser().parse_args(argv)


if __name__ == "__main__":
    sys.exit(main())
