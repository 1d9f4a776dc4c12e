"""Cavitation detector: a thud whose ring swells for a few milliseconds (a block set down on a
hard floor: the force presses for a while, and the floor's ring grows meanwhile) is not a pop;
a pop, which gives its ring all its energy at once, still is."""

from __future__ import annotations

import numpy as np

from firmware_bridge.audio_sim import _pink, pop_wave
from tests.analysis._pop_sounds import FS, _found, _thud
from tests.conftest import detect_pops


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
