"""A serial sensor unplugged while the trainer records, and plugged back: the gap marked in the
session spans the time it was away (it was marked from the moment it was lost to that same
moment, 0 s long). The emulator on a real pseudo-terminal."""

from __future__ import annotations

import pytest

from firmware_bridge.emulator import PtyEmulator
from firmware_bridge.serial_source import SerialSource
from firmware_bridge.session import open_session
from ui.trainer.engine import Engine

from .conftest import live_window, schemes, unplug_for

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_the_gap_of_an_unplugged_serial_sensor_spans_its_absence(qtbot, tmp_path):
    em = PtyEmulator(tmp_path / "s.pty", "grade3", 1000)
    em.start()
    s, th = schemes()
    win, eng, worker = live_window(qtbot, tmp_path, SerialSource(str(em.link)), Engine(s, th))
    worker.start()
    try:
        qtbot.waitUntil(lambda: eng.force.last_t is not None, timeout=30_000)
        folder = win.start_recording()
        qtbot.waitUntil(lambda: eng.recorder.duration_s > 1.0, timeout=30_000)
        unplug_for(qtbot, em, eng, 1500)     # 1.5 s away
        qtbot.waitUntil(lambda: eng.disconnected is None and eng.recorder.duration_s > 4.0, timeout=30_000)
        assert win.stop_recording() == folder
    finally:
        win.close()
        em.stop()
    # (on a busy machine the in-process emulator may also drop a frame: a gap of its own)
    (gap,) = [g for g in open_session(folder).meta.gaps if g["reason"] == "disconnected"]
    assert gap["t_end"] - gap["t_start"] >= 1.5
