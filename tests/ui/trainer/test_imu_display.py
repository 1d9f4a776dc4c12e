"""What the trainer shows of a hand-worn IMU read alone (no force sensor): the big grade panel
gives an IMU's thrust the movement the HVLA tab shows (its peak read "–"); while the IMU's first
second is held back the movement plot says it is waiting for it (it was an empty force plot),
and the movement of the first 3 s, while the filters settle, is drawn faintly under a shaded
span that says so."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from analysis.events import ThrustEvent
from firmware_bridge.replay import analyze_input, load_input
from ui.cli import main

from .conftest import ARTIFACTS, Feeder, schemes, thrust_tab_window

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _thrust(path) -> ThrustEvent:
    thrusts = [e for e in analyze_input(load_input(path), *schemes()) if isinstance(e, ThrustEvent)]
    assert len(thrusts) == 1
    return thrusts[0]


def test_the_grade_panel_shows_how_far_the_hand_moved_in_an_imus_thrust(qtbot, tmp_path):
    assert main(["simulate", "--thrust", "--imu", "500", "-o", str(tmp_path / "x.csv")]) == 0
    imu = shutil.copy(tmp_path / "x.imu.csv", tmp_path / "worn.imu.csv")   # the IMU's file alone
    ev = _thrust(imu)
    win, eng = thrust_tab_window(qtbot)
    Feeder(eng, win, imu).until(ev.t_onset + 1.0)
    big, tab = win.grade_panel, win.thrust_panel
    assert big.grade.text() == "V"
    assert tab.names["peak"].text() == "hand moved" and tab.values["peak"].text().endswith(" mm")
    # the same figure in the big panel, in the peak's place (it read "–")
    assert big.names["crest"].text() == "hand moved"
    assert big.values["crest"].text() == tab.values["peak"].text()
    assert float(big.values["crest"].text().split()[0]) > 0.5         # (2.5 mm on this simulated thrust)
    assert big.values["frequency"].text() == f"{ev.time_to_peak_ms:.0f} ms"
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / "trainer_imu_thrust_grade_panel.png"))


def test_a_force_thrust_keeps_its_peak_force_in_the_grade_panel(qtbot, tmp_path):
    assert main(["simulate", "--thrust", "-o", str(tmp_path / "x.csv")]) == 0
    ev = _thrust(tmp_path / "x.csv")
    win, eng = thrust_tab_window(qtbot, *schemes())
    Feeder(eng, win, tmp_path / "x.csv").until(ev.t_onset + 1.0)
    assert win.grade_panel.names["crest"].text() == "peak"
    assert win.grade_panel.values["crest"].text() == f"{ev.peak_n:.0f} N"


def _imu_alone(tmp_path, drop: tuple[float, float] | None = None):
    """A simulated III set's IMU file alone (500 Hz), its samples in ``drop`` left out (a lost link)."""
    assert main(["simulate", "--grade", "III", "--freq", "1.5", "--cycles", "20", "--imu", "500",
                 "-o", str(tmp_path / "x.csv")]) == 0
    lines = (tmp_path / "x.imu.csv").read_text().splitlines()
    if drop is not None:
        lines = lines[:1] + [ln for ln in lines[1:] if not drop[0] <= float(ln.split(",")[0]) < drop[1]]
    (tmp_path / "worn").mkdir()
    path = tmp_path / "worn" / "x.imu.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def _finite_x(item) -> np.ndarray:
    x, y = item.getOriginalDataset()
    return np.zeros(0) if x is None else x[np.isfinite(y)]


def test_the_plot_says_it_waits_for_the_imu_then_marks_its_settling(qtbot, tmp_path):
    win, eng = thrust_tab_window(qtbot)
    feed = Feeder(eng, win, _imu_alone(tmp_path))
    plot = win.force_plot
    axis = plot.getPlotItem().getAxis("left")
    ARTIFACTS.mkdir(exist_ok=True)

    feed.until(0.5)                   # the IMU's first second is held back: no movement yet
    assert (axis.labelText, axis.labelUnits) == ("hand movement", "mm")      # (it was an empty force plot)
    assert plot.note.isVisible()
    assert plot.note.textItem.toPlainText() == "waiting for the IMU: 0.5 of the 1 s\nits movement is worked out from"
    assert plot.drawn["n"] == 0 and plot.drawn["t_now"] == pytest.approx(0.5, abs=0.06)    # the clock runs
    assert "IMU alone: no force to grade" in win.status.text()
    # the HVLA tab is on the same axis before any thrust (it said force until the first one)
    t_axis = win.thrust_panel.plot.getPlotItem().getAxis("left")
    assert (t_axis.labelText, t_axis.labelUnits) == ("hand movement", "mm")
    assert win.thrust_panel.plot.getViewBox().viewRange()[1] == [-5.0, 5.0]   # (0-700, the force's)
    win.grab().save(str(ARTIFACTS / "trainer_imu_waiting.png"))

    feed.until(1.5)                   # the first 1.5 s drawn at once, faintly: the filters settle
    assert not plot.note.isVisible()
    assert plot.drawn["n"] > 0.9 * 1.5 * 500
    ((a, b),) = plot.drawn["settling"]
    settle = b - a
    assert 2.5 < settle < 3.5                                         # (3.0 s for the IMU's 0.4 Hz band)
    assert plot.settle_items[0].isVisible() and plot.settle_label.isVisible()
    assert plot.settle_label.textItem.toPlainText() == "IMU settling: movement approximate"
    assert len(_finite_x(plot.unsettled)) > 0.9 * 1.5 * 500 and len(_finite_x(plot.trace)) == 0
    win.grab().save(str(ARTIFACTS / "trainer_imu_settling.png"))

    feed.until(6.0)                   # settled: drawn as the movement it is
    t_now = plot.drawn["t_now"]
    faint, solid = _finite_x(plot.unsettled) + t_now, _finite_x(plot.trace) + t_now
    assert faint.max() <= settle + 0.01 and solid.min() >= settle - 0.01 and len(solid) > 2.9 * 500
    feed.until(14.0)                  # the settling out of view, and what said so
    assert plot.drawn["settling"] == [] and not plot.settle_label.isVisible()
    assert not any(r.isVisible() for r in plot.settle_items)


def test_after_a_dropout_the_plot_says_the_imu_is_back_and_marks_its_settling(qtbot, tmp_path):
    win, eng = thrust_tab_window(qtbot)
    feed = Feeder(eng, win, _imu_alone(tmp_path, drop=(8.0, 9.0)))
    plot = win.force_plot
    feed.until(9.5)
    assert plot.note.isVisible()
    assert plot.note.textItem.toPlainText().startswith("the IMU is back after a dropout: 0.5 of the 1 s")
    assert plot.drawn["n"] > 7.5 * 500                   # what came before the dropout stays drawn
    feed.until(10.5)
    assert not plot.note.isVisible()
    t_now = plot.drawn["t_now"]
    assert [round(a + t_now, 1) for a, _ in plot.drawn["settling"]] == [0.0, 9.0]
    faint = _finite_x(plot.unsettled) + t_now
    assert not np.any((faint > 8.0) & (faint < 9.0))        # no line drawn across the dropout
    assert np.any(faint >= 9.0) and plot.settle_label.isVisible()
    win.grab().save(str(ARTIFACTS / "trainer_imu_dropout.png"))
