"""The simulation the pop benchmark uses: a room's direct-to-reverberant ratio and decay are
what it says, a pop heard in it keeps its onset, and the other pop shapes are what they say."""

from __future__ import annotations

import numpy as np
import pytest

from scipy import signal

from firmware_bridge.audio_sim import POP_SHAPES, Scene, make_scene, pop_wave, reverberate, room_response


@pytest.mark.parametrize("rt60_s, drr_db", [(0.3, 10.0), (0.5, 0.0)])
def test_room_response_has_its_ratio_and_decay(rt60_s, drr_db):
    fs = 16000.0
    h = room_response(fs, rt60_s, drr_db, seed=1)
    assert h[0] == 1.0 and np.all(h[1:int(0.002 * fs)] == 0.0)
    assert 10 * np.log10(1.0 / np.sum(h[1:] ** 2)) == pytest.approx(drr_db, abs=1e-6)
    # energy in 50 ms windows falls about 60 dB per rt60
    e = np.array([np.sum(h[i:i + 800] ** 2) for i in range(800, len(h) - 800, 800)])
    slope_db_per_s = np.polyfit(np.arange(len(e)) * 0.05, 10 * np.log10(e), 1)[0]
    assert slope_db_per_s == pytest.approx(-60 / rt60_s, rel=0.15)


def test_reverberate_keeps_the_onsets_and_adds_a_tail():
    fs = 16000.0
    rng = np.random.default_rng(0)
    x = np.zeros(int(fs), np.float32)
    w = pop_wave(rng, fs)
    x[8000:8000 + len(w)] = w
    wet = reverberate(Scene(x, fs, np.array([0.5])), 0.4, 0.0).audio
    assert np.max(np.abs(wet[:8000])) < 1e-9 and wet[8000] == pytest.approx(x[8000], abs=1e-6)
    e_dry = np.sum(x.astype(np.float64) ** 2)
    assert np.sum(wet.astype(np.float64) ** 2) == pytest.approx(2 * e_dry, rel=0.25)   # 0 dB: tail as loud as the pop
    assert np.sum(wet[8000 + 1600:].astype(np.float64) ** 2) > 0.01 * e_dry          # 100 ms on, the room still sounds


def test_scene_in_a_room_keeps_its_truth():
    sc = make_scene(5.0, 16000.0, seed=2)
    wet = reverberate(sc, 0.3, 10.0)
    assert np.array_equal(wet.pops_s, sc.pops_s) and len(wet.audio) == len(sc.audio)


def _share_above(w: np.ndarray, fs: float, hz: float) -> float:
    f, p = signal.periodogram(w, fs, nfft=8192)
    return float(p[f > hz].sum() / p.sum())


def test_pop_shapes_are_what_they_say():
    fs = 48000.0
    rng = np.random.default_rng(3)
    ring = lambda w: np.flatnonzero(np.abs(w) > 0.01 * np.abs(w).max())[-1] / fs   # last sample above -40 dB
    plain = [pop_wave(rng, fs) for _ in range(30)]
    cracks = [POP_SHAPES["crack"](rng, fs) for _ in range(30)]
    longs = [POP_SHAPES["long ring"](rng, fs) for _ in range(30)]
    slow = [POP_SHAPES["slow onset"](rng, fs) for _ in range(30)]
    bursts = [POP_SHAPES["noise burst"](rng, fs) for _ in range(30)]
    # the crack puts energy above 3 kHz where the default pop has almost none
    assert np.median([_share_above(w, fs, 3000) for w in plain]) < 0.05
    assert np.median([_share_above(w, fs, 3000) for w in cracks]) > 0.2
    assert np.median([ring(w) for w in longs]) > 1.5 * np.median([ring(w) for w in plain])
    # half the peak is reached later when the onset is slow
    half = lambda w: np.flatnonzero(np.abs(w) > 0.5 * np.abs(w).max())[0] / fs
    assert np.median([half(w) for w in slow]) > 0.25e-3 > np.median([half(w) for w in plain])
    assert np.median([_share_above(w, fs, 2500) for w in bursts]) < 0.05


def test_a_scene_takes_a_pop_shape_by_name():
    a = make_scene(5.0, 16000.0, seed=4, pop_shape="crack")
    assert len(a.pops_s) and a.audio.dtype == np.float32
    with pytest.raises(ValueError, match="unknown pop shape 'pops'"):
        make_scene(5.0, 16000.0, seed=4, pop_shape="pops")
