"""Ctrl-C pressed while the trainer or review window is being made (Qt loading, the window
built): raised there, inside Qt's start or in a slot Qt called meanwhile, it aborted the program,
hung it with the window open, or was a traceback. Now it is noted, and the window, once up,
closes as Ctrl-C closes it later (exit 130, no traceback). Here the press comes at a fixed
moment of the start: as Qt is checked and loaded."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import ROOT

PRESSED_AS_QT_LOADS = textwrap.dedent("""
    import os, signal, sys
    import ui.qt_check, ui.cmd_trainer
    from ui.cli import main

    def require_qt():
        os.kill(os.getpid(), signal.SIGINT)          # Ctrl-C, now
        check()
        import PySide6.QtWidgets
        from PySide6.QtWidgets import QWidget
        close = QWidget.closeEvent
        def noted(self, e):                          # (said once per window closed)
            if self.isWindow() and self.isVisible():
                print("closed " + type(self).__name__, flush=True)
            close(self, e)
        QWidget.closeEvent = noted

    check = ui.qt_check.require_qt
    ui.qt_check.require_qt = ui.cmd_trainer.require_qt = require_qt
    sys.exit(main(sys.argv[1:]))
""")


@pytest.mark.parametrize("command, window", [
    (["trainer", "--device", "emulator:grade3"], "TrainerWindow"),
    (["review"], "ReviewWindow"),
])
def test_ctrl_c_as_the_window_starts_closes_it_once_up(tmp_path, command, window):
    if command[0] == "review":
        (tmp_path / "sessions").mkdir()
        command = [*command, str(tmp_path / "sessions")]
    else:
        command = [*command, "--sessions", str(tmp_path / "rec")]
    p = subprocess.run([sys.executable, "-c", PRESSED_AS_QT_LOADS, *command], cwd=ROOT, text=True,
                       capture_output=True, timeout=120,
                       env=dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_STATE_HOME=str(tmp_path / "state")),
                       preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert "Traceback" not in p.stderr, p.stderr
    assert p.returncode == 130, (p.returncode, p.stdout, p.stderr[-2000:])
    assert f"closed {window}" in p.stdout.splitlines(), (p.stdout, p.stderr[-2000:])
