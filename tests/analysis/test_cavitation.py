"""Cavitation detector: pops found and timed, distractors ignored, chunk-invariant."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.cavitation import CavitationDetector
from analysis.chunk import Chunk
from analysis.pipeline import Analyzer
from firmware_bridge.audio_sim import make_scene

RATE = 16000.0
# six seconds with pop clusters and every kind of distractor around them (seeded)
SCENE = make_scene(6.0, RATE, seed=11, thrusts_per_min=30)


def run(audio: np.ndarray, rate: float, sizes: list[int] | None = None) -> list[dict]:
    d = CavitationDetector()
    t = np.arange(len(audio)) / rate
    whole = Chunk(t, audio, 0, "audio", rate)
    parts = [whole] if sizes is None else whole.split(sizes + [len(audio) - sum(sizes)])
    out = []
    for c in parts:
        out += d.feed(c)
    out += d.finish()
    return [e.to_dict() for e in out]


WHOLE = run(SCENE.audio, RATE)


def match(found: list[float], truth: np.ndarray, tol_s: float = 5e-3) -> tuple[int, list[float]]:
    errs = []
    for g in truth:
        d = [abs(f - g) for f in found]
        if d and min(d) <= tol_s:
            errs.append(min(d))
    return len(errs), errs


def test_pops_found_and_timed_to_the_millisecond():
    truth = SCENE.pops_s
    assert len(truth) >= 3
    tp, errs = match([e["t"] for e in WHOLE], truth)
    # a pop arriving within ~8 ms of a louder one is still often missed (decay not yet over)
    assert tp >= 0.6 * len(truth)
    assert np.median(errs) <= 1e-3
    assert len(WHOLE) <= tp + 1          # at most one false pop among all those distractors


def test_every_event_carries_confidence_reason_and_shape():
    assert WHOLE
    for e in WHOLE:
        assert e["type"] == "cavitation" and e["thrust"] is None
        assert 0.5 <= e["confidence"] <= 1.0 and "dB" in e["reason"]
        assert 0 < e["duration_ms"] < 40 and 80 <= e["peak_hz"] <= 2400
        assert e["t_detect_s"] - e["t"] <= 0.05


def test_distractors_alone_give_no_pops():
    sc = make_scene(20.0, 48000.0, seed=5, thrusts_per_min=0.001)
    quiet = sc.audio.copy()
    for p in sc.pops_s:                                    # remove the one forced thrust
        i = int(p * sc.rate_hz)
        quiet[i:i + int(0.2 * sc.rate_hz)] = sc.audio[i - int(0.4 * sc.rate_hz):i - int(0.2 * sc.rate_hz)]
    ev = run(quiet, sc.rate_hz, [int(0.01 * sc.rate_hz)] * 1999)
    assert len(ev) <= 1


def test_pops_resolved_five_ms_apart_and_best_channel_used():
    rng = np.random.default_rng(2)
    from firmware_bridge.audio_sim import pop_wave
    fs = 48000.0
    x = rng.normal(0, 1e-3, int(1.0 * fs))
    onsets = [0.5, 0.506, 0.520]
    for t in onsets:
        w = pop_wave(rng, fs) * 2e-2
        i = int(t * fs)
        x[i:i + len(w)] += w[:len(x) - i]
    stereo = np.column_stack([rng.normal(0, 1e-3, len(x)), x]).astype(np.float32)   # pops on channel 2
    ev = run(stereo, fs)
    tp, errs = match([e["t"] for e in ev], np.array(onsets))
    assert tp == 3 and len(ev) == 3 and max(errs) <= 1e-3


@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(1, 9000), min_size=1, max_size=40))
def test_chunk_invariant(sizes):
    sizes = [s for s in np.cumsum(sizes) if s < len(SCENE.audio)]
    pieces = list(np.diff([0, *sizes]))
    assert run(SCENE.audio, RATE, pieces) == WHOLE


def test_registered_with_the_pipeline_and_options_reach_it():
    a = Analyzer(streams=("audio",), options={"audio": {"on_db": 40.0}})
    assert isinstance(a.processors["audio"], CavitationDetector)
    t = np.arange(len(SCENE.audio)) / RATE
    ev = a.feed(Chunk(t, SCENE.audio, 0, "audio", RATE)) + a.finish()
    assert ev[-1].n_cavitations == 0                       # 40 dB over the floor: nothing
    b = Analyzer(streams=("audio",))
    ev = b.feed(Chunk(t, SCENE.audio, 0, "audio", RATE)) + b.finish()
    assert ev[-1].n_cavitations == len(WHOLE)
