"""Cavitation detector: a weak transient amid a louder voice is judged stricter on the voice
features (real speech's mouth clicks and last glottal pulses come among louder syllables); the
same transient in quiet, and pops after the voice, are found as before."""

from __future__ import annotations

import numpy as np

from firmware_bridge.audio_sim import _pink, _speech, pop_wave
from tests.conftest import detect_pops

FS = 48000.0


def _after_a_syllable(seed: int, what: str, speech: bool = True) -> tuple[np.ndarray, float]:
    """Room noise, a voiced stretch 20 dB over it (or none), and 60-200 ms after it stops either
    the voice's last pulses (``"pulses"``: a glottal pulse ringing through a formant at 300-700 Hz,
    12 dB over the noise, and fading repeats at a tenth of its energy one, two and three periods
    later, pitch 100-150 Hz) or a pop 15-30 dB over the noise (``"pop"``). Returns the audio and
    the time of what came after the voice."""
    rng = np.random.default_rng(seed)
    x = 1e-3 * _pink(rng, int(2.0 * FS), FS)
    t_end = 0.8
    if speech:
        sp = _speech(rng, FS, 0.6)
        sp /= np.sqrt(np.mean(sp[np.abs(sp) > 0.01 * np.abs(sp).max()] ** 2))
        x[int(0.3 * FS):int(0.3 * FS) + len(sp)] += 1e-2 * sp
        t_end = 0.3 + np.flatnonzero(np.abs(sp) > 1e-3 * np.abs(sp).max())[-1] / FS
    t = t_end + rng.uniform(0.06, 0.2)
    i = int(t * FS)
    if what == "pulses":
        period = 1.0 / rng.uniform(100, 150)
        tt = np.arange(int(0.012 * FS)) / FS
        p = np.exp(-tt / 2.5e-3) * np.sin(2 * np.pi * rng.uniform(300, 700) * tt)
        p /= np.sqrt(np.mean(p[:int(0.004 * FS)] ** 2))
        for m in range(4):
            j = i + int(m * period * FS)
            x[j:j + len(p)] += 1e-3 * 10 ** (12 / 20) * 0.3 ** m * p
    else:
        w = pop_wave(rng, FS)
        x[i:i + len(w)] += 1e-3 * 10 ** (rng.uniform(15, 30) / 20) * w
    return x.astype(np.float32), t


def _found(seeds, what: str, speech: bool = True, **scheme) -> int:
    n = 0
    for seed in seeds:
        x, t = _after_a_syllable(seed, what, speech)
        n += any(abs(e["t"] - t) < 5e-3 for e in detect_pops(x, FS, **scheme))
    return n


def test_a_voices_weak_last_pulses_after_a_louder_syllable_are_taken_for_pops_less_often():
    seeds = range(40)
    # (both without the stricter confidence after a voice, PopScheme.near_voice_ms: with it, 13
    # instead of 14 without this rule)
    after = _found(seeds, "pulses", near_voice_ms=None)
    assert after <= 8, after                                            # 7 of 40
    assert _found(seeds, "pulses", louder_strict=0.0, near_voice_ms=None) >= 2 * after   # 14 without the rule
    # the rule looks at what came before: alone in quiet, the same sound is judged as it was
    assert _found(seeds, "pulses", speech=False) == _found(seeds, "pulses", speech=False, louder_strict=0.0)


def test_pops_after_a_louder_syllable_are_still_found():
    seeds = range(40)
    assert _found(seeds, "pop") == _found(seeds, "pop", louder_strict=0.0) >= 34


def test_chunk_invariant_with_the_louder_sound_in_an_earlier_chunk():
    changed = 0
    for seed in range(8):
        x, t = _after_a_syllable(seed, "pulses")
        whole = detect_pops(x, FS)
        cut = int((t - 0.05) * FS)                     # the syllable in the chunks before the pulses
        assert detect_pops(x, FS, sizes=[cut - 4801, 4801, 17, 333]) == whole
        changed += whole != detect_pops(x, FS, louder_strict=0.0)
    assert changed                                     # the rule decided something here


def test_a_cluster_whose_louder_first_pop_is_missed_keeps_its_next_pop():
    """The first pop of a cluster may be missed (here: rising over 6 ms, too slowly for a pop) and
    be louder than the next, 10-35 ms later: that one is not judged as if it came after a voice."""
    from firmware_bridge.audio_sim import make_scene

    def found(**scheme) -> int:
        n = 0
        for seed in range(80):
            room = make_scene(1.5, FS, seed=seed, thrusts_per_min=0, distractors=False)
            x = room.audio.astype(np.float64)
            rng = np.random.default_rng(seed)
            w = pop_wave(rng, FS)
            w[:int(0.006 * FS)] *= np.linspace(0, 1, int(0.006 * FS))
            x[int(0.6 * FS):int(0.6 * FS) + len(w)] += room.noise_rms * 10 ** (rng.uniform(20, 25) / 20) * w
            t2 = 0.6 + rng.uniform(0.01, 0.035)
            w2 = pop_wave(rng, FS)
            x[int(t2 * FS):int(t2 * FS) + len(w2)] += room.noise_rms * 10 ** (rng.uniform(10, 15) / 20) * w2
            n += any(abs(e["t"] - t2) < 5e-3 for e in detect_pops(x.astype(np.float32), FS, **scheme))
        return n

    assert found() == found(louder_strict=0.0) >= 75                  # 78 of 80
