"""A buzz (every harmonic of the mains up to the band's top, as a ground loop gives): its lines are
notched where the mains frequency really is, so pops under it are found, and the many notches
do not bring a pop back a mains period later."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.hum import HumNotch
from firmware_bridge.audio_sim import make_scene
from tests.analysis.test_hum import BAND, FS, _found, assert_chunk_invariant, line_db
from tests.conftest import detect_pops

EARLIER = dict(hum_harmonics=10, hum_buzz_line_share=0.04, hum_bw_hz=None, hum_track=False)   # the notch before


def buzz(n: int, fs: float, f0: float) -> np.ndarray:
    """Unit-RMS buzz: every harmonic of ``f0`` up to 2 kHz, each 1/h."""
    t = np.arange(n) / fs
    x = sum(np.sin(2 * np.pi * f0 * h * t + h * h) / h for h in range(1, int(2000 // f0) + 1))
    return x / x.std()


@pytest.mark.parametrize("f0", [49.94, 60.05])
def test_the_notches_follow_the_mains_off_its_nominal_frequency(f0):
    rng = np.random.default_rng(1)
    x = (rng.normal(0, 1e-3, int(8 * FS)) + 1e-2 * buzz(int(8 * FS), FS, f0))[:, None]
    hn = HumNotch(FS, 1, BAND)
    out = hn.feed(x)
    family = 0 if f0 < 55 else 1
    assert abs(hn.f0[family] - f0) < 0.005                  # measured within 5 mHz
    fixed = HumNotch(FS, 1, BAND, track=False).feed(x)
    for h in (5, 15, 25):                                    # 250 Hz-1.5 kHz
        assert line_db(x, f0 * h) - line_db(out, f0 * h) >= 15
        # at the nominal multiple a narrow notch misses the line from the 15th harmonic on
        if h >= 15:
            assert line_db(x, f0 * h) - line_db(fixed, f0 * h) < 6


def _scene_with_buzz(db: float, f0: float, seed: int):
    sc = make_scene(20.0, 16000.0, seed=seed, thrusts_per_min=12, distractors=False)
    x = sc.audio + sc.noise_rms * 10 ** (db / 20) * buzz(len(sc.audio), 16000.0, f0)
    return sc, x.astype(np.float32)


def test_pops_under_a_buzz_20_db_over_the_room_are_found_and_not_repeated():
    found = earlier = pops = false = 0
    for seed, f0 in ((3, 50.03), (6, 59.96)):
        sc, x = _scene_with_buzz(20.0, f0, seed)
        ev = detect_pops(x, 16000.0)
        pops += len(sc.pops_s)
        found += _found(ev, sc.pops_s)
        false += len(ev) - _found(ev, sc.pops_s)             # (a pop back a mains period later is one)
        earlier += _found(detect_pops(x, 16000.0, **EARLIER), sc.pops_s)
    assert pops >= 12
    assert found >= 0.85 * pops
    assert found >= earlier + 0.25 * pops
    assert false == 0


def test_a_wide_notch_at_every_line_brings_a_loud_pop_back_a_period_later():
    """Why the notches are narrow: the same buzz notched with each notch as wide as Q 30 gives it
    (1.7 Hz at 50 Hz, 33 Hz at 1 kHz) rings as a comb after each pop."""
    sc, x = _scene_with_buzz(20.0, 50.0, 3)
    wide = detect_pops(x, 16000.0, hum_bw_hz=None, hum_track=False)
    narrow = detect_pops(x, 16000.0)
    assert len(wide) - _found(wide, sc.pops_s) >= 3
    assert len(narrow) - _found(narrow, sc.pops_s) == 0


BUZZED = _scene_with_buzz(20.0, 50.04, seed=5)[1]
BUZZED_WHOLE = detect_pops(BUZZED, 16000.0)


@settings(max_examples=10, deadline=None)
@given(st.lists(st.integers(1, 40000), min_size=1, max_size=30))
def test_chunk_invariant_while_the_notches_follow_the_mains(sizes):
    assert_chunk_invariant(BUZZED, BUZZED_WHOLE, sizes)


def test_a_hums_weak_lines_are_left_alone_a_buzzs_are_notched():
    """Only a buzz (lines above the tenth harmonic carrying a share of the band together) has its
    weak lines notched: a hum's weak odd harmonics stay as they are, as before."""
    rng = np.random.default_rng(2)
    n = int(6 * FS)
    t = np.arange(n) / FS
    noise = rng.normal(0, 1e-3, n)
    hum = 1e-2 * sum(lvl * np.sin(2 * np.pi * 50.0 * h * t + h) for h, lvl in
                     ((1, 1.0), (2, 0.3), (3, 0.5), (5, 0.2), (7, 0.05), (9, 0.05)))
    hn = HumNotch(FS, 1, BAND)
    hn.feed((noise + hum)[:, None])
    assert {100.0, 150.0} <= set(hn.notched_hz)
    assert not {350.0, 450.0} & set(hn.notched_hz)
    bz = HumNotch(FS, 1, BAND)
    bz.feed((noise + 1e-2 * buzz(n, FS, 50.0))[:, None])
    assert {350.0, 450.0, 1000.0, 1500.0} <= set(bz.notched_hz)
