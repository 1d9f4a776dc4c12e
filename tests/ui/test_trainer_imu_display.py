"""What the trainer shows of a hand-worn IMU read alone (no force sensor): the big grade panel
gives an IMU's thrust the movement the HVLA tab shows (its peak read "–")."""

from __future__ import annotations

import shutil

import pytest

from analysis.events import ThrustEvent
from firmware_bridge.replay import analyze_input, load_input
from tests.ui.trainer.conftest import ARTIFACTS, Feeder, schemes
from ui.cli import main
from ui.trainer.engine import Engine
from ui.trainer.window import TrainerWindow

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture(autouse=True)
def private_dirs(tmp_path, monkeypatch):
    """Profiles and the log file go to the test's own folder, never the user's."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


def _window(qtbot, *args):
    eng = Engine(*args, clock=lambda: 0.0)
    win = TrainerWindow(eng, start_timer=False)
    qtbot.addWidget(win)
    win.show()
    win.tabs.setCurrentWidget(win.thrust_panel)
    return win, eng


def _thrust(path) -> ThrustEvent:
    thrusts = [e for e in analyze_input(load_input(path), *schemes()) if isinstance(e, ThrustEvent)]
    assert len(thrusts) == 1
    return thrusts[0]


def test_the_grade_panel_shows_how_far_the_hand_moved_in_an_imus_thrust(qtbot, tmp_path):
    assert main(["simulate", "--thrust", "--imu", "500", "-o", str(tmp_path / "x.csv")]) == 0
    imu = shutil.copy(tmp_path / "x.imu.csv", tmp_path / "worn.imu.csv")   # the IMU's file alone
    ev = _thrust(imu)
    win, eng = _window(qtbot)
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
    win, eng = _window(qtbot, *schemes())
    Feeder(eng, win, tmp_path / "x.csv").until(ev.t_onset + 1.0)
    assert win.grade_panel.names["crest"].text() == "peak"
    assert win.grade_panel.values["crest"].text() == f"{ev.peak_n:.0f} N"
