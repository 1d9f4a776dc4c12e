"""A thrust seen only by a hand-worn IMU: the "HVLA thrusts" tab draws the hand's movement in mm
around the thrust's onset and gives the numbers an IMU can measure (time to peak, movement from
onset to peak); its plot stayed empty, its axis said force and its peak read "–"."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from analysis.events import ThrustEvent
from firmware_bridge.replay import analyze_input, load_input
from ui.cli import main

from .conftest import ARTIFACTS, Feeder, schemes, thrust_tab_window

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_an_imus_thrust_is_drawn_as_the_hands_movement(qtbot, tmp_path):
    assert main(["simulate", "--thrust", "--imu", "500", "-o", str(tmp_path / "x.csv")]) == 0
    imu = shutil.copy(tmp_path / "x.imu.csv", tmp_path / "worn.imu.csv")   # the IMU's file alone
    thrusts = [e for e in analyze_input(load_input(imu), *schemes()) if isinstance(e, ThrustEvent)]
    assert len(thrusts) == 1
    ev = thrusts[0]
    win, eng = thrust_tab_window(qtbot)
    Feeder(eng, win, imu).until(ev.t_onset + 1.0)
    plot = win.thrust_panel.plot
    assert plot.getPlotItem().getAxis("left").labelText == "hand movement"
    assert plot.getPlotItem().getAxis("left").labelUnits == "mm"
    x, y = plot.curves[-1].getData()
    assert x is not None and len(x) > 0.8 * 0.9 * 500     # 0.9 s around the onset at 500 Hz
    assert x[0] < 0 < x[-1] and np.all(np.isfinite(y))
    ymin, ymax = plot.getPlotItem().getViewBox().viewRange()[1]
    assert ymin <= float(y.min()) and float(y.max()) <= ymax <= 50     # scaled to mm, not to 700 N
    assert not any(c.isVisible() for c in plot.corridors)
    v, names = win.thrust_panel.values, win.thrust_panel.names
    assert v["time to peak"].text() == f"{ev.time_to_peak_ms:.0f} ms"
    # the simulated hand went 4.1 mm from onset to peak (x.imu-expected.jsonl); the panel gives
    # the IMU's measure of it, not the band-limited trace drawn (which reads it at about half)
    truth = [json.loads(line) for line in (tmp_path / "x.imu-expected.jsonl").read_text().splitlines()]
    true_mm = next(e["displacement_mm"] for e in truth if e["type"] == "thrust")
    assert names["peak"].text() == "hand moved" and v["peak"].text() == f"{ev.displacement_mm:.1f} mm"
    assert abs(float(v["peak"].text().split()[0]) - true_mm) < 0.15 * true_mm
    assert v["preload"].text() == "–" and not any("nan" in w.text() for w in v.values())
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / "trainer_imu_thrust.png"))


def test_a_force_thrust_is_drawn_in_newtons_as_before(qtbot, tmp_path):
    assert main(["simulate", "--thrust", "-o", str(tmp_path / "x.csv")]) == 0
    path = tmp_path / "x.csv"
    thrusts = [e for e in analyze_input(load_input(path), *schemes()) if isinstance(e, ThrustEvent)]
    assert len(thrusts) == 1
    win, eng = thrust_tab_window(qtbot, *schemes())
    Feeder(eng, win, path).until(thrusts[0].t_onset + 1.0)
    plot = win.thrust_panel.plot
    assert plot.getPlotItem().getAxis("left").labelText == "force"
    assert plot.getPlotItem().getAxis("left").labelUnits == "N"
    _, y = plot.curves[-1].getData()
    assert y is not None and float(y.max()) > 100
    ymin, ymax = plot.getPlotItem().getViewBox().viewRange()[1]
    assert ymin <= 0 and float(y.max()) < ymax < 800      # the force axis (fitting the thrust), not the movement's
    assert win.thrust_panel.values["peak"].text() == f"{thrusts[0].peak_n:.0f} N"
