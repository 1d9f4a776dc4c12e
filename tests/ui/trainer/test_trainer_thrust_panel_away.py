"""While the sensor is away, the HVLA thrust readout (preload, peak, time to peak, rate, let-up,
pops) is greyed and says it is the last before the sensor was lost, as the grade panel does;
it stayed in full colour as if current. Back in colour once the sensor is back."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor

from firmware_bridge.sources import Notice

from .conftest import REPO, Feeder, schemes, thrust_tab_window

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _darkest(label) -> int:
    img = label.grab().toImage()
    return min(QColor(img.pixel(x, y)).lightness() for x in range(img.width()) for y in range(img.height()))


def test_the_thrust_readout_greys_while_the_sensor_is_away(qtbot):
    win, eng = thrust_tab_window(qtbot, *schemes())
    feed = Feeder(eng, win, REPO / "fixtures" / "thrust_pops.csv")
    feed.until(8.0)
    panel = win.thrust_panel
    assert eng.thrusts and panel.values["peak"].text() != "–"
    assert _darkest(panel.values["peak"]) < 60                 # black figures
    eng.notice(Notice("disconnected", "emulator: connection lost", 8.0))
    win.refresh()
    assert all(_darkest(v) > 120 for v in panel.values.values())    # grey, every one
    assert panel.pops_line.text() == win.grade_panel.caption.text() == "the last before the sensor was lost"
    eng.notice(Notice("reconnected", "emulator: back", 8.0, 9.0))
    feed.until(9.5)
    assert _darkest(panel.values["peak"]) < 60
    assert panel.pops_line.text() != "the last before the sensor was lost"
