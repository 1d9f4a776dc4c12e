"""IMU: the hand's movement drawn across a dropout is the same however the recording comes in
chunks.

A chunk that held a dropout and a second of data after it (the review feeds a recording in 10 s
chunks) lost the movement from the chunk's start to the dropout: the processor's history started
over with the run after it before the movement was taken. In small chunks, each sample at the end
of a take could be given once more by the next take (its time computed twice, a rounding apart).
Recordings come from firmware_bridge/imu_sim.py; the dropouts are cut out of them.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.chunk import Chunk
from analysis.imu import ImuProcessor, movement_drawn
from analysis.scheme import GradingScheme
from firmware_bridge.csv_stream import StreamData
from firmware_bridge.imu_sim import imu_signal
from firmware_bridge.simulator import Sim, technique
from ui.review.trace import imu_movement

SC = GradingScheme(40, 120)
SIM = Sim(40, 120, seed=5)
technique("III", SIM, SC, cycles=12)
T0, V0 = imu_signal(SIM, 200, seed=5)
# a dropout of 1 s at 5 s, then a run shorter than the second a run's filters start from, and a
# dropout of 0.9 s after it
HOLES = [(5.0, 6.0), (6.6, 7.5)]
KEEP = np.all([~((T0 > a) & (T0 < b)) for a, b in HOLES], axis=0)
T, V = T0[KEEP], V0[KEEP]
FS = 500.0                                        # the processor's grid


def drawn(cuts, *, movement_only: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """The movement a display takes after each chunk (``movement_after``) and at the end, the
    recording cut into chunks at sample indices ``cuts``."""
    edges = [0, *sorted(set(cuts) - {0, len(T)}), len(T)]
    return movement_drawn(ImuProcessor(movement_only=movement_only),
                          (Chunk(T[a:b], V[a:b], stream="imu") for a, b in zip(edges[:-1], edges[1:])))


def small_chunks() -> list[int]:
    return list(range(0, len(T), 4))              # 20 ms at 200 Hz, as a live source sends


def assert_same(got, want):
    (t, d), (t_want, d_want) = got, want
    assert np.array_equal(t, t_want)
    # (only the float rounding of the filters run over other spans differs)
    np.testing.assert_allclose(d, d_want, rtol=0, atol=1e-6)


def test_small_chunks_draw_every_run_each_sample_once():
    t, d = drawn(small_chunks())
    assert np.all(np.diff(t) > 0.5 / FS)          # none given twice
    for a, b in [(0.0, 5.0), (6.0, 6.6), (7.5, T[-1])]:
        inside = t[(t >= a) & (t <= b)]
        # every grid sample of each run (the recording's last input sample, 5 ms after the one
        # before it, has no grid sample after it)
        assert len(inside) >= (b - a) * FS - 5, (a, b, len(inside))
    assert not np.any([(t > a) & (t < b) for a, b in HOLES])
    assert np.ptp(d[t < 5.0]) > 1.0               # the hand's III cycles, millimetres deep


@pytest.mark.parametrize("movement_only", [True, False], ids=["drawing", "full analysis"])
def test_one_chunk_draws_what_small_chunks_draw(movement_only):
    assert_same(drawn([], movement_only=movement_only), drawn(small_chunks(), movement_only=movement_only))


def test_the_review_draws_the_movement_before_a_dropout():
    t, d = imu_movement(StreamData(T, V), chunk_s=10.0)
    assert_same((t, d), drawn(small_chunks()))
    assert t[0] < 0.01 and np.ptp(d[t < 5.0]) > 1.0


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=len(T) - 1), max_size=12))
def test_any_chunking_draws_the_same_movement(cuts):
    assert_same(drawn(cuts), REFERENCE)


REFERENCE = drawn(small_chunks())
