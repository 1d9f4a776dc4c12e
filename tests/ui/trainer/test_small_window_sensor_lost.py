"""An 800×480 trainer window (the smallest it works at) keeps its size when the sensor is lost: it
grew to 800×513, the banner's line and the grade panel's caption ("the last before the sensor
was lost", wrapped onto two lines) taking more height than the window had."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.chunk import Chunk
from firmware_bridge.sources import Notice

from .conftest import ARTIFACTS, REPO, Feeder, live_window, schemes, wrapped_lines

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.mark.parametrize("thrust", [False, True])
def test_an_800_by_480_window_keeps_its_size_when_the_sensor_is_lost(qtbot, tmp_path, thrust):
    from firmware_bridge.serial_source import SerialSource
    from ui.trainer.engine import Engine
    from ui.trainer.target import Target
    eng = Engine(*schemes(), clock=lambda: 0.0)
    win, eng, _ = live_window(qtbot, tmp_path, SerialSource("/dev/ttyUSB0"), eng)     # (not started)
    win.timer.stop()
    win.target = Target.parse("V" if thrust else "III")
    win.apply_schemes()
    win.resize(800, 480)
    qtbot.waitUntil(lambda: (win.width(), win.height()) == (800, 480))
    if thrust:
        Feeder(eng, win, REPO / "fixtures" / "thrust_pops.csv", streams=("force",)).until(4.0)
    else:                                   # grade III oscillations
        t = np.arange(0.0, 5.0, 0.001)
        eng.feed(Chunk(t, 60 + 30 * np.sin(2 * np.pi * 1.5 * t), 0, "force", 1000.0))
        win.refresh()
    assert win.grade_panel.grade.text() not in ("–", "?")
    eng.notice(Notice("disconnected", "serial:/dev/ttyUSB0: connection lost (device reports readiness "
                                      "to read but returned no data), reconnecting", eng.force.last_t))
    win.refresh()
    qtbot.wait(50)
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / f"trainer_800x480_lost{'_thrust' if thrust else ''}.png"))   # to look at
    banner = win.banner.text()                  # (its line whole, in smaller letters if need be)
    assert win.banner.isVisible() and banner == "Sensor disconnected (/dev/ttyUSB0) — reconnecting…", banner
    assert win.banner.fontMetrics().horizontalAdvance(banner) <= win.banner.contentsRect().width()
    assert (win.width(), win.height()) == (800, 480)
    assert win.statusBar().geometry().bottom() < win.height()
    caption = win.grade_panel.caption          # (whole, on one line)
    assert caption.text() and len(wrapped_lines(caption)) == 1, wrapped_lines(caption)


def test_a_silent_sensors_banner_is_said_whole_at_800_by_480(qtbot, tmp_path):
    """Its longer words ("… for 2 s, its port open — waiting for it…") go on two lines over the
    force plot rather than being cut; the window stays 800×480."""
    from firmware_bridge.serial_source import SerialSource
    from ui.trainer.engine import Engine
    eng = Engine(*schemes(), clock=lambda: 0.0)
    win, eng, _ = live_window(qtbot, tmp_path, SerialSource("/dev/ttyUSB0"), eng)     # (not started)
    win.timer.stop()
    win.resize(800, 480)
    qtbot.waitUntil(lambda: (win.width(), win.height()) == (800, 480))
    t = np.arange(0.0, 2.0, 0.001)
    eng.feed(Chunk(t, 60 + 30 * np.sin(2 * np.pi * 1.5 * t), 0, "force", 1000.0))
    eng.notice(Notice("disconnected", "no data from serial:/dev/ttyUSB0 for 2 s (the port is open: the device "
                                      "stopped sending or hangs); what it does not send is marked as a gap", 2.0))
    win.refresh()
    qtbot.wait(50)
    win.grab().save(str(ARTIFACTS / "trainer_800x480_silent.png"))     # to look at
    text = win.banner.text()
    assert text == "No data from the sensor (/dev/ttyUSB0) for 2 s, its port open — waiting for it…", text
    assert len(wrapped_lines(win.banner)) == 2
    assert (win.width(), win.height()) == (800, 480)
