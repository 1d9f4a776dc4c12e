"""IMU: the release after a thrust is part of the thrust, not a mobilisation cycle.

After a thrust the hand comes back from its deepest point to the preload and then lets go;
that second is the thrust's release (docs/imu.md). An IMU cycle found there was listed beside
the thrust in an HVLA session, as if the trainee had oscillated. Recordings come from
firmware_bridge/imu_sim.py, as `gradecoach simulate --grade V --sets 3 --imu 500` writes them.
"""

from __future__ import annotations

import pytest

from analysis.chunk import Chunk
from analysis.imu import ImuProcessor
from analysis.scheme import GradingScheme
from firmware_bridge.imu_sim import imu_signal
from firmware_bridge.simulator import Sim, technique

SC = GradingScheme(40, 120)


def run(seed, rate=500):
    sim = Sim(40, 120, seed=seed)
    technique("V", sim, SC, sets=3)
    t, v = imu_signal(sim, rate, seed=seed)
    p = ImuProcessor()
    out = []
    step = max(1, int(0.01 * rate))
    for i in range(0, len(t), step):
        out += p.feed(Chunk(t[i:i + step], v[i:i + step], stream="imu"))
    return [e.to_dict() for e in out + p.finish()]


@pytest.mark.parametrize("seed", [2, 9])
def test_three_thrusts_give_three_thrusts_and_no_cycle(seed):
    ev = run(seed)
    assert sum(e["type"] == "thrust" for e in ev) == 3
    assert [e for e in ev if e["type"] == "imu_cycle"] == []
