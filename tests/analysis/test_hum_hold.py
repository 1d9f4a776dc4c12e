"""Mains hum stays notched while another sound fills the pop band (a voice, handling noise): the
hum is as loud as before, only its share of the band fell. Without that, pops next to talk in a
humming room sank under the floor the hum lifted."""

from __future__ import annotations

import numpy as np
from scipy import signal

from analysis.hum import HumNotch
from firmware_bridge.audio_sim import make_scene
from tests.analysis.test_hum import BAND, FS, hum
from tests.conftest import detect_pops


def _loud_band_noise(rng, n: int, rms: float) -> np.ndarray:
    x = signal.sosfilt(BAND, rng.normal(0, 1, n))
    return rms * x / x.std()


def test_hum_stays_notched_through_a_loud_stretch_and_is_released_when_it_stops():
    rng = np.random.default_rng(1)
    n = int(4 * FS)
    x = rng.normal(0, 1e-3, 3 * n)                             # the room's noise, 12 s
    x[:2 * n] += hum(2 * n, FS, 50.0, 1e-2)                     # hum 20 dB over the noise for 8 s ...
    x[n:2 * n] += _loud_band_noise(rng, n, 0.1)                 # ... the last 4 s of it under a loud sound
    for hold, notched_in_loud in ((0.5, True), (None, False)):
        hn = HumNotch(FS, 1, BAND, hold=hold)
        hn.feed(x[:n, None])
        assert {100.0, 150.0} <= set(hn.notched_hz)
        hn.feed(x[n:2 * n, None])
        assert ({100.0, 150.0} <= set(hn.notched_hz)) is notched_in_loud
        hn.feed(x[2 * n:, None])                                # hum and loud sound gone
        assert hn.notched_hz == []


def test_pops_next_to_talk_under_hum_are_found_as_without_hum():
    sc = make_scene(60.0, 48000.0, seed=1000)                   # pops, speech, knocks, clicks
    t = np.arange(len(sc.audio)) / 48000.0
    hummed = (sc.audio + sc.noise_rms * 10 ** 0.5 * hum(len(t), 48000.0, 50.0, 1.0)).astype(np.float32)

    def found(ev):
        return sum(any(abs(e["t"] - g) <= 5e-3 for e in ev) for g in sc.pops_s)

    plain = found(detect_pops(sc.audio, 48000.0))
    held = detect_pops(hummed, 48000.0)
    shares_alone = detect_pops(hummed, 48000.0, hum_hold=None)
    assert found(held) >= plain >= 0.9 * len(sc.pops_s)      # (32 against 31: one more under the notched hum)
    assert found(shares_alone) < plain
    assert len(held) == found(held)                             # and no false pop
