"""Cavitation detector: within a second after a voice or other sustained sound (a candidate
rejected on a voice feature, or screened out as sustained sound), a pop needs a confidence of
0.85 (``PopScheme.near_voice_ms``, ``near_voice_confidence``). In real speech the false pops were
mostly doubtful sounds between words; the rule only takes pops away, and only doubtful ones (a
cluster's followers with the first)."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.cavitation_scheme import PopScheme
from firmware_bridge.audio_sim import make_scene
from tests.conftest import detect_pops

RATE = 48000.0


@pytest.mark.parametrize("seed", [101, 1004])
def test_a_doubtful_pop_just_after_a_knock_or_a_voice_is_not_given(seed):
    sc = make_scene(60.0, RATE, seed=seed)
    ruled = detect_pops(sc.audio, RATE)
    free = detect_pops(sc.audio, RATE, near_voice_ms=None)
    at = {round(e["t"], 5) for e in ruled}
    assert at <= {round(e["t"], 5) for e in free}            # it only takes pops away
    gone = sorted((e for e in free if round(e["t"], 5) not in at), key=lambda e: e["t"])
    assert gone, "the rule changed nothing in this scene"
    first = gone[0]
    assert first["confidence"] < PopScheme().near_voice_confidence
    # ... and it came within a second after a distractor of the scene had sounded
    assert any(kind != "hum" and t0 < first["t"] and first["t"] - t1 < 1.0 for kind, t0, t1 in sc.labels)


def test_a_clear_pop_after_a_voice_and_every_pop_far_from_one_are_given_as_before():
    sc = make_scene(60.0, RATE, seed=100)
    assert detect_pops(sc.audio, RATE) == detect_pops(sc.audio, RATE, near_voice_ms=None)
