"""IMU: the hand's movement of a recording whose units turn wrong part way (the gyroscope read in
°/s from some point on) is drawn up to the moment the units are known wrong, however the
recording comes in chunks.

The movement was given only while the units were not known wrong by the newest sample: fed in
10 s chunks, as the review feeds a recording, the chunk in which they turned wrong was left out
whole (on the recording below, turning at 13.8 s: drawn up to 10.0 s, where 20 ms chunks drew it
up to 14.2 s); fed in one chunk, none was drawn. Recordings come from firmware_bridge/imu_sim.py.
"""

from __future__ import annotations

import numpy as np
import pytest

from analysis.chunk import Chunk
from analysis.imu import ImuProcessor, movement_drawn
from analysis.scheme import GradingScheme
from firmware_bridge.imu_sim import imu_signal
from firmware_bridge.simulator import Sim, technique

SC = GradingScheme(40, 120)
SIM = Sim(40, 120, seed=5)
technique("III", SIM, SC, cycles=12)
technique("I", SIM, SC, cycles=12)
T, V = imu_signal(SIM, 200, seed=5)
TURN = len(T) // 2                                 # the gyroscope in °/s from here on
V[TURN:, 3:] = np.degrees(V[TURN:, 3:])


def drawn(step_s: float) -> tuple[np.ndarray, np.ndarray]:
    """The movement a display takes after each chunk of ``step_s`` and at the end."""
    step = max(1, int(round(step_s * 200)))
    return movement_drawn(ImuProcessor(movement_only=True),
                          (Chunk(T[i:i + step], V[i:i + step], stream="imu") for i in range(0, len(T), step)))


SMALL = drawn(0.02)


def test_small_chunks_draw_up_to_the_turn_and_none_after():
    t, _ = SMALL
    assert T[TURN] - 0.5 < t[-1] < T[TURN] + 1.0
    assert t[0] < 0.01 and np.all(np.diff(t) > 0.001)


@pytest.mark.parametrize("step_s", [0.003, 1.0, 10.0, 25.0])
def test_any_chunk_size_draws_as_far(step_s):
    t, d = drawn(step_s)
    assert np.array_equal(t, SMALL[0])
    np.testing.assert_allclose(d, SMALL[1], rtol=0, atol=1e-6)
