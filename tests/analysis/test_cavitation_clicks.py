"""Cavitation detector: a digital click of 0.1-0.5 ms (a dropout, a bad sample, a plug touched)
or a step in the waveform (a DC jump) in a quiet room is not a pop, though its energy lies in
the pop band: a pop rings for milliseconds and a microphone's signal returns to its level
before; pops among the same room noise are still found."""

from __future__ import annotations

import numpy as np
import pytest

from firmware_bridge.audio_sim import _pink, pop_wave
from tests.analysis._pop_sounds import FS, _click
from tests.conftest import detect_pops

NOISE = 1e-3                                     # room noise RMS (-60 dBFS)


CLICKS = [(k, ms) for k in ("rectangular", "half-sine", "bipolar") for ms in (0.2, 0.5)] + [("rectangular", 0.1)]


def _room(seed: int, s: float) -> np.ndarray:
    return NOISE * _pink(np.random.default_rng(seed), int(s * FS), FS)


@pytest.mark.parametrize("over_db", [35.0, 42.0, 50.0])
def test_short_clicks_in_a_quiet_room_are_not_pops(over_db):
    """Peaks 35-50 dB over the room noise (weaker ones, their ring's end lost in the noise, may
    still pass)."""
    x = _room(int(over_db), 0.5 * len(CLICKS) + 0.5)
    for j, (kind, ms) in enumerate(CLICKS):
        i = int((0.5 + 0.5 * j) * FS)
        w = _click(kind, ms) * (-1) ** j
        x[i:i + len(w)] += NOISE * 10 ** (over_db / 20) * w
    assert detect_pops(x.astype(np.float32), FS) == []


@pytest.mark.parametrize("over_db", [30.0, 40.0, 50.0])
def test_steps_in_the_waveform_are_not_pops(over_db):
    """Up and back down after 10, 30 and 200 ms, and up for good."""
    x = _room(100 + int(over_db), 3.5)
    a = NOISE * 10 ** (over_db / 20)
    for t0, hold_s in ((0.5, 0.01), (1.0, 0.03), (1.5, 0.2), (2.5, None)):
        i = int(t0 * FS)
        x[i:i + (int(hold_s * FS) if hold_s else len(x))] += a
    assert detect_pops(x.astype(np.float32), FS) == []


def test_pops_in_the_same_quiet_room_are_found():
    rng = np.random.default_rng(7)
    x = _room(7, 12.5)
    truth = []
    for j in range(24):
        w = pop_wave(rng, FS)
        i = int((0.5 + 0.5 * j) * FS)
        x[i:i + len(w)] += NOISE * 10 ** (rng.uniform(15, 30) / 20) * w
        truth.append(i / FS)
    found = [e["t"] for e in detect_pops(x.astype(np.float32), FS)]
    assert len(found) == len(truth)
    assert all(min(abs(f - t) for f in found) < 1e-3 for t in truth)
