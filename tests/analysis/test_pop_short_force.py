"""Pops beside a force stream too short to hold a thrust: pops with no thrust, never an error."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.chunk import Chunk
from analysis.pipeline import Analyzer
from firmware_bridge.audio_sim import pop_wave

RATE = 16000.0


def _audio_with_pops() -> tuple[np.ndarray, list[float]]:
    rng = np.random.default_rng(5)
    x = rng.normal(0, 1e-3, int(1.5 * RATE)).astype(np.float32)
    onsets = [0.5, 1.0]
    for t in onsets:
        w = 0.3 * pop_wave(rng, RATE)
        i = int(t * RATE)
        x[i:i + len(w)] += w[:len(x) - i]
    return x, onsets


AUDIO, ONSETS = _audio_with_pops()
T_AUDIO = np.arange(len(AUDIO)) / RATE


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(0.0, 1.5, allow_nan=False), max_size=3, unique=True),
       st.lists(st.floats(-50.0, 500.0, allow_nan=False), min_size=3, max_size=3),
       st.booleans())
def test_a_force_stream_of_up_to_three_samples_with_pops_gives_the_pops_untied(times, forces, force_first):
    t = np.sort(np.asarray(times, dtype=np.float64))
    force = Chunk(t, np.asarray(forces[:len(t)]), 0, "force", 1000.0)
    audio = Chunk(T_AUDIO, AUDIO, 0, "audio", RATE)
    a = Analyzer(streams=("force", "audio"))
    events = []
    for c in ((force, audio) if force_first else (audio, force)):
        events += a.feed(c)
    events += a.finish()
    pops = [e for e in events if e.TYPE == "cavitation"]
    assert len(pops) == len(ONSETS)
    assert all(p.thrust is None for p in pops)
    assert events[-1].n_thrusts == 0
    # (heard while the force was recorded: outside any thrust; before or after it: where none was)
    during = [p.t for p in pops if not len(t) or t[0] <= p.t <= t[-1]]
    assert [p["t"] for p in events[-1].pops_outside_thrusts] == during
    assert len(events[-1].pops_without_force) == len(ONSETS) - len(during)
