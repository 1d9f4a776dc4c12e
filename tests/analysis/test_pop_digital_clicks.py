"""Cavitation detector: digital clicks of 0.25-0.5 ms (a USB microphone's dropout or buffer
overrun, a bad sample) 30-34 dB over a room's noise and mains hum are not pops. Weaker than about
35 dB, the end of a click's energy is lost in the noise and its ring seemed long enough for a pop;
but a click is over within its loudest 0.5 ms, while a pop's energy over the millisecond after
that is under it by less than 20 dB. Pops in the same rooms are still found.

The rooms are five in which the detector took 7 of these clicks for pops before; over 40 such
rooms (seeds 1-40) it took 20 of 720 clicks for pops then, 8 now."""

from __future__ import annotations

import numpy as np

from analysis.cavitation_waveform import fall
from firmware_bridge.audio_sim import make_scene, pop_wave
from tests.analysis._pop_sounds import FS, _click
from tests.conftest import detect_pops

ROOMS = (2, 7, 27, 37, 39)
CLICKS = [(kind, ms, db) for kind in ("rectangular", "half-sine", "bipolar") for ms in (0.25, 0.4, 0.5)
          for db in (30.0, 34.0)]


def _room_with_clicks(seed: int) -> tuple[np.ndarray, float]:
    """A quiet room (pink noise and mains hum) with the clicks 0.5 s apart, and its noise RMS."""
    room = make_scene(0.5 * len(CLICKS) + 1.0, FS, seed=seed, thrusts_per_min=0, distractors=False)
    x = room.audio.astype(np.float64)
    for j, (kind, ms, db) in enumerate(CLICKS):
        i = int((0.5 + 0.5 * j) * FS)
        w = _click(kind, ms) * (-1) ** j
        x[i:i + len(w)] += room.noise_rms * 10 ** (db / 20) * w
    return x, room.noise_rms


def test_clicks_30_to_34_db_over_a_room_with_hum_are_not_pops():
    found = {seed: [round(e["t"], 3) for e in detect_pops(_room_with_clicks(seed)[0].astype(np.float32), FS)]
             for seed in ROOMS}
    assert found == {seed: [] for seed in ROOMS}


def test_pops_between_the_clicks_are_still_found():
    rng = np.random.default_rng(5)
    for seed in ROOMS:
        x, noise = _room_with_clicks(seed)
        truth = []
        for j in range(len(CLICKS)):
            w = pop_wave(rng, FS)
            i = int((0.75 + 0.5 * j) * FS)
            x[i:i + len(w)] += noise * 10 ** (rng.uniform(15, 30) / 20) * w
            truth.append(i / FS)
        found = [e["t"] for e in detect_pops(x.astype(np.float32), FS)]
        assert len(found) == len(truth), seed
        assert all(min(abs(f - t) for f in found) < 1e-3 for t in truth), seed


def test_a_click_that_fills_its_loudest_half_millisecond_falls_at_once_and_a_pop_does_not():
    """``fall`` on the internal-rate block means (about 8 kHz: 0.5 ms is 4 rows): a click of
    exactly those 4 rows leaves only the noise in the millisecond after them, 40 dB under it; a
    ring that decays 40 dB over 3 ms is still there."""
    fs, n_sm, n_pre, i_on = 8000.0, 4, 16, 100
    noise = 1e-3 * np.random.default_rng(3).standard_normal(240)
    click = noise.copy()
    click[i_on:i_on + n_sm] += 0.1
    t = np.arange(240 - i_on) / fs
    ring = noise.copy()
    ring[i_on:] += 0.1 * np.sin(2 * np.pi * 700 * t + 0.3) * 10 ** (-40 / 20 * t / 3e-3)
    assert fall(click, i_on, len(click), n_pre, n_sm) > 30.0
    assert fall(ring, i_on, len(ring), n_pre, n_sm) < 15.0


def test_the_clicks_the_ring_rule_rejects_are_counted_as_abrupt():
    """In each of these rooms, the clicks that passed as pops before the rule on the millisecond
    after the loudest 0.5 ms are rejected by it, and counted under a name of their own
    (``abrupt``), apart from the sounds that ring too briefly (``short``)."""
    from analysis.cavitation import CavitationDetector
    from analysis.chunk import Chunk

    for seed in ROOMS:
        x = _room_with_clicks(seed)[0].astype(np.float32)
        d = CavitationDetector()
        assert d.feed(Chunk(np.arange(len(x)) / FS, x, 0, "audio", FS)) + d.finish() == []
        assert d.rejected.get("abrupt", 0) >= 1, (seed, d.rejected)
        assert d.rejected.get("short", 0) >= 1, (seed, d.rejected)
