"""A worn IMU alone whose analysis stops on an internal error: the grade panel says so ("IMU
analysis off: internal error (details in the log file)"), as the plot and the status line do; it
said "IMU analysis off: its units are wrong", sending the user to check units that were right."""

from __future__ import annotations

import pytest

from ui.cli import main
from ui.trainer.engine import Engine
from ui.trainer.window import TrainerWindow

from .conftest import Feeder

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_an_internal_imu_error_is_said_as_it_is(qtbot, tmp_path):
    assert main(["simulate", "--thrust", "--sets", "1", "--imu", "500", "--seed", "5",
                 "-o", str(tmp_path / "t.csv")]) == 0
    eng = Engine(clock=lambda: 0.0)
    win = TrainerWindow(eng, start_timer=False)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    feeder = Feeder(eng, win, tmp_path / "t.imu.csv")
    feeder.until(2.0)
    assert "imu" not in eng.disabled

    def broken(chunk):
        raise RuntimeError("a fault in the IMU's analysis")
    eng.analyzer.processors["imu"].feed = broken
    feeder.until(4.0)
    assert eng.disabled["imu"] == "internal error (details in the log file)"
    said = win.grade_panel.caption.text()
    assert said == "IMU analysis off: internal error (details in the log file)", said
    assert "units" not in said
