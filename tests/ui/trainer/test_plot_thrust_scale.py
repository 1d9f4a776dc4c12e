"""The HVLA tab's force axis fits the thrusts it shows, or the corridors, whichever reach higher:
it stood at 0-700 N (or 1.15 x the peak corridor's top), so a 1010 N side-posture thrust ran off
the top and a 120 N cervical one filled the bottom sixth."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.events import ThrustEvent
from firmware_bridge.replay import analyze_input, load_input
from ui.cli import main
from ui.trainer.target import Target

from .conftest import ARTIFACTS, REPO, Feeder, schemes, thrust_tab_window

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _shown(qtbot, path, r1, r2, target=None):
    s, th = schemes(r1, r2)
    thrusts = [e for e in analyze_input(load_input(path), s, th) if isinstance(e, ThrustEvent)]
    assert thrusts
    win, eng = thrust_tab_window(qtbot, s, th)
    if target is not None:
        win.set_target(target)
    Feeder(eng, win, path).until(thrusts[-1].t_onset + 1.0)
    plot = win.thrust_panel.plot
    ys = [c.getData()[1] for c in plot.curves if c.getData()[1] is not None and len(c.getData()[1])]
    assert ys
    low, top = plot.getPlotItem().getViewBox().viewRange()[1]
    return win, max(float(y.max()) for y in ys), low, top


def test_a_side_posture_thrust_of_1010_n_is_seen_whole(qtbot, tmp_path):
    path = tmp_path / "side.csv"
    assert main(["simulate", "--thrust", "--preload", "70", "--peak", "1010", "--time-to-peak", "167",
                 "--rate", "1000", "-o", str(path)]) == 0
    win, peak, low, top = _shown(qtbot, path, 40, 120, Target.parse("V"))     # corridors 100-160, 400-650 N
    assert peak > 1000
    assert low == 0 and peak < top <= 1.25 * peak          # its peak on the plot (the axis ended at 747 N)
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / "trainer_thrust_1010N.png"))


def test_a_cervical_thrust_fills_the_plot(qtbot):
    win, peak, low, top = _shown(qtbot, REPO / "fixtures" / "thrust_cervical.csv", 10, 40)
    assert 100 < peak < 150
    assert low == 0 and peak < top <= 1.25 * peak          # (0-700 N: the thrust in the bottom sixth)
    win.grab().save(str(ARTIFACTS / "trainer_thrust_cervical.png"))


def test_corridors_above_the_thrusts_set_the_axis(qtbot):
    corridor = Target("V", None, None, (100.0, 160.0), (400.0, 650.0))
    win, peak, low, top = _shown(qtbot, REPO / "fixtures" / "thrust_cervical.csv", 10, 40, corridor)
    assert peak < 150 and top == pytest.approx(np.ceil(1.15 * 650 / 10) * 10)   # the corridors in view
