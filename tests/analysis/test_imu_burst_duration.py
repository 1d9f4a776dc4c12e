"""IMU: the acceleration burst of identical thrusts reads the same.

Every thrust of `gradecoach simulate --thrust --sets 3 --letup 30 --imu 500 --seed 5` rises to
600 N in 120 ms, yet replay's table gave their bursts (`duration_ms`) 54, 238 and 242 ms: the
burst went on while loud samples came within 150 ms, so the release's acceleration joined it on
some thrusts and not on others, and an instructor would read a difference in technique. The
burst is the hand's acceleration into the tissue, up to its deepest point (docs/imu.md).
Recordings come from firmware_bridge/imu_sim.py, as that command writes them."""

from __future__ import annotations

import pytest

from tests.analysis.imu_shapes import imu_events, v_session


@pytest.mark.parametrize("seed, letup_n", [(5, 30.0), (1, 0.0)])
def test_identical_thrusts_have_the_same_burst(seed, letup_n):
    th = [e.to_dict() for e in imu_events(v_session(seed, 3, letup_n=letup_n), 500, seed, step_s=0.5)
          if e.TYPE == "thrust"]
    assert len(th) == 3
    burst = [t["duration_ms"] for t in th]
    assert max(burst) - min(burst) <= 10, burst
    # over by the hand's deepest point: the release after it is not part of it
    assert all(t["duration_ms"] <= t["time_to_peak_ms"] for t in th), th
