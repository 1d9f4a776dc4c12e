"""Every axis of the trainer stays in its unit: a 1015 N thrust on the force plot and the HVLA
tab reads in N ("force (N)", ticks up to 1000), not "force (kN)" with ticks 0.2-1.0 while the
panels beside it say "peak 1015 N"."""

from __future__ import annotations

import pytest

from analysis.events import ThrustEvent
from firmware_bridge.replay import analyze_input, load_input
from ui.cli import main

from .conftest import ARTIFACTS, Feeder, schemes, thrust_tab_window

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _tick_labels(axis) -> list[str]:
    lo, hi = axis.range
    return [t for _, values in axis.tickValues(lo, hi, 500) for t in axis.tickStrings(values, axis.scale, 1)]


def test_a_thrust_over_1000_n_reads_in_newtons(qtbot, tmp_path):
    path = tmp_path / "side.csv"
    assert main(["simulate", "--thrust", "--preload", "70", "--peak", "1010", "--time-to-peak", "167",
                 "--rate", "1000", "-o", str(path)]) == 0
    s, th = schemes()
    (ev,) = [e for e in analyze_input(load_input(path), s, th) if isinstance(e, ThrustEvent)]
    win, eng = thrust_tab_window(qtbot, s, th)
    Feeder(eng, win, path).until(ev.t_onset + 1.0)
    assert win.thrust_panel.values["peak"].text() == f"{ev.peak_n:.0f} N"
    for plot in (win.force_plot, win.thrust_panel.plot):
        axis = plot.getPlotItem().getAxis("left")
        assert axis.range[1] > 1000
        assert "force (N)" in axis.labelString() and "kN" not in axis.labelString()
        labels = _tick_labels(axis)
        assert "1000" in labels and "1.0" not in labels
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / "trainer_units_1015N.png"))
