"""IMU alone: a thrust's time to peak and how far the hand moved from onset to peak.

With no force sensor the trainee reads a thrust's time to peak and "hand moved" from the IMU.
Both came from the band-limited movement, whose lower band edge turns a thrust's step into a
short pulse: on simulated 120 ms thrusts the time to peak read about 48 ms and the movement
about two thirds of it. Recordings come from firmware_bridge/imu_sim.py, whose truth gives
each thrust's onset, peak and the hand's movement between them.
"""

from __future__ import annotations

import pytest

from firmware_bridge.imu_sim import imu_truth

from tests.analysis.imu_shapes import imu_events, v_session


def thrusts(seed, rate=500, **kw):
    sim = v_session(seed, 2, **kw)
    got = [e for e in imu_events(sim, rate, seed) if e.TYPE == "thrust"]
    truth = [w for w in imu_truth(sim) if w["type"] == "thrust"]
    assert len(got) == len(truth) == 2
    return list(zip(got, truth))


@pytest.mark.parametrize("seed, rate, kw", [
    (0, 500, {}),                                   # 150 N preload to 600 N in 120 ms
    (3, 1000, {"ttp_ms": 180.0, "letup_n": 30.0}),  # slower, after letting up 30 N
    (5, 200, {"ttp_ms": 80.0, "preload_n": 100.0, "peak_n": 400.0}),
])
def test_time_to_peak_and_hand_movement_match_the_thrust(seed, rate, kw):
    for ev, w in thrusts(seed, rate, **kw):
        true_ttp_ms = 1e3 * (w["t_peak"] - w["t_onset"])
        assert abs(ev.time_to_peak_ms - true_ttp_ms) <= 35.0, (ev.time_to_peak_ms, true_ttp_ms)
        assert ev.displacement_mm == pytest.approx(w["displacement_mm"], rel=0.12)
        assert ev.to_dict()["displacement_mm"] == pytest.approx(ev.displacement_mm, abs=1e-6)
