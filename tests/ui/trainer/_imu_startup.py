"""A recording whose IMU starts before its force, and the trainer playing it live."""

from __future__ import annotations

import pytest

from firmware_bridge.replay import load_input
from firmware_bridge.sources import FileSource
from ui.cli import main
from ui.trainer.acquisition import AcquisitionWorker
from ui.trainer.engine import Engine
from ui.trainer.window import TrainerWindow

LEAD_S = 2.0          # the IMU's file starts this long before the force's
SPEED = 2.0           # the recording played this many times faster than real time


def _imu_first(tmp_path):
    """A simulated III set on a 500 Hz force sensor with an IMU at 200 Hz, the force's first
    ``LEAD_S`` left out (x.imu.csv beside x.csv is read with it)."""
    path = tmp_path / "x.csv"
    assert main(["simulate", "--grade", "III", "--freq", "1.5", "--cycles", "20", "--rate", "500",
                 "--imu", "200", "-o", str(path)]) == 0
    head, *rows = path.read_text().splitlines()
    path.write_text("\n".join([head] + [r for r in rows if float(r.split(",")[0]) >= LEAD_S]) + "\n")
    inp = load_input(path)
    assert inp.imu.t_s[0] == 0.0 and inp.force.t_s[0] == pytest.approx(LEAD_S)
    return path


def _live(qtbot, tmp_path, path, speed: float = SPEED):
    """The trainer reading ``path`` as ``file:`` does (uncalibrated: the recording has none), its
    frames on the window's own timer; each frame's plot axis and note are kept."""
    eng = Engine()
    worker = AcquisitionWorker(FileSource(str(path), speed=speed), eng)
    win = TrainerWindow(eng, worker, record_root=tmp_path / "rec")
    qtbot.addWidget(win)
    win.show()
    seen = []
    win.frame_hooks.append(lambda w: seen.append((w.force_plot.getPlotItem().getAxis("left").labelText,
                                                  w.force_plot.drawn["note"])))
    return win, eng, worker, seen
