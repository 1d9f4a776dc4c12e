"""A feedback schedule holds a worn IMU's figures back during a set, as it holds a force
sensor's grade back. With an IMU alone, ``--feedback blind`` (or terminal) still showed the
live "2.2 mm", its frequency and "cycles (IMU) 9" while the status line said "feedback blind";
with a force sensor the same schedule shows "?"."""

from __future__ import annotations

import shutil

import pytest

from ui.cli import main
from ui.trainer.engine import Engine
from ui.trainer.panels import HIDDEN
from ui.trainer.window import TrainerWindow

from .conftest import Feeder

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture(scope="module")
def imu_alone(tmp_path_factory):
    d = tmp_path_factory.mktemp("imu")
    assert main(["simulate", "--grade", "III", "--imu", "500", "-o", str(d / "s.csv")]) == 0
    (d / "alone").mkdir()
    return shutil.copy(d / "s.imu.csv", d / "alone" / "s.imu.csv")


def _fed(qtbot, path, mode: str, until: float):
    eng = Engine(clock=lambda: 0.0)
    win = TrainerWindow(eng, start_timer=False, feedback=mode)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    Feeder(eng, win, path).until(until)
    return win, eng


@pytest.mark.parametrize("mode,note", [("blind", "blind: revealed at the end of the set"),
                                       ("terminal", "summary after the set")])
def test_held_back_during_the_set(qtbot, imu_alone, mode, note):
    win, eng = _fed(qtbot, imu_alone, mode, 10.0)
    assert len(eng.imu_cycles) >= 5                    # (a set is running)
    panel = win.grade_panel
    assert panel.grade.text() == HIDDEN and panel.caption.text() == note
    assert [v.text() for v in panel.values.values()] == ["–"] * 4
    ungraded = win.force_plot.drawn["grades"].get(None, 0)
    assert (ungraded == 0) if mode == "blind" else (ungraded > 0)     # blind: no cycles marked either


def test_shown_live_with_concurrent_feedback_and_after_the_set(qtbot, imu_alone):
    win, _ = _fed(qtbot, imu_alone, "concurrent", 10.0)
    assert win.grade_panel.grade.text() not in (HIDDEN, "–")
    assert win.grade_panel.caption.text() == "mm of hand movement (IMU)"
    win, eng = _fed(qtbot, imu_alone, "blind", 1e9)     # (the recording ends: the set with it)
    win.refresh()
    eng.imu_last_t += 4.0                                # 4 s without a cycle: the set is over
    win.refresh()
    assert win.grade_panel.grade.text() == f"{eng.imu_cycles[-1].displacement_mm:.1f}"
