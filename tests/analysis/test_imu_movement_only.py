"""IMU: a processor that only draws the movement (``movement_only``, as the review does for a
recording whose events are stored) gives the very movement the full processor gives, sample for
sample, on mobilisation, thrusts, a dropout, and units that turn wrong part way; and it looks
for no cycles or thrusts. Recordings come from firmware_bridge/imu_sim.py.
"""

from __future__ import annotations

import numpy as np
import pytest

from analysis.events import GapEvent
from analysis.imu import ImuProcessor
from analysis.scheme import GradingScheme
from firmware_bridge.csv_stream import StreamData
from firmware_bridge.imu_sim import imu_signal
from firmware_bridge.replay.chunks import stream_chunks
from firmware_bridge.simulator import Sim, technique

SC = GradingScheme(40, 120)
SIM = Sim(40, 120, seed=5)
technique("III", SIM, SC, cycles=12)
technique("V", SIM, SC, sets=2)
technique("I", SIM, SC, cycles=12)
T, V = imu_signal(SIM, 200, seed=5)


def drawn(p: ImuProcessor, t: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray, list]:
    """The movement as the review takes it (10 s chunks, ``movement_after`` after each), and the
    events."""
    ts, ds, events = [], [], []
    for chunk in [*stream_chunks(StreamData(t, v), "imu", 10.0), None]:
        events += p.feed(chunk) if chunk is not None else p.finish()
        a, b = p.movement_after(float(ts[-1][-1]) if ts else None)
        if len(a):
            ts.append(a)
            ds.append(b)
    return np.concatenate(ts), np.concatenate(ds), events


@pytest.mark.parametrize("case", ["plain", "dropout", "degrees part way"])
def test_movement_only_draws_the_full_processors_movement(case):
    t, v = T, V.copy()
    if case == "dropout":
        keep = ~((t > 12.0) & (t < 14.5))
        t, v = t[keep], v[keep]
    elif case == "degrees part way":                 # gyroscope in °/s from a third in
        v[len(v) // 3:, 3:] = np.degrees(v[len(v) // 3:, 3:])
    t_full, d_full, ev_full = drawn(ImuProcessor(), t, v)
    t_only, d_only, ev_only = drawn(ImuProcessor(movement_only=True), t, v)
    share = len(t_full) / (500 * (t[-1] - t[0]))       # of the recording drawn (500 Hz grid)
    assert 0.2 < share < 0.5 if case == "degrees part way" else 0.8 < share < 1.01
    assert np.array_equal(t_only, t_full) and np.array_equal(d_only, d_full)
    assert any(e.TYPE != "gap" for e in ev_full)
    assert all(isinstance(e, GapEvent) for e in ev_only)
    assert [e for e in ev_full if isinstance(e, GapEvent)] == ev_only
