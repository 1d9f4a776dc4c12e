"""Device clock → host timeline: offset and drift from the earliest arrivals (pure, no clocks)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from firmware_bridge.device_clock import DeviceClock


def arrivals(seconds: float, drift_ppm: float, seed: int, rate_hz: float = 1000.0, per_block: int = 10,
             offset_s: float = 3.0):
    """Blocks of device times, the true host time of their samples, and jittery arrivals."""
    rng = np.random.default_rng(seed)
    n = int(seconds * rate_hz) // per_block * per_block
    t_dev = np.arange(n) / rate_hz * (1 + drift_ppm * 1e-6)       # the device's fast or slow clock
    t_true = np.arange(n) / rate_hz + offset_s                     # when each sample really happened
    blocks = t_dev.reshape(-1, per_block)
    true = t_true.reshape(-1, per_block)
    # USB/OS delay: at least 0.5 ms, usually a little more, now and then tens of ms (bursts)
    delay = 0.0005 + rng.exponential(0.001, len(blocks)) + (rng.random(len(blocks)) < 0.01) * rng.uniform(0, 0.05, len(blocks))
    return blocks, true, true[:, -1] + delay


@pytest.mark.parametrize("drift_ppm", [0.0, 80.0, -150.0, 2000.0])
def test_mapping_follows_drift_without_taking_the_jitter(drift_ppm):
    blocks, true, arr = arrivals(600.0, drift_ppm, seed=1)
    clock = DeviceClock()
    mapped = np.concatenate([clock.map(b, a) for b, a in zip(blocks, arr)])
    err_s = mapped - true.ravel()
    late = err_s[len(err_s) // 2:]
    assert np.abs(late).max() < 0.003                       # within 3 ms after a few minutes
    assert np.median(late) == pytest.approx(0.0005, abs=0.001)   # the least delay, not the average
    assert clock.drift == pytest.approx(-drift_ppm * 1e-6, abs=20e-6)
    assert (np.diff(mapped) > 0).all()
    # jitter does not leak into the sample spacing
    spacing = np.diff(mapped)[len(mapped) // 2:]
    assert np.abs(spacing / 1e-3 - 1).max() < 0.03


def test_without_drift_correction_the_error_would_grow():
    blocks, true, arr = arrivals(600.0, 2000.0, seed=2)
    naive = blocks.ravel() + (arr[0] - blocks[0, -1])
    assert np.abs(naive - true.ravel()).max() > 1.0          # 2000 ppm over 10 min


def test_reset_keeps_the_timeline_after_what_was_delivered():
    clock = DeviceClock()
    first = clock.map(np.array([100.0, 100.001]), 5.0)
    clock.reset(not_before_s=float(first[-1]) + 2.0)        # a reconnect 2 s later; device restarted at 0
    again = clock.map(np.array([0.0, 0.001]), 4.0)
    assert again[0] > first[-1] + 2.0


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.floats(0.001, 0.5), st.floats(0.0, 0.2)), min_size=2, max_size=60),
       st.floats(-0.003, 0.003))
def test_times_never_run_backwards_whatever_the_arrivals(steps, drift):
    clock = DeviceClock()
    t_dev, host, last = 0.0, 10.0, -np.inf
    for dt, delay in steps:
        t_dev += dt
        host += dt * (1 + drift)
        out = clock.map(np.array([t_dev - dt / 2, t_dev]), host + delay)
        assert last < out[0] < out[1]
        last = float(out[1])
