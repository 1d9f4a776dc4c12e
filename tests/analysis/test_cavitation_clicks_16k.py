"""Cavitation detector in a recording that lost its top: sampled at 16 kHz (a voice message, a
recorder set low), or a headset's 16 kHz sound resampled to 48 kHz. A key's or a mouse's click then
loses the energy above 8 kHz that tells it from a pop, and what is left of it above the pop band is
over as fast as a pop's crack. Such a sound needs more of its energy in the pop band: the
simulated typing, mouse clicks, footsteps and handling noise of two minutes give no pop (5 with
the rule for a full recording), and of the pops with a crack at their onset, and of the ordinary
ones, at most one is lost to it."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import signal

from analysis.cavitation_scheme import PopScheme
from benchmarks.bench_cavitation import score
from firmware_bridge.audio_sim import make_scene
from tests.conftest import detect_pops

RATE = 16000
# the rule for a full recording; both it and the rule here without the stricter confidence after a
# voice (PopScheme.near_voice_ms), which alone spares two of the clicks and loses one of the pops
NOT_NEAR_VOICE = dict(near_voice_ms=None)
AS_AT_48K = dict(band_frac_crack_narrow=PopScheme().band_frac_crack, **NOT_NEAR_VOICE)


def at_16k(scene) -> np.ndarray:
    return signal.resample_poly(scene.audio, RATE, int(scene.rate_hz)).astype(np.float32)


def as_a_headset_gives_it(scene) -> np.ndarray:
    return signal.resample_poly(at_16k(scene).astype(np.float64), 3, 1).astype(np.float32)


def test_keys_and_mouse_clicks_from_a_headset_at_48_khz_are_not_pops():
    """Its 16 kHz sound resampled to 48 kHz: the file's rate says nothing of the lost top."""
    scenes = [as_a_headset_gives_it(make_scene(60.0, 48000.0, seed=seed, thrusts_per_min=0, density=4.0,
                                               kinds=("footsteps", "typing", "mouse", "handling")))
              for seed in (1400, 1401)]
    assert sum(len(detect_pops(x, 48000.0)) for x in scenes) == 0
    assert sum(len(detect_pops(x, 48000.0, **AS_AT_48K)) for x in scenes) >= 3


def test_keys_mouse_clicks_footsteps_and_handling_at_16_khz_are_not_pops():
    scenes = [at_16k(make_scene(60.0, 48000.0, seed=seed, thrusts_per_min=0, density=4.0,
                                kinds=("footsteps", "typing", "mouse", "handling"))) for seed in (500, 501)]
    assert [detect_pops(x, RATE) for x in scenes] == [[], []]
    assert sum(len(detect_pops(x, RATE, **AS_AT_48K)) for x in scenes) >= 3   # (clicks that pass as cracks)


@pytest.mark.parametrize("shape", ["crack", "resonance"])
def test_pops_with_a_crack_and_without_at_16_khz_are_found_as_before(shape):
    now, before = [0, 0, 0], [0, 0, 0]
    for seed in (100, 101):
        sc = make_scene(60.0, 48000.0, seed=seed, pop_shape=shape)
        x = at_16k(sc)
        for tally, scheme in ((now, NOT_NEAR_VOICE), (before, AS_AT_48K)):
            got = score(np.array([e["t"] for e in detect_pops(x, RATE, **scheme)]), sc.pops_s)[:3]
            tally[:] = [a + b for a, b in zip(tally, got)]
    assert now[1] == 0 and now[0] >= before[0] - 1 and now[0] >= 0.8 * (now[0] + now[2])


@pytest.mark.parametrize("rate", [22050, 48000, 96000])
def test_a_full_recording_is_told_from_one_that_lost_its_top_by_its_noise(rate):
    """Room noise as recorded (its top kept) lies within 6 dB of what pink noise gives at any rate;
    the same noise through a headset's 16 kHz, or low-passed at 8 kHz, lies over 6 dB further
    under; at 16 kHz there is no top to look at."""
    from analysis.cavitation import CavitationDetector
    from analysis.chunk import Chunk

    room = make_scene(3.0, 48000.0, seed=9, thrusts_per_min=0, distractors=False).audio.astype(np.float64)
    headset = signal.resample_poly(signal.resample_poly(room, 1, 3), 3, 1)
    low = signal.sosfilt(signal.butter(4, 8000.0, fs=48000.0, output="sos"), room)

    def gone_db(x: np.ndarray, fs: int) -> float:
        y = signal.resample_poly(x, fs, 48000).astype(np.float32) if fs != 48000 else x.astype(np.float32)
        d = CavitationDetector()
        d.feed(Chunk(np.arange(len(y)) / fs, y, 0, "audio", float(fs)))
        k = d.frames.end - 1
        return d.side.top_gone_db(d.native, k, 0, d.side.high(d.native, k, k, 0))

    assert abs(gone_db(room, rate)) < 3.0
    if rate >= 44100:
        assert gone_db(headset, rate) > 12.0 and gone_db(low, rate) > 8.0
    assert gone_db(room, 16000) == np.inf
