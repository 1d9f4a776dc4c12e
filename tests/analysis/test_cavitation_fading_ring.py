"""Cavitation detector: a pop whose ring fades with a time constant of 3.5-4 ms (20 dB down in
8-9 ms, the long end of a pop's 3-8 ms) at 300-1200 Hz is a pop. Its ring repeats itself one
period on, as a voice's pulses do, but fading: its copy two periods of a voice on is 4 dB or
more under the one a period on, where a voice's next pulses come at the same level (or louder,
as a vowel starts). Every one of them was taken for a voice at 400 Hz and up.

Rings fading a little slower still (a time constant of 4.5-5 ms, 20 dB down in 10-12 ms) were
taken for a voice by ``pitch``, the waveform's likeness to itself a pitch period on: a period
after the onset, their sound is 4 dB or more under the period before, where a voice's next
pulse is not (``pitch_ring_db``)."""

from __future__ import annotations

import numpy as np
import pytest

from firmware_bridge.audio_sim import fading_rings
from tests.conftest import detect_pops

FS = 48000.0


def _found(x: np.ndarray, at: list[float], **scheme) -> tuple[int, int]:
    ev = detect_pops(x, FS, **scheme)
    hits = sum(any(abs(e["t"] - t0) <= 5e-3 for e in ev) for t0 in at)
    return hits, len(ev) - hits


@pytest.mark.parametrize("f_hz", [300.0, 400.0, 500.0, 800.0, 1200.0])
@pytest.mark.parametrize("tau_ms", [3.5, 4.0, 4.5])
def test_a_pop_whose_ring_fades_over_8_to_10_ms_is_a_pop(f_hz, tau_ms):
    x, at = fading_rings(f_hz, tau_ms, seed=int(f_hz + 10 * tau_ms))
    assert _found(x, at) == (len(at), 0)


@pytest.mark.parametrize("rule, f_hz, tau_ms, seed", [
    ("copy_ring_db", 800.0, 4.0, 1),            # its copies a period on and two: a voice's pulses
    ("pitch_ring_db", 1200.0, 5.0, 1250),       # its likeness to itself a period on: voiced
])
def test_without_the_rule_the_fading_ring_was_a_voice(rule, f_hz, tau_ms, seed):
    x, at = fading_rings(f_hz, tau_ms, seed=seed)
    assert _found(x, at) == (len(at), 0)
    assert _found(x, at, **{rule: float("inf")})[0] == 0


@pytest.mark.parametrize("f_hz, tau_ms, seed", [(1200.0, 4.0, 2), (800.0, 4.5, 3)])
def test_the_rules_give_the_same_events_in_any_chunking(f_hz, tau_ms, seed):
    x, at = fading_rings(f_hz, tau_ms, seed=seed, n=3)
    whole = detect_pops(x, FS)
    assert len(whole) == 3
    assert detect_pops(x, FS, sizes=[4801, 17, 28800, 333, 9000]) == whole
