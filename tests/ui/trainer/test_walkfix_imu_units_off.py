"""An IMU whose acceleration is in g (a header still saying m/s²) gives no movement, cycles or
thrusts: replay and record say so and leave them out. The trainer waited for a first cycle that
could not come ("waiting for the first cycle (IMU)", an empty plot under "IMU settling") and the
screenshot said nothing. Now the IMU's analysis is switched off and named: in the status line,
the plot, the grade panel's caption (an IMU alone), the movement diagram (beside a force
sensor), and the screenshot warns as replay does."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import gc
from ui.cli import main

from ._imu_units import _in_g, _window
from .conftest import Feeder, schemes

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def recorded(tmp_path):
    sim = tmp_path / "sim"
    sim.mkdir()
    assert main(["simulate", "--thrust", "--sets", "2", "--imu", "500", "--seed", "5",
                 "-o", str(sim / "t.csv")]) == 0
    (tmp_path / "g").mkdir()
    shutil.copy(sim / "t.csv", tmp_path / "g" / "t.csv")
    _in_g(sim / "t.imu.csv", tmp_path / "g" / "t.imu.csv")
    (tmp_path / "alone").mkdir()
    _in_g(sim / "t.imu.csv", tmp_path / "alone" / "in_g.imu.csv")
    return tmp_path


def test_an_imu_alone_in_g_says_its_analysis_is_off(qtbot, recorded):
    win, eng = _window(qtbot)
    Feeder(eng, win, recorded / "alone" / "in_g.imu.csv").until(6.0)
    status = win._status_text()
    assert "imu analysis off: IMU acceleration averages 1 where gravity alone reads 9.81 m/s² " \
           "(units in g? give m/s²)" in status
    assert win.grade_panel.caption.text() == "IMU analysis off: units in g? give m/s²"
    assert win.force_plot.drawn["note"].startswith("IMU analysis off:\nIMU acceleration averages 1")
    assert "waiting for the first cycle" not in win.grade_panel.caption.text()


def test_beside_a_force_sensor_the_movement_diagram_says_why_it_stays_empty(qtbot, recorded):
    win, eng = _window(qtbot, *schemes())
    Feeder(eng, win, recorded / "g" / "t.csv").until(6.0)
    note = win.movement.note.textItem.toPlainText()
    assert note.startswith("IMU analysis off: no movement to draw\nIMU acceleration averages 1")
    assert "Needs a worn IMU" not in note
    assert "imu analysis off: IMU acceleration averages 1" in win._status_text()
    assert eng.thrusts, "the force's thrusts are measured all the same"


def test_a_screenshot_warns_as_replay_does(recorded):
    imu = recorded / "alone" / "in_g.imu.csv"
    replay = gc("replay", imu, "--format", "jsonl")
    said = [w for w in replay.stderr.splitlines() if "IMU acceleration averages" in w]
    assert said, replay.stderr
    r = gc("screenshot", "--replay", imu, "--at", 9, "-o", recorded / "a.png")
    assert r.returncode == 0, r.stderr
    assert r.stderr.splitlines() == said
