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


def _device_shot(tmp_path, spec: str, at: float):
    from ui import cmd_screenshot
    from ui.cli import build_parser

    args = build_parser("screenshot").parse_args(["screenshot", "--device", spec, "--at", str(at),
                                                  "-o", str(tmp_path / "d.png")])
    return cmd_screenshot.render(args, [])


def test_a_device_screenshot_draws_up_to_at(qtbot, tmp_path):
    """``screenshot --device file:X.imu.csv --at 0.3`` said "at t = 0.3 s" and drew a second: it
    waited for the IMU's movement, which comes after its first second, and fed all a read held."""
    assert main(["simulate", "--grade", "III", "--imu", "500", "-o", str(tmp_path / "s.csv")]) == 0
    (tmp_path / "alone").mkdir()
    imu = (tmp_path / "alone" / "s.imu.csv")
    imu.write_bytes((tmp_path / "s.imu.csv").read_bytes())
    win = _device_shot(tmp_path, f"file:{imu}", 0.3)
    try:
        eng = win.engine
        assert eng.imu_last_t - eng.imu_first_t == pytest.approx(0.3, abs=0.005)
        assert win.force_plot.drawn["note"].startswith("waiting for the IMU: 0.3 of the 1 s")
    finally:
        win.close()
    win = _device_shot(tmp_path, f"file:{tmp_path / 's.csv'}", 0.5)      # (a force sensor: the same)
    try:
        t, _ = win.engine.force.since(-1e9)
        assert t[-1] - t[0] == pytest.approx(0.5, abs=0.005)
    finally:
        win.close()
