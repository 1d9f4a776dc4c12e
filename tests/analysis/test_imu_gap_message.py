"""IMU: the summary's line about a dropout in the IMU data reads as a sentence.

One dropout was named as 'the IMU data stops for 1.2 s at 6.0 s (; a lost link?)'. Recordings
come from firmware_bridge/imu_sim.py, replayed as `gradecoach replay x.imu.csv` does.
"""

from __future__ import annotations

import numpy as np
import pytest

from analysis.scheme import GradingScheme
from firmware_bridge.imu_sim import imu_signal, write_imu_csv
from firmware_bridge.replay import analyze_input, load_input
from firmware_bridge.simulator import Sim, technique

SC = GradingScheme(40, 120)
SIM = Sim(40, 120, seed=3)
technique("III", SIM, SC, cycles=10)
T, V = imu_signal(SIM, 200, seed=3)


@pytest.mark.parametrize("holes, expected", [
    ([(6.0, 7.2)], "the IMU data stops for 1.2 s at 6.0 s (a lost link?): no movement"),
    ([(4.0, 4.5), (6.0, 7.2)], "the IMU data stops 2 times, 1.7 s in all (longest 1.2 s at 6.0 s; a lost link?): "
                               "no movement"),
])
def test_a_dropout_is_named_in_one_plain_line(tmp_path, holes, expected):
    keep = np.ones(len(T), bool)
    for a, b in holes:
        keep &= ~((T > a) & (T < b))
    path = tmp_path / "x.imu.csv"
    write_imu_csv(path, T[keep], V[keep])
    warnings = [e.to_dict() for e in analyze_input(load_input(path), SC)][-1]["warnings"]
    found = [w for w in warnings if "IMU data stops" in w]
    assert len(found) == 1 and found[0].startswith(expected), warnings
