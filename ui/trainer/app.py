"""Qt application setup shared by the trainer and the screenshot command: one QApplication,
a log file, and an exception hook that logs tracebacks and shows one line."""

from __future__ import annotations

import logging
import os
import sys
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


def ensure_app():
    from PySide6.QtWidgets import QApplication
    import pyqtgraph as pg

    pg.setConfigOptions(antialias=False, background="w", foreground="k")
    return QApplication.instance() or QApplication(sys.argv[:1])


def install_excepthook(window) -> None:
    """A bug in a slot is logged with its traceback and shown as one line in the banner."""
    def hook(kind, value, tb):
        log.error("unexpected error", exc_info=(kind, value, tb))
        window.engine.fail(f"internal error: {kind.__name__}: {str(value).splitlines()[0] if str(value) else ''} "
                           f"(details in {window.log_path})")
    sys.excepthook = hook
