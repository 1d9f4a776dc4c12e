"""A phone's fast automatic gain control cuts the gain at a cluster's first loud pop, and the next
pops come 15-20 dB under the floor learned before it. Where the quiet falls that far under the
room's quiet, the floor follows it (``PopScheme.gain_cut_db``), so those pops are still found;
without a gain cut nothing changes."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from firmware_bridge.audio_sim import _pink, pop_wave
from tests.conftest import detect_pops

FS = 48000.0


def _cluster(seed: int) -> tuple[np.ndarray, list[float]]:
    """Pink room noise with a cluster of four pops at 0.8 s, 8-25 ms apart, the first 28-32 dB
    over the noise and the others 18-24 dB: the audio and the onsets."""
    rng = np.random.default_rng(seed)
    x = 1e-3 * _pink(rng, int(1.4 * FS), FS)
    onsets = [0.8]
    for _ in range(3):
        onsets.append(onsets[-1] + rng.uniform(8.0, 25.0) * 1e-3)
    for i, t in enumerate(onsets):
        db = rng.uniform(28, 32) if i == 0 else rng.uniform(18, 24)
        w = pop_wave(rng, FS) * 1e-3 * 10 ** (db / 20) / 0.1
        j = int(round(t * FS))
        x[j:j + len(w)] += w
    return x.astype(np.float32), onsets


def _fast_gain_control(x: np.ndarray, attack_ms: float = 5.0, release_ms: float = 300.0) -> np.ndarray:
    """``x`` through a gain control that follows the loudest sample of each millisecond up in
    ``attack_ms`` and down in ``release_ms``, holding it at -20 dBFS (30 dB of gain at most)."""
    n = int(FS / 1000)
    peak = np.abs(x[:len(x) // n * n].astype(np.float64)).reshape(-1, n).max(axis=1)
    up, down = np.exp(-1.0 / attack_ms), np.exp(-1.0 / release_ms)
    env, e = np.empty(len(peak)), peak[0]
    for i, v in enumerate(peak.tolist()):
        c = up if v > e else down
        e = c * e + (1.0 - c) * v
        env[i] = e
    gain = np.minimum(0.1 / np.maximum(env, 1e-12), 10 ** 1.5)
    g = np.r_[np.repeat(gain, n), np.full(len(x) - len(gain) * n, gain[-1])]
    return np.clip(x * g, -1.0, 1.0).astype(np.float32)


def _found(events: list[dict], onsets: list[float]) -> int:
    return sum(any(abs(e["t"] - t) <= 1e-3 for e in events) for t in onsets)


def test_the_pops_after_a_fast_gain_controls_cut_are_still_found():
    with_cut = without = 0
    for seed in range(10):
        x, onsets = _cluster(seed)
        y = _fast_gain_control(x)
        ev = detect_pops(y, FS)
        # every event is one of the pops, timed to the millisecond
        assert all(min(abs(e["t"] - t) for t in onsets) <= 1e-3 for e in ev), seed
        with_cut += _found(ev, onsets)
        without += _found(detect_pops(y, FS, gain_cut_db=None), onsets)
    assert with_cut >= 34, (with_cut, without)          # of 40
    assert with_cut >= without + 8, (with_cut, without)


def test_without_a_gain_cut_the_pops_are_the_same():
    for seed in range(4):
        x, onsets = _cluster(seed)
        ev = detect_pops(x, FS)
        assert _found(ev, onsets) == 4, seed
        assert ev == detect_pops(x, FS, gain_cut_db=None), seed


def _two_channels() -> np.ndarray:
    """The cluster heard again 2 ms later and 6 dB weaker on a second microphone, each through its
    own phone's gain control."""
    x, _ = _cluster(5)
    lag = int(0.002 * FS)
    y = np.r_[np.zeros(lag, np.float32), x[:-lag]] * 0.5
    return np.stack([_fast_gain_control(x), _fast_gain_control(y)], axis=1)


_CASES = {name: (audio, detect_pops(audio, FS)) for name, audio in
          (("one microphone", _fast_gain_control(_cluster(3)[0])), ("two microphones", _two_channels()))}


def test_two_microphones_through_gain_controls_give_each_pop_once_where_it_arrived_first():
    events = _CASES["two microphones"][1]
    assert len(events) == _found(events, _cluster(5)[1]) >= 3


@pytest.mark.parametrize("case", sorted(_CASES))
@settings(max_examples=20, deadline=None)
@given(sizes=st.lists(st.integers(1, 9000), min_size=1, max_size=40))
def test_the_floor_after_a_gain_cut_does_not_depend_on_the_chunking(case, sizes):
    audio, events = _CASES[case]
    sizes = sizes[:max(1, np.searchsorted(np.cumsum(sizes), len(audio)))]
    if sum(sizes) > len(audio):
        sizes = sizes[:-1]
    assert detect_pops(audio, FS, sizes) == events
