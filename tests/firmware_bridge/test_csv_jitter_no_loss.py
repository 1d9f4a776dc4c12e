"""Times jittered by up to half a sample period (``simulate --jitter 0.5``, the most it allows)
are no lost samples: a long step between two samples, its neighbours closer than usual, is
jitter. ``replay`` of a complete jittered recording said "2 samples lost in 2 gaps", one of them
four samples before its end, where the samples after the step ran out. A real hole, a step of
two sample periods or more, is still found, and its samples counted."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from firmware_bridge.sources import holes_in_times, lost_in_gap
from tests._cli_in_process import gc_in_process

RATE_HZ = 500.0


def test_replay_of_a_jittered_recording_says_no_sample_lost(tmp_path, capfd):
    csv = tmp_path / "jit.csv"
    made = gc_in_process(capfd, "simulate", "--grade", "III", "--cycles", "20", "--jitter", "0.5", "--seed", "1",
                         "-o", csv)
    assert made.returncode == 0, made.stderr
    r = gc_in_process(capfd, "replay", csv, "--r1", "40", "--r2", "120", "-o", tmp_path / "r.jsonl")
    assert r.returncode == 0, r.stderr
    assert "lost" not in r.stderr
    assert '"type": "gap"' not in (tmp_path / "r.jsonl").read_text()


def _times(n: int, jitter: np.ndarray, rate_hz: float) -> np.ndarray:
    return (np.arange(n) + jitter) / rate_hz


@settings(max_examples=60, deadline=None)
@given(n=st.integers(2, 20000), jitter=st.floats(0.0, 0.5), seed=st.integers(0, 2**32 - 1),
       rate_hz=st.sampled_from([50.0, 200.0, 500.0, 1000.0]))
def test_jitter_up_to_half_a_period_is_never_a_lost_sample(n, jitter, seed, rate_hz):
    e = np.random.default_rng(seed).uniform(-jitter, jitter, n)
    t = _times(n, e, rate_hz)
    assert holes_in_times(t, rate_hz).tolist() == []


@settings(max_examples=60, deadline=None)
@given(n=st.integers(40, 400), where=st.floats(0.0, 1.0), lost=st.integers(1, 60),
       jitter=st.floats(0.0, 0.5), seed=st.integers(0, 2**32 - 1), rate_hz=st.sampled_from([50.0, 200.0, 500.0]))
def test_a_hole_of_two_periods_or_more_is_always_found_and_counted(n, where, lost, jitter, seed, rate_hz):
    """A hole anywhere (its first or last sample too), in times jittered up to half a period, its
    step two periods or more: found where it is, with the samples lost in it (give or take the
    one that jitter moves the step by)."""
    a = 1 + int(where * (n - 2))                   # the first sample lost
    e = np.random.default_rng(seed).uniform(-jitter, jitter, n + lost)
    # (the samples either side of it jittered away from it, if at all: a step of two periods or more)
    e[a - 1], e[a + lost] = min(e[a - 1], 0.0), max(e[a + lost], 0.0)
    grid = np.arange(n + lost)
    keep = (grid < a) | (grid >= a + lost)
    t = (grid + e)[keep] / rate_hz
    found = holes_in_times(t, rate_hz)
    assert found.tolist() == [a]
    assert abs(lost_in_gap(t, float(t[a]), rate_hz)[1] - lost) <= (1 if jitter > 0 else 0)
