"""The trainer's recording stopped (Space) within a second of its serial sensor coming back keeps
what the sensor sent since: the serial source holds a device's first second back while its clock
settles, and the recording was closed without it. The emulator on a real pseudo-terminal; the
stop is driven by the device's own sample count."""

from __future__ import annotations

import numpy as np
import pytest

from firmware_bridge.emulator import PtyEmulator
from firmware_bridge.serial_source import SerialSource
from firmware_bridge.session import open_session
from ui.trainer.engine import Engine

from .conftest import live_window, schemes, unplug_for

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")
IN_FLIGHT = 30          # samples the device may have taken but not yet written at the stop (1 kHz)


def test_a_recording_stopped_just_after_a_reconnect_keeps_what_the_sensor_sent_since(qtbot, tmp_path):
    em = PtyEmulator(tmp_path / "s.pty", "grade3", 1000)
    em.start()
    s, th = schemes()
    src = SerialSource(str(em.link))
    win, eng, worker = live_window(qtbot, tmp_path, src, Engine(s, th))
    worker.start()
    try:
        qtbot.waitUntil(lambda: eng.force.last_t is not None, timeout=30_000)
        folder = win.start_recording()
        qtbot.waitUntil(lambda: eng.recorder.duration_s > 1.0, timeout=30_000)
        unplug_for(qtbot, em, eng, 1000)
        qtbot.waitUntil(lambda: src.stats.reconnects == 1, timeout=30_000)
        back = em.sent                                   # the port is open again
        qtbot.waitUntil(lambda: em.sent >= back + 400, timeout=30_000)
        stopped = em.sent                                # 0.4 s on: the source holds all of it
        assert win.stop_recording() == folder
    finally:
        win.close()
        em.stop()
    sess = open_session(folder)
    (gap,) = [g for g in sess.meta.gaps if g["reason"] == "disconnected"]
    t = sess.force.t_s
    # the 400 samples (and more) sent since the port was found again: none were recorded
    assert (t >= gap["t_end"]).sum() >= stopped - back - IN_FLIGHT, ((t >= gap["t_end"]).sum(), stopped - back)
    assert (np.diff(t) > 0).all()
