"""Aiming at an HVLA thrust (target V), the grade panel says after each thrust whether it landed
in the preload and peak corridors without a let-up, and names each miss, as it says "on target"
or "off target" after a cycle aimed at III+. It said only "thrust" (or the let-up): the
corridors were drawn on the HVLA tab, but nothing said whether the thrust was in them."""

from __future__ import annotations

import re
import shutil

import numpy as np
import pytest

from analysis.scheme import GradingScheme, ThrustScheme
from ui.cli import main
from ui.trainer.palette import ALERT

from .conftest import ARTIFACTS, REPO, Feeder, schemes, target_window, thrust_tab_window, wrapped_lines

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

UNITS = ("mm", "N", "ms", "Hz", "%", "kN/s")


def _words(label) -> str:
    """The caption as one line of words (it may be laid out on several)."""
    return " ".join(label.text().split())


def _simulated(tmp_path, *flags: str):
    path = tmp_path / "v.csv"
    assert main(["simulate", "--thrust", "--sets", "1", "--rate", "500", *flags, "-o", str(path)]) == 0
    return path


def test_a_thrust_in_both_corridors_is_on_target(qtbot):
    win, eng = target_window(qtbot, "V")
    Feeder(eng, win, REPO / "fixtures" / "thrust_lumbar.csv").until(4.5)
    assert len(eng.thrusts) == 1
    t = eng.thrusts[-1]
    assert 100 <= t.preload_n <= 160 and 400 <= t.peak_n <= 650 and not t.letup    # (150 N, 600 N)
    cap = win.grade_panel.caption
    assert win.grade_panel.grade.text() == "V"
    assert _words(cap) == "target V: on target"
    assert ALERT not in cap.styleSheet()


def test_a_peak_above_its_corridor_is_named(qtbot, tmp_path):
    win, eng = target_window(qtbot, "V", size=(1366, 768))
    Feeder(eng, win, _simulated(tmp_path, "--peak", "702")).until(5.0)
    assert len(eng.thrusts) == 1
    t = eng.thrusts[-1]
    assert t.peak_n > 650 and 100 <= t.preload_n <= 160 and not t.letup
    cap = win.grade_panel.caption
    assert _words(cap) == f"target V: off target — peak {t.peak_n:.0f} N above 400–650 N"
    assert ALERT in cap.styleSheet()                      # as an off-target cycle is
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / "trainer_thrust_verdict.png"))


def test_a_let_up_is_off_target(qtbot):
    win, eng = target_window(qtbot, "V")
    Feeder(eng, win, REPO / "fixtures" / "thrust_letup.csv").until(4.5)
    t = eng.thrusts[-1]
    assert t.letup and 100 <= t.preload_n <= 160 and 400 <= t.peak_n <= 650     # in both corridors
    cap = win.grade_panel.caption
    assert _words(cap) == f"target V: off target — let-up {t.letup_n:.1f} N"
    assert ALERT in cap.styleSheet()


@pytest.mark.parametrize("size", [(911, 512), (1366, 768)])
def test_every_miss_is_named_and_whole_on_a_small_screen(qtbot, size):
    win, eng = target_window(qtbot, "V", size=size)
    qtbot.waitUntil(lambda: win.width() == size[0])
    Feeder(eng, win, REPO / "fixtures" / "thrust_side_posture.csv").until(4.0)
    t = eng.thrusts[-1]                            # preload 72 N, peak 1000 N, a let-up of 15 N
    cap = win.grade_panel.caption
    qtbot.wait(20)
    assert (win.width(), win.height()) == size     # (four lines of misses grew a 512 px window to 532)
    if size[1] < 600:     # without their corridors (the tab below shows the figures, the plots the corridors)
        said = f"target V: off target — preload low · peak high · let-up {t.letup_n:.1f} N"
    else:
        said = (f"target V: off target — preload {t.preload_n:.0f} N below 100–160 N · "
                f"peak {t.peak_n:.0f} N above 400–650 N · let-up {t.letup_n:.1f} N")
    facts = re.split(" — | · ", said)
    lines = cap.text().split("\n")
    # too long for one line: "off target" and each miss whole, as many to a line as fit
    assert len(lines) > 1
    assert [f for line in lines for f in re.split(" — | · ", line)] == facts
    assert lines[0].startswith("target V: off target")
    for line in wrapped_lines(cap):
        assert line.split()[0] not in UNITS, line            # no unit alone at a line's start
        assert not re.search(r"\d$", line), line            # no number parted from its unit
    assert cap.height() >= cap.heightForWidth(cap.width())  # all of it shown, in the frame drawn
    assert ALERT in cap.styleSheet()


def test_an_imus_own_thrust_gets_no_verdict_on_force(qtbot, tmp_path):
    assert main(["simulate", "--thrust", "--imu", "500", "-o", str(tmp_path / "x.csv")]) == 0
    imu = shutil.copy(tmp_path / "x.imu.csv", tmp_path / "worn.imu.csv")   # the IMU's file alone
    from ui.trainer.engine import Engine
    from ui.trainer.target import Target
    from ui.trainer.window import TrainerWindow
    eng = Engine(*schemes(), clock=lambda: 0.0)
    win = TrainerWindow(eng, target=Target.parse("V"), start_timer=False)
    qtbot.addWidget(win)
    win.show()
    Feeder(eng, win, imu).until(5.0)
    assert eng.thrusts and not np.isfinite(eng.thrusts[-1].peak_n)
    cap = win.grade_panel.caption
    assert _words(cap) == "target V: an IMU measures no force"
    assert ALERT not in cap.styleSheet()


def test_no_target_no_verdict(qtbot):
    win, eng = thrust_tab_window(qtbot, *schemes())
    Feeder(eng, win, REPO / "fixtures" / "thrust_lumbar.csv").until(4.5)
    assert eng.thrusts
    assert win.grade_panel.caption.text() == "thrust"


@pytest.mark.parametrize("mode", ["concurrent", "terminal", "faded", "bandwidth", "blind"])
def test_a_thrust_alone_is_judged_at_once_under_every_schedule(qtbot, tmp_path, mode):
    """A thrust is over when it is found, as a set is when it ends: every schedule shows it
    then, with its verdict (the HVLA tab shows its numbers and corridors anyway)."""
    win, eng = target_window(qtbot, "V")
    win.set_feedback(mode)
    Feeder(eng, win, _simulated(tmp_path, "--peak", "702")).until(5.0)
    assert eng.thrusts
    assert _words(win.grade_panel.caption).startswith("target V: off target — peak ")


def _cycles_then_thrust(tmp_path):
    """Five grade III cycles, then a thrust starting 2.8 s after the last of them ends."""
    assert main(["simulate", "--grade", "III", "--cycles", "5", "--sets", "1", "--rate", "500",
                 "-o", str(tmp_path / "c.csv")]) == 0
    th = _simulated(tmp_path, "--peak", "702")
    c = np.loadtxt(tmp_path / "c.csv", delimiter=",", skiprows=1)
    t = np.loadtxt(th, delimiter=",", skiprows=1)
    c = c[c[:, 0] <= 7.5]                       # the cycles, then back to rest
    t = t[t[:, 0] >= 1.7]                       # (its rest before the preload)
    t[:, 0] += c[-1, 0] + 0.002 - t[0, 0]
    rest = t[t[:, 0] >= t[-1, 0] - 1.2]         # (its last second at rest, again: for the set to end)
    parts = [c, t]
    for _ in range(2):
        more = rest.copy()
        more[:, 0] += parts[-1][-1, 0] + 0.002 - more[0, 0]
        parts.append(more)
    path = tmp_path / "mixed.csv"
    np.savetxt(path, np.vstack(parts), delimiter=",", fmt=["%.6f", "%.4f"], header="t_s,force_n", comments="")
    return path


@pytest.mark.parametrize("mode,during", [("concurrent", True), ("bandwidth", True),
                                         ("terminal", False), ("blind", False)])
def test_a_thrust_during_a_set_is_judged_when_its_grade_is_shown(qtbot, tmp_path, mode, during):
    """A thrust that comes while a set of cycles is running (within the set's gap) is shown
    as the schedule shows that set's grade: terminal and blind hold it, and its verdict, back
    until the set ends; bandwidth shows it (a III cycle is off target V)."""
    from ui.trainer.engine import Engine
    from ui.trainer.profiles import Calibration
    from ui.trainer.target import Target
    from ui.trainer.window import TrainerWindow
    eng = Engine(GradingScheme(40.0, 120.0, set_gap_s=6.0), ThrustScheme(), clock=lambda: 0.0)
    win = TrainerWindow(eng, calibration=Calibration("demo manikin", 40.0, 120.0), target=Target.parse("V"),
                        start_timer=False)
    qtbot.addWidget(win)
    win.show()
    win.set_feedback(mode)
    feed = Feeder(eng, win, _cycles_then_thrust(tmp_path))
    feed.until(7.5)
    assert len(eng.cycles) >= 3
    end = eng.cycles[-1].t_end
    while not eng.thrusts:
        feed.until(eng.force.last_t + 0.05)
    assert eng.force.last_t - end < 6.0                 # the set is still running
    g = win.grade_panel
    if during:
        assert g.grade.text() == "V" and _words(g.caption).startswith("target V: off target — peak ")
    else:
        assert g.grade.text() == "?" and "target V" not in g.caption.text()
    feed.until(end + 6.5)                                # the set has ended
    assert eng.force.last_t - end > 6.0
    assert g.grade.text() == "V" and _words(g.caption).startswith("target V: off target — peak ")


def test_the_hvla_tab_names_the_rate_as_the_grade_panel_does(qtbot):
    """One figure, one name: the HVLA tab said "rate" and the grade panel "mean rate" for the
    thrust's amplitude over its time to peak."""
    win, eng = target_window(qtbot, "V")
    Feeder(eng, win, REPO / "fixtures" / "thrust_lumbar.csv").until(4.5)
    t = eng.thrusts[-1]
    tab, grade = win.thrust_panel, win.grade_panel
    assert grade.names["consistency"].text() == tab.names["rate"].text() == "mean rate"
    assert tab.values["rate"].text() == grade.values["consistency"].text() == f"{t.rate_n_per_s / 1000:.1f} kN/s"
