"""Cavitation detector: a struck key rings bright (its sound reaches above the pop band while it
rings), a pop rings below 2 kHz: a struck key that rings down almost as fast as a pop is not a pop,
the same ring without the bright part is, and so is a pop in a reverberant room, whose echo
lingers in and above the band without fading."""

from __future__ import annotations

import numpy as np

from firmware_bridge.audio_sim import make_scene, reverberate
from tests.analysis._pop_sounds import _struck
from tests.conftest import detect_pops

FS = 48000.0


def test_a_struck_key_whose_ring_is_bright_is_not_a_pop():
    seeds = range(16)
    assert sum(_struck(s, 3.0, 0.2, order=4) for s in seeds) <= 1
    assert sum(_struck(s, 3.0, 0.2, order=4, click_bright_db=(99.0, 2.0)) for s in seeds) >= 8   # (no rule)
    assert sum(_struck(s, 3.0, 0.0, order=4) for s in seeds) >= 15               # the same ring without the bright part


def test_pops_in_a_reverberant_room_are_found_as_without_the_rule():
    """In a room the echo of a pop lingers in and above the band: it does not fade as a key's
    bright ring does, so it does not make the pop a key."""
    sc = make_scene(30.0, FS, seed=7)
    x = reverberate(sc, 0.5, 0.0, seed=1).audio

    def found(**scheme) -> int:
        t = np.array([e["t"] for e in detect_pops(x, FS, **scheme)])
        return sum(bool(len(t)) and np.abs(t - p).min() < 5e-3 for p in sc.pops_s)

    unfaded = dict(click_fade_db=-99.0, click_band_fade_db=-99.0)
    assert found() == found(click_bright_db=(99.0, 2.0))
    assert found(**unfaded) < found()                 # brightness alone, faded or not, would lose some
