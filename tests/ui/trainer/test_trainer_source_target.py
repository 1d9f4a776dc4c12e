"""Choosing a recorded session as the source (S, file:SESSION) practises against its target, as
starting on it does; that target goes when another source is chosen, as the session's
calibration does. A target chosen with T or --target stays. The session's target was ignored,
and one taken from a session stayed for the next source."""

from __future__ import annotations

import pytest

from firmware_bridge.sources import open_source
from ui.cli import main
from ui.trainer.acquisition import AcquisitionWorker
from ui.trainer.engine import Engine
from ui.trainer.target import Target
from ui.trainer.window import TrainerWindow

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _session(tmp_path):
    out = tmp_path / "anna"
    assert main(["record", "--device", "emulator:grade3", "--out", str(out), "--duration", "1", "--quiet",
                 "--r1", "40", "--r2", "120", "--target", "III+"]) == 0
    return out


def _window(qtbot, tmp_path):
    eng = Engine()
    worker = AcquisitionWorker(open_source("emulator:grade3"), eng)
    win = TrainerWindow(eng, worker, record_root=tmp_path / "rec")
    qtbot.addWidget(win)
    win.show()
    worker.start()
    qtbot.waitUntil(lambda: eng.force.last_t is not None, timeout=30_000)
    return win, eng


def test_a_session_chosen_as_source_brings_its_target_and_takes_it_away(qtbot, tmp_path):
    session = _session(tmp_path)
    win, eng = _window(qtbot, tmp_path)
    try:
        assert win.switch_source(f"file:{session}")
        win.refresh()
        assert win.target is not None and win.target.text == "III+"
        assert "target III+" in win.status.text() and eng.scheme.target_grade == "III"
        assert win.switch_source("emulator:grade3")
        qtbot.waitUntil(lambda: eng.force.last_t is not None, timeout=30_000)
        win.refresh()
        assert win.target is None and "no target" in win.status.text()
    finally:
        win.close()


def test_a_chosen_target_stays_over_a_sessions_own(qtbot, tmp_path):
    session = _session(tmp_path)
    win, eng = _window(qtbot, tmp_path)
    try:
        win.set_target(Target.parse("IV-", None))
        assert win.switch_source(f"file:{session}")
        assert win.target.text == "IV-"
        assert win.switch_source("emulator:grade3")
        assert win.target.text == "IV-"
    finally:
        win.close()
