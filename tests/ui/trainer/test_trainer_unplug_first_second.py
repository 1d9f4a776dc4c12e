"""A serial sensor unplugged in the trainer's first second (while the serial source still holds
that second back) and plugged back: the time away is a "disconnected" gap, not samples dropped.
The emulator on a real pseudo-terminal."""

from __future__ import annotations

import pytest

from firmware_bridge.emulator import PtyEmulator
from firmware_bridge.serial_source import SerialSource
from ui.trainer.engine import Engine

from .conftest import live_window, schemes, unplug_for

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_an_unplug_in_the_first_second_drops_no_samples(qtbot, tmp_path):
    em = PtyEmulator(tmp_path / "s.pty", "hvla", 1000)
    em.start()
    s, th = schemes()
    win, eng, worker = live_window(qtbot, tmp_path, SerialSource(str(em.link)), Engine(s, th))
    worker.start()
    try:
        qtbot.waitUntil(lambda: em.sent >= 1000, timeout=30_000)
        unplug_for(qtbot, em, eng, 2500)     # 2.5 s away
        # back, and data flowing past the jump in sequence numbers: the up to 1,000 samples sent
        # before the unplug, the second after the replug (held back, then handed over at once), and
        # half a second more
        qtbot.waitUntil(lambda: eng.disconnected is None and eng.samples.get("force", 0) > 2500,
                        timeout=30_000)
    finally:
        win.close()
        em.stop()
    assert [g.reason for g in eng.gaps if g.reason == "disconnected"] == ["disconnected"]
    # (on a busy machine the in-process emulator may drop a frame of its own: a few samples)
    assert eng.dropped < 100
