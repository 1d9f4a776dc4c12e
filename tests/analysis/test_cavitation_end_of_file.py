"""Cavitation detector at the end of a recording: the pops still waiting for their horizon when
the stream ends are decided by ``finish``, so a pop that has rung out before the end is found at
its onset, however the recording was cut into chunks. (A pop with only its first few milliseconds
before the end may be missed: that is too little to tell it from a knock's start.)"""

from __future__ import annotations

import numpy as np
import pytest

from firmware_bridge.audio_sim import pop_wave
from tests.conftest import detect_pops

FS = 48000.0


def _ending_in_a_pop(seed: int, rest_ms: float) -> tuple[np.ndarray, float]:
    """0.6 s of noise with a pop 20-30 dB over it whose onset is ``rest_ms`` before the end (the
    pop cut there). Returns the audio and the pop's onset."""
    rng = np.random.default_rng(seed)
    n = int(0.6 * FS)
    x = 1e-3 * rng.standard_normal(n)
    i = n - int(round(rest_ms * 1e-3 * FS))
    w = pop_wave(rng, FS)[:n - i]
    x[i:i + len(w)] += 1e-3 * 10 ** (rng.uniform(20, 30) / 20) * w
    return x.astype(np.float32), i / FS


@pytest.mark.parametrize("rest_ms", [10.0, 20.0, 34.0])
def test_a_pop_just_before_the_end_of_a_recording_is_found_at_its_onset(rest_ms):
    for seed in range(8):
        x, t0 = _ending_in_a_pop(seed, rest_ms)
        found = [e["t"] for e in detect_pops(x, FS)]
        assert [round(t - t0, 3) for t in found] == [0.0], (seed, found)


def test_the_end_of_a_recording_gives_the_same_pops_in_any_chunking():
    x, t0 = _ending_in_a_pop(3, 12.0)
    whole = detect_pops(x, FS)
    assert len(whole) == 1
    n = len(x)
    for sizes in ([n - 7], [n - 480, 473], [4800] * 5 + [n - 24000 - 1]):
        assert detect_pops(x, FS, sizes=sizes) == whole
