"""The HVLA tab marks the newest thrust's peak where the panel's "peak" and "time to peak" are
read: a dot at (time to peak, peak force) in the newest curve's colour, over a dotted line at the
time to peak; the plot marked the onset (0 ms) alone. A thrust seen by a worn IMU alone has its
dot on its movement curve at its time to peak."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from analysis.events import ThrustEvent
from firmware_bridge.replay import analyze_input, load_input
from ui.cli import main

from .conftest import ARTIFACTS, REPO, Feeder, schemes, thrust_tab_window

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

LUMBAR = REPO / "fixtures" / "thrust_lumbar.csv"


def _mark(plot) -> tuple[float, float] | None:
    """Where the dot is drawn (ms from onset, value), None when it is not."""
    if not plot.peak_mark.isVisible():
        return None
    x, y = plot.peak_mark.getData()
    assert len(x) == 1                          # one mark, the newest thrust's
    return float(x[0]), float(y[0])


def _sample_ms(plot) -> float:
    x, _ = plot.curves[-1].getData()
    return float(np.median(np.diff(x)))


def test_the_newest_thrusts_peak_is_marked_and_moves_to_the_next(qtbot):
    thrusts = [e for e in analyze_input(load_input(LUMBAR), *schemes()) if isinstance(e, ThrustEvent)]
    assert len(thrusts) >= 2
    first, second = thrusts[:2]
    win, eng = thrust_tab_window(qtbot, *schemes())
    plot = win.thrust_panel.plot
    feed = Feeder(eng, win, LUMBAR)

    feed.until(first.t_onset - 0.5)             # no thrust yet: nothing marked
    assert not eng.thrusts and _mark(plot) is None and not plot.peak_line.isVisible()

    feed.until(first.t_onset + 1.0)
    ev = eng.thrusts[-1]
    assert ev.time_to_peak_ms == pytest.approx(first.time_to_peak_ms, abs=1)
    x, y = _mark(plot)
    dt = _sample_ms(plot)
    assert abs(x - ev.time_to_peak_ms) <= dt and y == pytest.approx(ev.peak_n, abs=0.5)
    assert plot.peak_line.isVisible() and plot.peak_line.value() == pytest.approx(x)
    # on the curve: its highest sample lies within a sample of the mark, at the mark's force
    cx, cy = plot.curves[-1].getData()
    assert abs(cx[np.nanargmax(cy)] - x) <= dt and float(np.nanmax(cy)) == pytest.approx(y, rel=0.01)
    # in the newest curve's colour
    pen = plot.curves[-1].opts["pen"].color()
    assert plot.peak_mark.points()[0].brush().color().name() == pen.name() and pen.alpha() == 255

    feed.until(second.t_onset + 1.0)
    ev2 = eng.thrusts[-1]
    assert ev2 is not ev and ev2.time_to_peak_ms != ev.time_to_peak_ms
    x2, y2 = _mark(plot)                        # moved to the new thrust
    assert abs(x2 - ev2.time_to_peak_ms) <= dt and y2 == pytest.approx(ev2.peak_n, abs=0.5)
    assert (x2, y2) != (x, y)
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / "trainer_thrust_peak_mark.png"))

    win.thrust_panel.clear()                    # a new source: no thrust, no mark
    assert _mark(plot) is None and not plot.peak_line.isVisible()


def test_an_imus_thrust_is_marked_on_its_movement_curve(qtbot, tmp_path):
    assert main(["simulate", "--thrust", "--imu", "500", "-o", str(tmp_path / "x.csv")]) == 0
    imu = shutil.copy(tmp_path / "x.imu.csv", tmp_path / "worn.imu.csv")   # the IMU's file alone
    thrusts = [e for e in analyze_input(load_input(imu), *schemes()) if isinstance(e, ThrustEvent)]
    assert len(thrusts) == 1
    win, eng = thrust_tab_window(qtbot)
    plot = win.thrust_panel.plot
    feed = Feeder(eng, win, imu)
    feed.until(thrusts[0].t_onset - 0.5)
    assert _mark(plot) is None
    feed.until(thrusts[0].t_onset + 1.0)
    ev = eng.thrusts[-1]
    assert not np.isfinite(ev.peak_n)           # no force: the mark is read off the movement drawn
    x, y = _mark(plot)
    cx, cy = plot.curves[-1].getData()
    dt = _sample_ms(plot)
    assert abs(x - ev.time_to_peak_ms) <= dt
    i = int(np.argmin(abs(cx - x)))             # the curve's sample nearest the mark
    assert min(cy[max(i - 1, 0):i + 2]) <= y <= max(cy[max(i - 1, 0):i + 2])
    lo, hi = plot.getPlotItem().getViewBox().viewRange()[1]
    assert lo <= y <= hi                       # in millimetres, on the plot
    win.grab().save(str(ARTIFACTS / "trainer_imu_thrust_peak_mark.png"))
