"""The banner while a serial sensor on a long port name is away, in a 911×512 window (1366×768 at
150 %) that records: one line, the port's end kept ('…/s.pty'), so the force plot keeps its
height (two lines, 60 px, took it from the plots); the window does not widen."""

from __future__ import annotations

import pytest

from firmware_bridge.serial_source import SerialSource
from firmware_bridge.sources import Notice
from ui.trainer.engine import Engine

from .conftest import Feeder, live_window, schemes

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_the_banner_is_one_line_at_911_px(qtbot, tmp_path):
    port = tmp_path / "a-rather-long-folder-name-for-the-port" / "s.pty"
    s, th = schemes()
    win, eng, worker = live_window(qtbot, tmp_path, SerialSource(str(port)), Engine(s, th, clock=lambda: 0.0))
    win.timer.stop()
    win.resize(911, 512)
    qtbot.waitUntil(lambda: win.width() == 911)
    Feeder(eng, win).until(3.0)
    win.start_recording()
    win.refresh()
    plot_h = win.force_plot.height()
    eng.notice(Notice("disconnected", f"serial:{port}: connection lost (device reports readiness), reconnecting", 3.0))
    win.refresh()
    qtbot.wait(50)
    text = win.banner.text()
    assert win.banner.isVisible() and text.startswith("Sensor disconnected (…") and "/s.pty) — reconnecting…" in text
    assert win.banner.fontMetrics().horizontalAdvance(text) <= win.banner.contentsRect().width()
    assert win.banner.height() < 45                          # one line of its 20 px font
    assert win.width() == 911
    assert win.force_plot.height() >= plot_h - 50          # (the banner and its spacing: 46 px)
    win.stop_recording()
