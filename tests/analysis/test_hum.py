"""Mains hum: loud lines are notched out (and only while they are loud), pops are still found
under hum louder than the room, and the result does not depend on how the audio is chunked."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import signal

from analysis.hum import HumNotch
from firmware_bridge.audio_sim import make_scene
from tests.conftest import detect_pops

FS = 8000.0
BAND = signal.butter(2, [100.0, 2000.0], "bandpass", fs=FS, output="sos")


def hum(n: int, fs: float, f0: float, amp: float) -> np.ndarray:
    t = np.arange(n) / fs
    return amp * sum(lvl * np.sin(2 * np.pi * f0 * h * t + h) for h, lvl in ((1, 1.0), (2, 0.3), (3, 0.5), (5, 0.2)))


def line_db(y: np.ndarray, f: float, fs: float = FS) -> float:
    """Level (dB) of the line at ``f`` in the last second of ``y``."""
    seg = y[-int(fs):, 0]
    spec = np.abs(np.fft.rfft(seg * np.hanning(len(seg))))
    k = int(round(f * len(seg) / fs))
    return 20 * np.log10(spec[k - 2:k + 3].max())


@pytest.mark.parametrize("f0", [50.0, 60.0])
def test_loud_hum_lines_are_notched_and_a_quiet_room_is_left_alone(f0):
    rng = np.random.default_rng(0)
    noise = rng.normal(0, 1e-3, (int(6 * FS), 1))
    loud = noise + hum(len(noise), FS, f0, 1e-2)[:, None]          # 20 dB over the noise
    hn = HumNotch(FS, 1, BAND)
    out = hn.feed(loud)
    assert {f0 * h for h in (2, 3)} <= set(hn.notched_hz)
    assert all(f % f0 == 0 for f in hn.notched_hz)                 # only this mains frequency
    for h in (2, 3):
        assert line_db(loud, f0 * h) - line_db(out, f0 * h) >= 20
    quiet = HumNotch(FS, 1, BAND)
    same = noise + hum(len(noise), FS, f0, 1e-4)[:, None]          # 20 dB under the noise
    np.testing.assert_array_equal(quiet.feed(same), same)
    assert quiet.notched_hz == []


def _scene_with_hum(db: float, seed: int = 3):
    sc = make_scene(20.0, 16000.0, seed=seed, thrusts_per_min=12, distractors=False)
    x = sc.audio + hum(len(sc.audio), 16000.0, 50.0, sc.noise_rms * 10 ** (db / 20))
    return sc, x.astype(np.float32)


def _found(ev: list[dict], truth: np.ndarray) -> int:
    return sum(any(abs(e["t"] - g) <= 5e-3 for e in ev) for g in truth)


def test_pops_under_hum_20_db_over_the_room_are_found():
    sc, x = _scene_with_hum(20.0)
    assert len(sc.pops_s) >= 6
    with_notch = detect_pops(x, 16000.0)
    without = detect_pops(x, 16000.0, hum_notch=False)
    assert _found(with_notch, sc.pops_s) >= 0.8 * len(sc.pops_s)
    assert _found(with_notch, sc.pops_s) > _found(without, sc.pops_s)
    assert len(with_notch) - _found(with_notch, sc.pops_s) == 0      # and hum makes no pop


def test_hum_alone_gives_nodetect_pops():
    sc = make_scene(10.0, 16000.0, seed=4, thrusts_per_min=0, distractors=False)
    x = (sc.audio + hum(len(sc.audio), 16000.0, 60.0, sc.noise_rms * 10 ** 1.5)).astype(np.float32)
    assert detect_pops(x, 16000.0) == []


HUMMED = _scene_with_hum(20.0, seed=5)[1]
HUMMED_WHOLE = detect_pops(HUMMED, 16000.0)


@settings(max_examples=10, deadline=None)
@given(st.lists(st.integers(1, 40000), min_size=1, max_size=30))
def test_chunk_invariant_while_notching(sizes):
    assert_chunk_invariant(HUMMED, HUMMED_WHOLE, sizes)


def assert_chunk_invariant(x: np.ndarray, whole: list[dict], sizes: list[int]) -> None:
    """The pops of ``x`` (16 kHz) fed in chunks of ``sizes`` (cut off at its end) are ``whole``'s."""
    sizes = [s for s in np.cumsum(sizes) if s < len(x)]
    assert len(whole) > 0
    assert detect_pops(x, 16000.0, list(np.diff([0, *sizes]))) == whole
