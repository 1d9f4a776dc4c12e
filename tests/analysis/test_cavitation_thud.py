"""Cavitation detector: a thud whose ring swells for a few milliseconds (a block set down on a
hard floor: the force presses for a while, and the floor's ring grows meanwhile) is not a pop;
a pop, which gives its ring all its energy at once, still is."""

from __future__ import annotations

import numpy as np

from firmware_bridge.audio_sim import _pink, pop_wave
from tests.conftest import detect_pops

FS = 48000.0


def _thud(grow_ms: float = 4.0, decay_ms: float = 1.2, f_hz: float = 260.0) -> np.ndarray:
    """A floor's ring at ``f_hz`` whose swings grow evenly for ``grow_ms`` and then die away
    (time constant ``decay_ms``), as the block-set-down sounds taken for pops do: each swing
    larger than the last for one or two periods, then gone within about 10 ms."""
    t_ms = np.arange(int(0.04 * FS)) / FS * 1e3
    env = np.where(t_ms < grow_ms, t_ms / grow_ms, np.exp(-(t_ms - grow_ms) / decay_ms))
    w = env * np.sin(2 * np.pi * f_hz * t_ms * 1e-3)
    return w / np.abs(w).max()


def _found(seed: int, what: str, **scheme) -> bool:
    """Whether the detector finds a pop at 0.6 s, where a thud or a pop (peak 20-30 dB over
    the room noise) is added to 1.2 s of room noise."""
    rng = np.random.default_rng(seed)
    x = 1e-3 * _pink(rng, int(1.2 * FS), FS)
    w = _thud() if what == "thud" else pop_wave(rng, FS)
    i = int(0.6 * FS)
    x[i:i + len(w)] += 1e-3 * 10 ** (rng.uniform(20, 30) / 20) * w / np.abs(w).max()
    return any(abs(e["t"] - 0.6) < 5e-3 for e in detect_pops(x.astype(np.float32), FS, **scheme))


def test_a_thud_that_swells_is_not_a_pop_but_a_pop_is():
    seeds = range(16)
    assert sum(_found(s, "thud") for s in seeds) <= 4
    assert sum(_found(s, "pop") for s in seeds) == 16
    assert sum(_found(s, "thud", thud_swell_db=None) for s in seeds) >= 15   # (without the rule: a pop)


def test_the_thud_rule_gives_the_same_events_in_any_chunking():
    rng = np.random.default_rng(3)
    x = 1e-3 * _pink(rng, int(2.0 * FS), FS)
    for t in (0.3, 0.9, 1.5):                          # thuds, and a cluster of two pops between them
        i = int(t * FS)
        x[i:i + int(0.04 * FS)] += 3e-2 * _thud()
    for t in (1.2, 1.212):
        w = pop_wave(rng, FS)
        i = int(t * FS)
        x[i:i + len(w)] += 2e-2 * w / np.abs(w).max()
    x = x.astype(np.float32)
    whole = detect_pops(x, FS)
    assert [round(e["t"], 2) for e in whole] == [1.2, 1.21]
    assert detect_pops(x, FS, sizes=[4801, 17, 28800, 333, 9000]) == whole
