"""The level meter shows each new level on screen with the window's next paint: its value is set
without QProgressBar's own immediate repaint (milliseconds holding the interpreter the analysis
needs), so the screen must still get the new bar, as a trainee sees it."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from ui.trainer.panels import LevelMeter

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _filled(app, win, meter) -> int:
    """Pixels of the bar's colour across the middle of the meter, as the screen holds it."""
    img = app.primaryScreen().grabWindow(win.winId()).toImage()
    g = meter.geometry()
    y = g.center().y()
    return sum(1 for x in range(g.left() + 3, g.right() - 3)
               if (c := img.pixelColor(x, y)).blue() > 150 and c.red() < 120)


def test_the_meter_on_screen_follows_the_level(qtbot):
    app = QApplication.instance()
    win = QWidget()
    qtbot.addWidget(win)
    meter = LevelMeter()
    QVBoxLayout(win).addWidget(meter)
    win.resize(400, 60)
    with qtbot.waitExposed(win):
        win.show()
    shown = []
    for db in (-50.0, -10.0, -40.0):
        meter.set_level(db)
        qtbot.wait(30)
        shown.append(_filled(app, win, meter))
        assert meter.format() == f"audio {db:.0f} dBFS"
    low, high, middle = shown
    assert 0 < low < middle < high
    assert high > 3 * low
