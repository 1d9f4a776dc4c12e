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

from tests.analysis.imu_shapes import imu_events, v_session


def events(sim_seed, seed, rate, step_s):
    return [e.to_dict() for e in imu_events(v_session(sim_seed, 3), rate, seed, step_s)]


@pytest.mark.parametrize("sim_seed, seed, rate", [(118, 18, 500), (106, 6, 1000)])
def test_the_ramp_to_a_thrusts_preload_gives_no_cycle(sim_seed, seed, rate):
    ways = [events(sim_seed, seed, rate, s) for s in (0.01, 0.37)]
    assert ways[0] == ways[1]
    assert sum(e["type"] == "thrust" for e in ways[0]) == 3
    assert [e for e in ways[0] if e["type"] == "imu_cycle"] == []
