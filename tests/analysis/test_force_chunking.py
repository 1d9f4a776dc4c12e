"""The events for a recording are identical however it is chunked (property test)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.force import ForceProcessor
from analysis.scheme import GradingScheme
from firmware_bridge.simulator import Noise
from tests.conftest import simulate

# one short recording with cycles, a thrust with let-up, spikes, jitter and a dropout
_T1, _Y1, _ = simulate("III+", rate=500, seed=3, cycles=6, freq_hz=2.0,
                       noise=Noise(spikes_per_s=0.3, jitter=0.3, dropouts_per_min=4))
_T2, _Y2, _ = simulate("V", rate=500, seed=4, preload_n=120, peak_n=450, ttp_ms=110, letup_n=20)
T = np.concatenate([_T1, _T2 + _T1[-1] + 0.002])
Y = np.concatenate([_Y1, _Y2])


def run(sizes: list[int] | None) -> list[dict]:
    p = ForceProcessor(GradingScheme(40, 120))
    out = []
    if sizes is None:
        out += p.feed_arrays(T, Y)
    else:
        i = 0
        for n in sizes:
            out += p.feed_arrays(T[i:i + n], Y[i:i + n])
            i += n
        out += p.feed_arrays(T[i:], Y[i:])
    out += p.finish()
    return [e.to_dict() for e in out]


WHOLE = run(None)


def test_reference_has_cycles_and_a_thrust():
    kinds = [e["type"] for e in WHOLE]
    assert kinds.count("cycle") >= 4
    assert kinds.count("thrust") == 1


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=700), min_size=1, max_size=60))
def test_any_chunking_gives_identical_events(sizes):
    assert run(sizes) == WHOLE


def test_sample_by_sample_matches_whole():
    assert run([1] * 3000 + [2] * 1500) == WHOLE
