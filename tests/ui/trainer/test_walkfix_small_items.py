"""Smaller things a user saw: a cycle's caption with an IMU beside the force sensor says how far
the hand moved in the words a thrust's caption uses (it said "displacement 2.1 mm" where every
other readout says "hand moved" or "movement")."""

from __future__ import annotations

import pytest

from ui.cli import main
from ui.trainer.engine import Engine
from ui.trainer.window import TrainerWindow

from .conftest import Feeder, schemes

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_a_cycles_caption_says_hand_moved(qtbot, tmp_path):
    assert main(["simulate", "--grade", "III", "--imu", "500", "--seed", "2", "-o", str(tmp_path / "s.csv")]) == 0
    eng = Engine(*schemes(target="III"), clock=lambda: 0.0)
    win = TrainerWindow(eng, start_timer=False)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    Feeder(eng, win, tmp_path / "s.csv").until(12.0)
    last = eng.cycles[-1]
    assert last.displacement_mm is not None
    caption = win.grade_panel.caption.text().replace("\n", " · ")
    assert f"hand moved {last.displacement_mm:.1f} mm" in caption, caption
    assert "displacement" not in caption


def test_a_source_that_cannot_be_opened_is_not_waited_for(qtbot, tmp_path):
    """``--device ble:X`` where there is no Bluetooth: the banner said why, and the grade panel
    went on "waiting for the first cycle"; it says the source is unavailable and S chooses another."""
    from .conftest import built_trainer

    win, eng = built_trainer(qtbot, tmp_path, "--device", "ble:NoSuchSensor")
    try:
        win.worker.start()
        qtbot.waitUntil(lambda: eng.error is not None, timeout=30_000)
        win.refresh()
        assert win.grade_panel.caption.text() == "source unavailable: S chooses another"
        assert win.banner.isVisible() and win.banner.text() == eng.error
    finally:
        win.close()
