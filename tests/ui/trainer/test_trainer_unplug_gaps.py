"""A serial sensor unplugged while the trainer records (the emulator on a real pseudo-terminal):
the recording marks the time it was away as one gap whose reason is 'disconnected', whether it
comes back, the recording is stopped while it is away, or another source is chosen then."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt

from firmware_bridge.emulator import PtyEmulator
from firmware_bridge.serial_source import SerialSource
from firmware_bridge.session import open_session
from ui.trainer.acquisition import AcquisitionWorker
from ui.trainer.engine import Engine
from ui.trainer.window import TrainerWindow

from .conftest import schemes

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _recording_then_unplugged(qtbot, tmp_path):
    em = PtyEmulator(tmp_path / "s.pty", "grade3", 1000)
    em.start()
    eng = Engine(*schemes())
    worker = AcquisitionWorker(SerialSource(str(em.link)), eng)
    win = TrainerWindow(eng, worker, record_root=tmp_path / "rec")
    qtbot.addWidget(win)
    win.show()
    worker.start()
    qtbot.waitUntil(lambda: eng.force.last_t is not None, timeout=30_000)
    win.activateWindow()
    qtbot.keyClick(win, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: eng.recorder is not None and eng.recorder.duration_s > 1.0, timeout=30_000)
    em.unplug()
    qtbot.waitUntil(lambda: win.banner.isVisible(), timeout=30_000)
    return em, eng, win


def _gap_events(ses):
    return [e for e in ses.events if e["type"] == "gap"]


@pytest.mark.parametrize("how", ["stop", "switch"])
def test_stopped_while_the_sensor_is_away_the_recording_ends_in_a_gap(qtbot, tmp_path, how):
    em, eng, win = _recording_then_unplugged(qtbot, tmp_path)
    try:
        assert "Reconnecting; " not in win.banner.text() and win.banner.text().count("reconnecting") == 1
        folder = eng.recorder.path
        away_s = 0.5
        time.sleep(away_s)
        if how == "stop":
            win.activateWindow()
            qtbot.keyClick(win, Qt.Key.Key_Space)
        else:
            assert win.switch_source("emulator:grade3")
        assert eng.recorder is None
    finally:
        win.close()
        em.stop()
    ses = open_session(folder)
    last_sample = float(ses.force.t_s[-1])
    (gap,) = ses.meta.gaps
    assert gap["reason"] == "disconnected"
    assert gap["t_start"] == pytest.approx(last_sample, abs=0.3)
    assert gap["t_end"] - gap["t_start"] >= away_s
    (ev,) = _gap_events(ses)
    assert (ev["t_start"], ev["t_end"], ev["reason"]) == pytest.approx((gap["t_start"], gap["t_end"], "disconnected"))


def test_an_unplug_and_back_is_one_gap_disconnected(qtbot, tmp_path):
    em, eng, win = _recording_then_unplugged(qtbot, tmp_path)
    try:
        folder = eng.recorder.path
        away_from = em.sent
        qtbot.waitUntil(lambda: em.sent >= away_from + 1500, timeout=30_000)     # 1.5 s away
        em.open_pty()
        qtbot.waitUntil(lambda: eng.disconnected is None, timeout=30_000)
        back_at = eng.force.last_t
        qtbot.waitUntil(lambda: eng.force.last_t > back_at + 0.5, timeout=30_000)     # recorded again
        win.activateWindow()
        qtbot.keyClick(win, Qt.Key.Key_Space)
    finally:
        win.close()
        em.stop()
    ses = open_session(folder)
    # (on a busy machine the in-process emulator may also drop a frame: a gap of its own)
    long_gaps = [g for g in ses.meta.gaps if g["t_end"] - g["t_start"] >= 1.0]
    (gap,) = long_gaps
    assert gap["reason"] == "disconnected" and gap["t_end"] - gap["t_start"] >= 1.5
    events = [e for e in _gap_events(ses) if e["t_end"] >= gap["t_start"] and e["t_start"] <= gap["t_end"]]
    assert [e["reason"] for e in events] == ["disconnected"]


def test_a_new_target_while_the_sensor_is_away_ends_the_old_folder_in_a_gap(qtbot, tmp_path):
    from ui.trainer.target import Target
    em, eng, win = _recording_then_unplugged(qtbot, tmp_path)
    try:
        first = eng.recorder.path
        time.sleep(0.5)
        win.set_target(Target.parse("IV"))          # saved with the old target, going on in a new folder
        assert eng.recorder.path != first
        win.stop_recording()
    finally:
        win.close()
        em.stop()
    ses = open_session(first)
    (gap,) = ses.meta.gaps
    assert gap["reason"] == "disconnected" and gap["t_end"] - gap["t_start"] >= 0.5
