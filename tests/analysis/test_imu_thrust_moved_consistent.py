"""IMU alone: the hand's movement around a thrust, as its "hand moved" figure is measured
(ImuProcessor.thrust_curve), for the HVLA plot to draw.

The plot drew the band-limited movement, whose 0.4 Hz lower edge takes a thrust's lasting step
for a short pulse: on simulated thrusts it rose 1.1-2.9 mm from onset to peak where the figure
said 3.9-5.4 mm and the hand went 4.0-5.3 mm. The curve measured from the hold before the thrust
rises by the figure itself and follows the simulated hand from onset to peak.
"""

from __future__ import annotations

import numpy as np
import pytest

from analysis.chunk import Chunk
from analysis.imu import ImuProcessor
from firmware_bridge.imu_sim import hand_displacement_mm, imu_signal

from tests.analysis.imu_shapes import v_session


@pytest.mark.parametrize("seed, rate, kw", [
    (0, 500, {}),                                   # 150 N preload to 600 N in 120 ms
    (3, 1000, {"ttp_ms": 180.0, "letup_n": 30.0}),  # slower, after letting up 30 N
    (5, 200, {"ttp_ms": 80.0, "preload_n": 100.0, "peak_n": 400.0}),
])
def test_the_thrusts_curve_rises_by_its_figure_and_follows_the_hand(seed, rate, kw):
    sim = v_session(seed, 2, **kw)
    t, v = imu_signal(sim, rate, seed=seed)
    th, dh = hand_displacement_mm(sim)
    p = ImuProcessor()
    step = max(1, int(0.01 * rate))
    checked = 0
    for i in range(0, len(t), step):
        for ev in p.feed(Chunk(t[i:i + step], v[i:i + step], stream="imu")):
            if ev.TYPE != "thrust":
                continue
            tc, dc = p.thrust_curve(ev.t_onset, ev.t_onset - 0.3, ev.t_onset + 0.6)
            assert tc[0] == pytest.approx(ev.t_onset - 0.3, abs=2 / p.fs) and tc[-1] > ev.t_peak
            assert np.interp(ev.t_onset, tc, dc) == pytest.approx(0.0, abs=1e-9)
            assert np.interp(ev.t_peak, tc, dc) == pytest.approx(ev.displacement_mm, abs=0.05)
            thrust = (tc >= ev.t_onset) & (tc <= ev.t_peak)
            hand = np.interp(tc[thrust], th, dh) - np.interp(ev.t_onset, th, dh)
            assert np.max(np.abs(dc[thrust] - hand)) < 0.4
            _, band = p.displacement(ev.t_onset, ev.t_peak, turning_points=False)
            assert band[-1] - band[0] < 0.7 * ev.displacement_mm     # (what the plot drew)
            checked += 1
    assert checked == 2
