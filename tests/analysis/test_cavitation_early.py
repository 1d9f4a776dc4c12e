"""A clear pop is given 25 or 30 ms after its peak instead of 35 (``PopScheme.early_ms``, judged
on each window in turn): the same event, only sooner. On 25 ms it needs a confidence of 0.94, on
30 ms 0.92 (``early_confidence``); a doubtful one, or one with sound still going on at the end of
the window (other than the fallen ring of the next pop of its cluster), waits for the next window
or the horizon."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from firmware_bridge.audio_sim import _pink, make_scene, pop_wave
from tests.conftest import detect_pops

FS = 48000.0


def _pops_in_quiet(seed: int, gaps_ms: tuple[float, ...] = ()) -> tuple[np.ndarray, list[float]]:
    """A pop 20-30 dB over pink room noise at 0.6 s, and one more ``gap_ms`` after it for each
    gap; the audio and the onsets."""
    rng = np.random.default_rng(seed)
    x = 1e-3 * _pink(rng, int(1.2 * FS), FS)
    onsets = [0.6]
    for g in gaps_ms:
        onsets.append(onsets[-1] + g * 1e-3)
    for t in onsets:
        w = pop_wave(rng, FS) * 1e-3 * 10 ** (rng.uniform(20, 30) / 20) / 0.1
        i = int(round(t * FS))
        x[i:i + len(w)] += w
    return x.astype(np.float32), onsets


def _without_decision_time(events: list[dict]) -> list[dict]:
    """The events less when they were decided and the voicing measured (on 30 or 35 ms after the
    peak; the weakest feature named stays)."""
    return [{k: v for k, v in e.items() if k not in ("t_detect_s", "reason")}
            | {"weakest": e["reason"].split("weakest")[1]} for e in events]


def test_a_lone_pop_is_given_10_ms_sooner_and_is_the_same_pop():
    for seed in range(8):
        x, onsets = _pops_in_quiet(seed)
        early, late = detect_pops(x, FS), detect_pops(x, FS, early_ms=None)
        assert len(early) == len(late) == 1 and abs(early[0]["t"] - onsets[0]) < 1e-3, seed
        assert _without_decision_time(early) == _without_decision_time(late)
        # 25 ms after the peak (a millisecond or two after the onset) instead of 35
        assert early[0]["t_detect_s"] - early[0]["t"] <= 0.029, seed
        assert late[0]["t_detect_s"] - late[0]["t"] >= 0.035, seed
        assert late[0]["t_detect_s"] - early[0]["t_detect_s"] >= 0.0095
        # on 30 ms alone, 5 ms later
        assert detect_pops(x, FS, early_ms=30.0)[0]["t_detect_s"] - early[0]["t_detect_s"] >= 0.0045


def test_a_pop_with_the_next_of_its_cluster_ringing_at_the_end_is_given_early_when_that_ring_has_fallen():
    """The next pop 25 ms after it has just begun when its first 25 ms end; it still sounds in the
    last 5 ms of its first 30, but has already fallen by a pop's decay there (``early_ring``): the
    same two pops, the first 5 ms sooner for most. Without that rule every one waits for its
    horizon."""
    sooner = 0
    for seed in range(6):
        x, onsets = _pops_in_quiet(seed, (25.0,))
        ev = detect_pops(x, FS)
        assert len(ev) == 2 and all(abs(e["t"] - t) < 1e-3 for e, t in zip(ev, onsets)), seed
        late = detect_pops(x, FS, early_ring=False)
        assert late[0]["t_detect_s"] - late[0]["t"] >= 0.035, seed
        assert _without_decision_time(ev) == _without_decision_time(late)
        sooner += ev[0]["t_detect_s"] - ev[0]["t"] <= 0.034
    assert sooner >= 5


def test_a_pop_with_the_next_of_its_cluster_begun_too_late_to_tell_is_given_before_it_or_on_its_horizon():
    """The next pop 30 ms after it has not begun when the first 25 ms end: the first is given then.
    On 30 ms alone, it has begun and not fallen yet when they end (nor has a vowel begun after a
    stop consonant's burst): the first is judged on all 35."""
    for seed in range(6):
        x, onsets = _pops_in_quiet(seed, (30.0,))
        ev = detect_pops(x, FS)
        assert len(ev) == 2 and all(abs(e["t"] - t) < 1e-3 for e, t in zip(ev, onsets)), seed
        assert ev[0]["t_detect_s"] - ev[0]["t"] <= 0.029, seed
        assert _without_decision_time(ev) == _without_decision_time(detect_pops(x, FS, early_ms=None))
        late = detect_pops(x, FS, early_ms=30.0)
        assert late[0]["t_detect_s"] - late[0]["t"] >= 0.035, seed


SCENE = make_scene(8.0, FS, seed=21, thrusts_per_min=30)
WHOLE = detect_pops(SCENE.audio, FS)


def test_a_scene_gives_the_same_pops_most_of_them_sooner():
    late = detect_pops(SCENE.audio, FS, early_ms=None)
    assert len(WHOLE) >= 8
    assert _without_decision_time(WHOLE) == _without_decision_time(late)
    sooner = [b["t_detect_s"] - a["t_detect_s"] >= 0.0095 for a, b in zip(WHOLE, late)]   # (on 25 ms)
    assert sum(sooner) >= 0.6 * len(WHOLE)
    assert all(a["t_detect_s"] <= b["t_detect_s"] for a, b in zip(WHOLE, late))


@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(1, 4000), min_size=1, max_size=60))
def test_early_and_late_decisions_do_not_depend_on_the_chunking(sizes):
    sizes = [s for s in np.cumsum(sizes) if s < len(SCENE.audio)]
    assert detect_pops(SCENE.audio, FS, list(np.diff([0, *sizes]))) == WHOLE


def test_the_features_kept_for_tuning_hold_the_pops_given_early():
    """``trace`` keeps every candidate's features as it was decided: a pop given early with the
    features it was given on, once."""
    from analysis.cavitation import CavitationDetector
    from analysis.chunk import Chunk

    x, _ = _pops_in_quiet(3)
    d = CavitationDetector()
    d.trace = []
    ev = d.feed(Chunk(np.arange(len(x)) / FS, x, 0, "audio", FS)) + d.finish()
    assert len(ev) == 1 and ev[0].t_detect_s - ev[0].t <= 0.034
    traced = [v for _, v, _ in d.trace if v.get("voicing") is not None]
    assert len(traced) == 1 and f"voicing {traced[0]['voicing']:.2f}" in ev[0].reason


def test_each_early_window_asks_its_own_confidence():
    """Lone pops in quiet pass on 25 ms with a confidence of 0.956-0.957: asked 0.96 there, they
    are given on 30 ms instead (0.92 asked there), the same pops."""
    import pytest

    from analysis.cavitation import CavitationDetector
    from analysis.chunk import Chunk

    for seed in range(3):
        x, onsets = _pops_in_quiet(seed)
        now = detect_pops(x, FS)
        strict = detect_pops(x, FS, early_confidence=(0.96, 0.92))
        assert _without_decision_time(now) == _without_decision_time(strict)
        assert strict[0]["t_detect_s"] - now[0]["t_detect_s"] >= 0.0045, seed
        assert strict[0]["t_detect_s"] - strict[0]["t"] <= 0.034, seed
    with pytest.raises(ValueError, match="early_confidence"):
        CavitationDetector(early_ms=(20.0, 25.0, 30.0)).feed(Chunk(np.arange(480) / FS, np.zeros(480), 0, "audio", FS))
