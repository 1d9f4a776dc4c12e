"""Cavitation detector: within ``near_voice_ms`` (3 s) after a candidate rejected on a voice
feature, a pop needs a confidence of 0.85 (``PopScheme.near_voice_confidence``). Most false pops
left in real speech were doubtful sounds between its words: a lone glottal pulse, a mouth click."""

from __future__ import annotations

import numpy as np

from firmware_bridge.audio_sim import _pink, make_scene, pop_wave
from tests.conftest import detect_pops

FS = 48000.0


def _creaky_voice_then(rng, what: str) -> tuple[np.ndarray, float]:
    """Room noise, a creaky voice (pulses ringing through a formant, 70-110 Hz apart) for 150 ms,
    then 0.3-2.5 s after its last pulse either two weaker pulses of the same voice 6-12 ms apart
    or a pop 10-30 dB over the noise. Returns the audio and the time of what came after."""
    x = 1e-3 * _pink(rng, int(3.5 * FS), FS)
    f0, f1 = rng.uniform(70, 110), rng.uniform(300, 700)
    tt = np.arange(int(0.010 * FS)) / FS
    pulse = np.exp(-tt / 0.0025) * np.sin(2 * np.pi * f1 * tt)
    amp = 0.01 * 10 ** (rng.uniform(0, 10) / 20)
    t = 0.5
    while t < 0.65:
        i = int(t * FS)
        x[i:i + len(pulse)] += amp * pulse
        t += rng.uniform(0.97, 1.03) / f0
    t_after = t + rng.uniform(0.3, 2.5)
    i = int(t_after * FS)
    if what == "pulses":
        for kk in range(2):
            j = i + kk * int(rng.uniform(0.006, 0.012) * FS)
            x[j:j + len(pulse)] += amp * rng.uniform(0.3, 1.0) * pulse
    else:
        w = pop_wave(rng, FS)
        x[i:i + len(w)] += 1e-3 * 10 ** (rng.uniform(10, 30) / 20) * w / np.sqrt(np.mean(w[:int(0.004 * FS)] ** 2))
    return x.astype(np.float32), t_after


def _found(what: str, **scheme) -> int:
    n = 0
    for seed in range(40):
        x, t_after = _creaky_voice_then(np.random.default_rng(seed), what)
        n += any(abs(e["t"] - t_after) < 5e-3 for e in detect_pops(x, FS, **scheme))
    return n


def test_a_voices_stray_pulses_seconds_after_it_are_taken_for_pops_less_often_and_pops_are_not():
    pulses, pulses_before = _found("pulses"), _found("pulses", near_voice_ms=None)
    assert pulses <= 0.8 * pulses_before, (pulses, pulses_before)
    assert _found("pop") == _found("pop", near_voice_ms=None) == 40


def test_a_scene_of_pops_among_simulated_speech_and_knocks_gives_the_same_pops():
    sc = make_scene(60.0, FS, seed=100)
    assert detect_pops(sc.audio, FS) == detect_pops(sc.audio, FS, near_voice_ms=None)
