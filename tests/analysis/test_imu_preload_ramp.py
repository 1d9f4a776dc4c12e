"""IMU alone: the hand sinking to a thrust's preload is not an oscillation cycle.

Before a thrust the hand ramps down into the tissue to the preload and holds it (domain: ramp,
hold, thrust). The band-limited movement reads that one-way step as a rise and a fall back,
and the sensor's offset, turning with the hand, makes the measured movement fall back too, so
an IMU cycle of 3-4 mm was listed in an HVLA session just before the thrust. Recordings come
from firmware_bridge/imu_sim.py, as `gradecoach simulate --grade V --sets 3 --imu RATE` writes
them (whose truth has no cycle at all).
"""

from __future__ import annotations

import pytest

from analysis.chunk import Chunk
from analysis.imu import ImuProcessor
from analysis.scheme import GradingScheme
from firmware_bridge.imu_sim import imu_signal
from firmware_bridge.simulator import Sim, technique

SC = GradingScheme(40, 120)


def events(sim_seed, seed, rate, step_s):
    sim = Sim(40, 120, seed=sim_seed)
    technique("V", sim, SC, sets=3)
    t, v = imu_signal(sim, rate, seed=seed)
    p = ImuProcessor()
    out = []
    step = max(1, int(step_s * rate))
    for i in range(0, len(t), step):
        out += p.feed(Chunk(t[i:i + step], v[i:i + step], stream="imu"))
    return [e.to_dict() for e in out + p.finish()]


@pytest.mark.parametrize("sim_seed, seed, rate", [(118, 18, 500), (106, 6, 1000)])
def test_the_ramp_to_a_thrusts_preload_gives_no_cycle(sim_seed, seed, rate):
    ways = [events(sim_seed, seed, rate, s) for s in (0.01, 0.37)]
    assert ways[0] == ways[1]
    assert sum(e["type"] == "thrust" for e in ways[0]) == 3
    assert [e for e in ways[0] if e["type"] == "imu_cycle"] == []
