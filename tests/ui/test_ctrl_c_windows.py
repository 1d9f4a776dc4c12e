"""Ctrl-C in the terminal closes the trainer and the review window as closing them would (a
recording going on is saved, as Ctrl+Q does), exit 130, no traceback; the trainer showed
'internal error: KeyboardInterrupt' and stayed open, the review window did not react at all."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# the trainer as 'gradecoach trainer' runs it, with Space pressed once the window is up; it
# prints 'recording' when a recording has started
TRAINER_RECORDING = textwrap.dedent("""
    import sys
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    from ui.trainer.app import ensure_app
    from ui.trainer.window import TrainerWindow
    from ui.cli import main

    app = ensure_app()

    def press_space():
        wins = [w for w in app.topLevelWidgets() if isinstance(w, TrainerWindow) and w.isVisible()]
        if not wins:
            QTimer.singleShot(100, press_space)
            return
        QTest.keyClick(wins[0], Qt.Key.Key_Space)
        if wins[0].engine.recorder is not None:
            print("recording", flush=True)

    QTimer.singleShot(1500, press_space)
    sys.exit(main(sys.argv[1:]))
""")


# 'python -m ui.cli ARGS' (ui.cli run as __main__, as -m runs it), printing 'up' as its window's
# event loop starts
AS_MAIN = textwrap.dedent("""
    import runpy, sys
    from PySide6.QtWidgets import QApplication

    _exec = QApplication.exec

    def exec_and_say(*_):
        print("up", flush=True)
        return _exec()

    QApplication.exec = exec_and_say
    sys.argv[0] = "ui.cli"
    runpy.run_module("ui.cli", run_name="__main__", alter_sys=True)
""")


def _start(args: list[str], tmp_path: Path, script: str = AS_MAIN) -> subprocess.Popen:
    cmd = [sys.executable, "-c", script, *args]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_STATE_HOME=str(tmp_path / "state"))
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            # Ctrl-C as a terminal gives it: the default disposition, not ignored
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def _ctrl_c(proc: subprocess.Popen, tmp_path: Path) -> str:
    proc.send_signal(signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        raise AssertionError(f"still open 15 s after Ctrl-C: {err[-2000:]}") from None
    assert proc.returncode == 130, (proc.returncode, err[-2000:])
    assert "Traceback" not in err, err
    log = tmp_path / "state" / "gradecoach" / "trainer.log"
    text = log.read_text(encoding="utf-8") if log.exists() else ""
    assert "unexpected error" not in text and "KeyboardInterrupt" not in text, text
    return out


def _up_and_drawing(proc: subprocess.Popen) -> None:
    """Once ``proc``'s window is up (its event loop started), a second of drawing."""
    line = proc.stdout.readline()
    assert line.strip() == "up", (line, proc.poll(), proc.poll() is not None and proc.communicate())
    time.sleep(1.0)
    assert proc.poll() is None, proc.communicate()


def test_ctrl_c_closes_the_trainer(tmp_path):
    proc = _start(["trainer", "--device", "emulator:grade3", "--sessions", str(tmp_path / "rec")], tmp_path)
    _up_and_drawing(proc)
    _ctrl_c(proc, tmp_path)


def test_ctrl_c_saves_the_recording_the_trainer_is_making(tmp_path):
    proc = _start(["trainer", "--device", "emulator:grade3", "--sessions", str(tmp_path / "rec")], tmp_path,
                  TRAINER_RECORDING)
    line = proc.stdout.readline()
    assert line.strip() == "recording", (line, proc.poll())
    time.sleep(0.5)                                 # (half a second recorded: 500 samples)
    _ctrl_c(proc, tmp_path)
    folders = [p for p in (tmp_path / "rec").iterdir() if p.is_dir()]
    assert len(folders) == 1, folders
    meta = json.loads((folders[0] / "session.json").read_text(encoding="utf-8"))
    assert meta["complete"] is True
    force = (folders[0] / "force.csv").read_text(encoding="utf-8").splitlines()
    assert len(force) > 100 and force[-1].count(",") == force[0].count(",")


def test_ctrl_c_closes_the_review_window(tmp_path):
    sessions = tmp_path / "sessions"
    rec = subprocess.run([sys.executable, "-m", "ui.cli", "record", "--device", "emulator:grade3",
                          "--out", str(sessions / "a"), "--duration", "0.5"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert rec.returncode == 0, rec.stderr
    proc = _start(["review", str(sessions)], tmp_path)
    _up_and_drawing(proc)
    _ctrl_c(proc, tmp_path)


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")
def test_the_review_leaves_ctrl_c_as_it_found_it(tmp_path, monkeypatch, qtbot):
    """Run from other code, its window closed without the event loop (here: no event loop at
    all), Ctrl-C is that code's again afterwards, not only noted for a window that is gone."""
    import argparse

    from PySide6.QtWidgets import QApplication

    import ui.cmd_review as cmd_review

    before = signal.getsignal(signal.SIGINT)
    monkeypatch.setattr(QApplication, "exec", lambda self=None: 0)
    (tmp_path / "empty").mkdir()
    assert cmd_review.run(argparse.Namespace(session=None, root=str(tmp_path / "empty"),
                                             db=str(tmp_path / "i.sqlite"))) == 0
    for w in QApplication.topLevelWidgets():
        qtbot.addWidget(w)
    assert signal.getsignal(signal.SIGINT) is before
