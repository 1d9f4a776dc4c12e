"""A recording from a hand-worn IMU alone (no force sensor): the trainer's plot shows the hand's
movement in mm with the IMU's cycles, the big label the last cycle's movement, and an IMU's
thrust shows as grade V with its unknown forces as "–" (the plot stayed empty and blank)."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtGui import QColor, QImage

from analysis.events import ThrustEvent
from analysis.imu import ImuCycleEvent
from firmware_bridge.replay import analyze_input, load_input
from firmware_bridge.session import open_session
from ui.cli import main
from ui.trainer.engine import Engine
from ui.trainer.palette import GRADE_COLOURS, TRACE
from ui.trainer.window import TrainerWindow

from .conftest import ARTIFACTS, Feeder, schemes

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _imu_only(tmp_path, *simulate: str):
    """A simulated practice's IMU file alone, in a folder of its own."""
    sim = tmp_path / "sim"
    sim.mkdir()
    assert main(["simulate", *simulate, "--imu", "200", "-o", str(sim / "x.csv")]) == 0
    (tmp_path / "worn").mkdir()
    return shutil.copy(sim / "x.imu.csv", tmp_path / "worn" / "x.imu.csv")


def _count(img: QImage, colour: str, right: int) -> int:
    want = QColor(colour).rgb()
    return sum(1 for y in range(0, img.height(), 2) for x in range(0, right, 2) if img.pixel(x, y) == want)


def test_screenshot_of_an_imu_alone_shows_the_hands_movement(tmp_path, capsys):
    imu = _imu_only(tmp_path, "--grade", "III", "--freq", "1.5", "--cycles", "20", "--rate", "500")
    out = tmp_path / "imu.png"
    assert main(["screenshot", "--replay", str(imu), "--at", "12", "--size", "1024x600", "-o", str(out)]) == 0
    img = QImage(str(out))
    plot = int(img.width() * 0.55)                     # the plot's side of the window
    assert _count(img, TRACE, plot) > 50                # the movement before and after its cycles …
    assert _count(img, GRADE_COLOURS[None], plot) > 300   # … and its cycles, ungraded: an IMU weighs nothing
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(out, ARTIFACTS / "screenshot_imu_only.png")   # to look at


def _window(qtbot):
    eng = Engine(clock=lambda: 0.0)              # no calibration: an IMU alone has nothing it would grade
    win = TrainerWindow(eng, start_timer=False)
    qtbot.addWidget(win)
    win.show()
    return win, eng


def test_the_window_draws_an_imus_movement_and_its_last_cycle(qtbot, tmp_path):
    imu = _imu_only(tmp_path, "--grade", "III", "--freq", "1.5", "--cycles", "20", "--rate", "500")
    cycles = [e for e in analyze_input(load_input(imu), *schemes()) if isinstance(e, ImuCycleEvent)]
    assert len(cycles) > 10
    win, eng = _window(qtbot)
    Feeder(eng, win, imu).until(cycles[8].t_detect_s + 0.01)
    plot = win.force_plot
    assert plot.getPlotItem().getAxis("left").labelText == "hand movement"
    assert plot.drawn["n"] > 1000 and plot.drawn["grades"].get(None, 0) > 500   # 10 s at 200 Hz, cycles coloured
    assert not plot.band_r1.isVisible() and not plot.lines["R1"].isVisible()    # no forces on a plot of mm
    ymin, ymax = plot.getPlotItem().getViewBox().viewRange()[1]
    assert -5 <= ymin < 0 < ymax <= 5                  # scaled to millimetres, not to 50 N steps
    last = [c for c in cycles if c.t_detect_s <= cycles[8].t_detect_s + 0.01][-1]
    assert win.grade_panel.grade.text() == f"{last.displacement_mm:.1f}"
    assert win.grade_panel.caption.text() == "mm of hand movement (IMU)"
    assert win.grade_panel.values["amplitude"].text() == f"{last.displacement_mm:.1f} mm"
    assert win.grade_panel.values["frequency"].text() == f"{last.freq_hz:.2f} Hz"
    assert "IMU alone: no force to grade" in win.status.text() and "press C" not in win.status.text()
    win.grab().save(str(ARTIFACTS / "trainer_imu_only.png"))


def test_an_imus_thrust_is_grade_v_with_its_forces_unknown(qtbot, tmp_path):
    imu = _imu_only(tmp_path, "--thrust", "--preload", "150", "--peak", "600", "--time-to-peak", "120")
    thrusts = [e for e in analyze_input(load_input(imu), *schemes()) if isinstance(e, ThrustEvent)]
    assert len(thrusts) == 1
    win, eng = _window(qtbot)
    Feeder(eng, win, imu).until(thrusts[0].t_detect_s + 0.06)
    assert win.grade_panel.grade.text() == "V"
    shown = [v.text() for v in (*win.grade_panel.values.values(), *win.thrust_panel.values.values())]
    assert not any("nan" in s for s in shown) and win.grade_panel.values["amplitude"].text() == "–"
    assert win.grade_panel.values["crest"].text() == win.thrust_panel.values["peak"].text()   # mm moved
    assert win.thrust_panel.values["preload"].text() == "–"    # (its peak: the hand's movement in mm)
    assert win.thrust_panel.values["time to peak"].text() == f"{thrusts[0].time_to_peak_ms:.0f} ms"


@pytest.mark.parametrize("with_force", [True, False], ids=["force and IMU", "IMU alone"])
def test_a_recording_keeps_what_the_imu_measured(qtbot, tmp_path, with_force):
    """The trainer's recording of a sensor with a worn IMU holds imu.csv, and its events what
    'replay' of the folder finds (the IMU's samples were dropped; an IMU alone recorded nothing)."""
    imu = _imu_only(tmp_path, "--grade", "III", "--freq", "1.5", "--cycles", "20", "--rate", "500")
    path = tmp_path / "sim" / "x.csv" if with_force else imu       # x.imu.csv beside x.csv is read with it
    eng = Engine(*schemes(), clock=lambda: 0.0)
    win = TrainerWindow(eng, start_timer=False, record_root=tmp_path / "rec")
    qtbot.addWidget(win)
    win.show()
    feed = Feeder(eng, win, path)
    feed.until(5.0)
    folder = win.start_recording()
    feed.until(15.0)
    assert win.stop_recording() == folder
    ses = open_session(folder)
    assert ses.imu is not None and 9.9 * 200 <= len(ses.imu.t_s) <= 10.1 * 200
    assert ses.imu.t_s[0] == pytest.approx(0.0, abs=0.01)
    replayed = [e.to_dict() for e in analyze_input(load_input(folder), *schemes())]
    kinds = ("imu_cycle",) if not with_force else ("cycle",)
    stored = [e for e in ses.events if e["type"] in kinds]
    again = [e for e in replayed if e["type"] in kinds]
    assert len(stored) >= 8 and [e["t_start"] for e in stored] == [e["t_start"] for e in again]
    if with_force:                                    # each force cycle's movement, from the IMU
        assert all(e["displacement_mm"] is not None for e in stored)
