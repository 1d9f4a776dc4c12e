"""Qt application setup shared by the trainer and the screenshot command: one QApplication,
a log file, and an exception hook that logs tracebacks and shows one line."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from pathlib import Path

log = logging.getLogger("gradecoach.trainer")


def log_path() -> Path:
    """``$XDG_STATE_HOME/gradecoach/trainer.log`` (default ``~/.local/state``)."""
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(base) / "gradecoach" / "trainer.log"


def setup_logging() -> Path | None:
    """Log to the file; returns its path, or None when it cannot be written (read-only home)."""
    p = log_path()
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        h = logging.FileHandler(p, encoding="utf-8")
    except OSError:
        return None
    root = logging.getLogger("gradecoach")
    for old in [x for x in root.handlers if getattr(x, "gradecoach_trainer", False)]:
        root.removeHandler(old)
        old.close()
    h.gradecoach_trainer = True
    h.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"))
    root.addHandler(h)
    root.setLevel(logging.INFO)
    return p


# pyqtgraph's options for every plot: the trainer's, the review's and the report's (its own
# defaults draw grey on black)
PLOT_OPTIONS = {"antialias": False, "background": "w", "foreground": "k"}


def ensure_app():
    from PySide6.QtWidgets import QApplication
    import pyqtgraph as pg

    pg.setConfigOptions(**PLOT_OPTIONS)
    return QApplication.instance() or QApplication(sys.argv[:1])


def install_excepthook(window) -> None:
    """A bug in a slot is logged with its traceback and shown as one line in the banner; Ctrl-C
    in the terminal closes the window (:func:`close_on_ctrl_c`), never an internal error."""
    def hook(kind, value, tb):
        if issubclass(kind, KeyboardInterrupt):         # (a Ctrl-C raised in a slot all the same)
            _close_interrupted(window)
            return
        log.error("unexpected error", exc_info=(kind, value, tb))
        window.engine.fail(f"internal error: {kind.__name__}: {str(value).splitlines()[0] if str(value) else ''} "
                           f"(details in {window.log_path})")
    sys.excepthook = hook
    close_on_ctrl_c(window)


CTRL_C_EXIT = 130          # the shell's status for a command ended by Ctrl-C (128 + SIGINT)
CTRL_C_EVERY_MS = 200      # how often the event loop lets Python see a Ctrl-C


class CtrlC:
    """Ctrl-C while a window's event loop runs. Qt runs no Python signal handler until some
    Python code runs, and a KeyboardInterrupt raised inside a slot went to the excepthook: here
    Ctrl-C is only noted, and a timer that wakes Python every :data:`CTRL_C_EVERY_MS` closes the
    window as its close button would, the event loop then ending with status 130."""

    def __init__(self, window) -> None:
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        from ui.cli import pressed_before

        self.window = window
        self._before = signal.getsignal(signal.SIGINT)
        # a Ctrl-C the command line noted while the window was being made (ui.cli.interrupts_held)
        # is this one's: the first tick closes the window
        self.seen = pressed_before(self._before)
        self._ours = (threading.current_thread() is threading.main_thread()
                      and callable(self._before))           # (not where Ctrl-C is ignored)
        self.timer = QTimer(window)
        if not self._ours:
            return
        signal.signal(signal.SIGINT, self._note)
        self.timer.timeout.connect(self._check)
        self.timer.start(CTRL_C_EVERY_MS)
        QApplication.instance().aboutToQuit.connect(self.restore)

    def _note(self, signum, frame) -> None:
        self.seen = True

    def _check(self) -> None:
        if self.seen:
            self.timer.stop()
            _close_interrupted(self.window)

    def restore(self) -> None:
        """The Ctrl-C handling there was before (the command line's own)."""
        self.timer.stop()
        if self._ours and signal.getsignal(signal.SIGINT) == self._note:
            signal.signal(signal.SIGINT, self._before)


def close_on_ctrl_c(window) -> CtrlC:
    """Ctrl-C in the terminal closes ``window`` and ends the event loop with status 130."""
    return CtrlC(window)


def _close_interrupted(window) -> None:
    from PySide6.QtWidgets import QApplication

    log.info("Ctrl-C: closing the window")
    window.close()                       # (a recording going on is saved, as Ctrl+Q does)
    QApplication.instance().exit(CTRL_C_EXIT)
