"""IMU alone: a thrust's time to peak and how far the hand moved from onset to peak.

With no force sensor the trainee reads a thrust's time to peak and "hand moved" from the IMU.
Both came from the band-limited movement, whose lower band edge turns a thrust's step into a
short pulse: on simulated 120 ms thrusts the time to peak read about 48 ms and the movement
about two thirds of it. Recordings come from firmware_bridge/imu_sim.py, whose truth gives
each thrust's onset, peak and the hand's movement between them.
"""

from __future__ import annotations

import pytest

from analysis.chunk import Chunk
from analysis.imu import ImuProcessor
from analysis.scheme import GradingScheme
from firmware_bridge.imu_sim import imu_signal, imu_truth
from firmware_bridge.simulator import Sim, technique

SC = GradingScheme(40, 120)


def thrusts(seed, rate=500, **kw):
    sim = Sim(40, 120, seed=seed)
    technique("V", sim, SC, sets=2, **kw)
    t, v = imu_signal(sim, rate, seed=seed)
    p = ImuProcessor()
    out = []
    step = max(1, int(0.01 * rate))
    for i in range(0, len(t), step):
        out += p.feed(Chunk(t[i:i + step], v[i:i + step], stream="imu"))
    got = [e for e in out + p.finish() if e.TYPE == "thrust"]
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
