"""IMU: a thrust the recording breaks off before its deepest point is said, not dropped unseen.

`gradecoach simulate --thrust --sets 3 --letup 30 --imu 500 --seed 5` writes a first thrust
beginning at 3.12 s; its t.imu.csv cut at 3.20 s replayed with no thrust and no warning, as if
the hand had not moved. The force's analysis gives a thrust its data break off after the peak
without a duration; one broken off before its peak cannot be measured, and the summary says so.
Recordings come from firmware_bridge/imu_sim.py, as that command writes them."""

from __future__ import annotations

import pytest

from analysis.chunk import Chunk
from analysis.imu import ImuProcessor
from analysis.scheme import GradingScheme
from firmware_bridge.imu_sim import imu_signal, write_imu_csv
from firmware_bridge.replay import analyze_input, load_input
from tests.analysis.imu_shapes import v_session

SC = GradingScheme(40, 120)
T, V = imu_signal(v_session(5, 3, letup_n=30.0), 500, seed=5)


def replay(tmp_path, t_end_s):
    keep = T < t_end_s
    write_imu_csv(tmp_path / "cut.imu.csv", T[keep], V[keep])
    return [e.to_dict() for e in analyze_input(load_input(tmp_path / "cut.imu.csv"), SC)]


def test_a_thrust_cut_off_before_its_peak_is_said(tmp_path):
    ev = replay(tmp_path, 3.20)
    assert ev[-1]["n_thrusts"] == 0
    said = [w for w in ev[-1]["warnings"] if "thrust" in w]
    assert len(said) == 1, ev[-1]["warnings"]
    assert "began at 3.1 s" in said[0] and "ended" in said[0] and "not measured" in said[0], said


@pytest.mark.parametrize("t_end_s", [3.0, 3.5])
def test_no_such_warning_when_no_thrust_was_cut_off(tmp_path, t_end_s):
    ev = replay(tmp_path, t_end_s)          # before the thrust; after its peak (given, measured)
    assert ev[-1]["n_thrusts"] == (t_end_s > 3.2)
    assert not [w for w in ev[-1]["warnings"] if "thrust" in w], ev[-1]["warnings"]


@pytest.mark.parametrize("n", [7, 333])
def test_the_warning_does_not_depend_on_chunking(n):
    keep = T < 3.20

    def notes(step):
        p = ImuProcessor()
        t, v = T[keep], V[keep]
        for i in range(0, len(t), step):
            p.feed(Chunk(t[i:i + step], v[i:i + step], stream="imu"))
        p.finish()
        return p.notes()

    whole = notes(len(T))
    assert len(whole) == 1 and "began at 3.1 s" in whole[0]
    assert notes(n) == whole
