"""Cavitation detector: talk that does not hold the pop band's floor 12 dB over the room's quiet
(a sentence or two, a voice across the room) still hides most pops. Where the detector takes
candidates for a voice or sustained sound ten or more within 400 ms, it says so in its
``loud_spans`` too, so a thrust there without a pop heard is "no pop heard (loud sound)", not
"no pop"; pops in a quiet room are not."""

from __future__ import annotations

from functools import cache

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.cavitation import CavitationDetector
from analysis.chunk import Chunk
from analysis.summary import MASKED
from firmware_bridge.audio_sim import make_scene, pop_wave
from tests.analysis.test_cavitation_loud_spans import FS, room_with_voice, said_of_thrusts, six_thrusts

OLD = {"talk_candidates": 10 ** 9}            # only the floor's rise (the rule before)


def run(x: np.ndarray, fs: float = FS, sizes=(1600,), **overrides) -> tuple[list, list[tuple[float, float]]]:
    d = CavitationDetector(**overrides)
    ev, i, k = [], 0, 0
    while i < len(x):
        n = sizes[k % len(sizes)]
        ev += d.feed(Chunk(np.arange(i, min(i + n, len(x))) / fs, x[i:i + n], i, "audio", fs))
        i, k = i + n, k + 1
    return ev + d.finish(), d.loud_spans


def inside(t: float, spans) -> bool:
    return any(a <= t <= b for a, b in spans)


def test_pops_amid_a_short_voice_are_said_to_be_in_loud_sound():
    """A voice of 0.8 s, 10-20 dB over the room, four pops 20 dB over the room in it: the floor
    does not rise 12 dB, yet most such pops are missed. The span covers every pop and the voice,
    and ends within 0.3 s after it."""
    rng = np.random.default_rng(11)
    for seed, over in ((3, 10.0), (5, 15.0), (6, 20.0)):
        x = room_with_voice(20.0, (10.0, 10.8), over, seed=seed).astype(np.float64)
        pops = [10.15, 10.35, 10.5, 10.62]
        for t in pops:
            w = pop_wave(rng, FS)
            i = int(t * FS)
            x[i:i + len(w)] += w * 1e-3 * 10 ** (20.0 / 20)
        ev, spans = run(x.astype(np.float32))
        assert all(inside(t, spans) for t in pops), (seed, over, spans)
        [(a, b)] = spans
        assert 9.95 <= a <= 10.1 and 10.6 <= b <= 11.1
        # with only the floor's rise, nothing was said of them
        assert run(x.astype(np.float32), **OLD)[1] == []


def test_pops_in_a_quiet_room_are_not_in_loud_sound():
    """Pop clusters over room noise and hum, no voice nor other sound: no loud span, and every
    pop cluster is heard."""
    sc = make_scene(60.0, 48000.0, seed=2101, distractors=False)
    ev, spans = run(sc.audio, 48000.0, (4800,))
    assert spans == []
    found = sum(any(abs(e.t - p) <= 0.005 for e in ev) for p in sc.pops_s)
    assert found >= 0.9 * len(sc.pops_s)


def test_a_room_coming_up_after_digital_silence_is_not_talk():
    """A muted input's zeros, then the room: the floor rises to the room, and the candidates the
    room's noise makes meanwhile, screened out as sustained sound, are not a voice."""
    x = room_with_voice(12.0, (8.0, 9.0), -40.0)
    x[:int(3 * FS)] = 0.0
    assert run(x)[1] == []


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(1, 200000), min_size=1, max_size=5))
def test_talk_spans_do_not_depend_on_the_chunking(sizes):
    # (up to the whole recording in one chunk, as replay hands a file over: a first version kept
    # the room's quiet of the last 6.4 s only, and lost the talk in a chunk longer than that)
    x, whole = _voice_and_talk()
    assert run(x, sizes=sizes)[1] == whole


@cache
def _voice_and_talk():
    """The sound the chunking test cuts up, and its talk spans fed in one way (made once)."""
    x = room_with_voice(10.0, (2.0, 2.9), 12.0, seed=4)
    return x, run(x)[1]


def test_replay_says_a_thrust_without_a_pop_amid_a_short_voice_was_heard_in_loud_sound(tmp_path):
    """Six simulated thrusts, their sound replaced by room noise without pops, a voice of 1.2 s
    15 dB over the room around the third's peak only: that one says "no pop heard (loud sound)",
    the others "no pop" (before, all six said "no pop")."""
    csv, peaks, end = six_thrusts(tmp_path)
    x = room_with_voice(end + 1.0, (peaks[2] - 0.8, peaks[2] + 0.4), 15.0)
    assert said_of_thrusts(csv, x, tmp_path) == ["no pop", "no pop", MASKED, "no pop", "no pop", "no pop"]
