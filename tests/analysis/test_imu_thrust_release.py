"""IMU: the release after a thrust is part of the thrust, not a mobilisation cycle.

After a thrust the hand comes back from its deepest point to the preload and then lets go;
that second is the thrust's release (docs/imu.md). An IMU cycle found there was listed beside
the thrust in an HVLA session, as if the trainee had oscillated. Recordings come from
firmware_bridge/imu_sim.py, as `gradecoach simulate --grade V --sets 3 --imu 500` writes them.
"""

from __future__ import annotations

import pytest

from tests.analysis.imu_shapes import imu_events, v_session


def run(seed, rate=500):
    return [e.to_dict() for e in imu_events(v_session(seed, 3), rate, seed)]


@pytest.mark.parametrize("seed", [2, 9])
def test_three_thrusts_give_three_thrusts_and_no_cycle(seed):
    ev = run(seed)
    assert sum(e["type"] == "thrust" for e in ev) == 3
    assert [e for e in ev if e["type"] == "imu_cycle"] == []
