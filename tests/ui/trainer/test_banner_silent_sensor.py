"""A serial sensor that stops sending with its port still open (it hangs, or its firmware
stopped streaming) is not called disconnected in the trainer's banner, nor said to be
reconnecting: the banner says no data has come for so long, the port open, and that the
trainer waits for it; when data comes again the banner goes. A real pseudo-terminal."""

from __future__ import annotations

import re

import pytest

from firmware_bridge import serial_source
from firmware_bridge.emulator import PtyEmulator
from firmware_bridge.serial_source import SerialSource
from ui.trainer.engine import Engine

from .conftest import live_window, schemes

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_a_silent_sensor_is_waited_for_not_disconnected(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(serial_source, "SILENT_S", 1.0)
    em = PtyEmulator(tmp_path / "s.pty", "grade3", 1000)
    em.start()
    win, eng, worker = live_window(qtbot, tmp_path, SerialSource(str(em.link)), Engine(*schemes()))
    worker.start()
    try:
        qtbot.waitUntil(lambda: eng.force.last_t is not None and eng.force.last_t > 0.5, timeout=30_000)
        em.streaming = False
        qtbot.waitUntil(lambda: eng.disconnected is not None, timeout=30_000)
        win.refresh()
        text = win.banner.text()
        assert win.banner.isVisible()
        # (a long port is cut at its start to keep the banner on one line: its end tells it)
        assert re.fullmatch(r"No data from the sensor \(.*s\.pty\) for 1 s, its port open — waiting for it…",
                            text), text
        assert "disconnected" not in text.lower() and "reconnecting" not in text
        em.streaming = True
        qtbot.waitUntil(lambda: eng.disconnected is None, timeout=30_000)
        win.refresh()
        assert not win.banner.isVisible()
    finally:
        win.close()
        em.stop()
