"""Pops soon after a voice stops: the floor follows the quiet within 150 ms of it."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.cavitation_features import FrontEnd
from analysis.cavitation_scheme import PopScheme
from firmware_bridge.audio_sim import _pink, _speech, pop_wave
from tests.conftest import detect_pops

FS = 48000.0


def _pop_after_speech(seed: int, delay_s: float, **scheme) -> tuple[bool, int]:
    """A pop 15-30 dB over the room noise ``delay_s`` after 2.5 s of speech 20 dB over it stops:
    whether it is found, and how many other pops are."""
    rng = np.random.default_rng(seed)
    x = 1e-3 * _pink(rng, int(3.7 * FS), FS)
    sp = _speech(rng, FS, 2.5)
    loud = np.sqrt(np.mean(sp[np.abs(sp) > 0.01 * np.abs(sp).max()] ** 2))
    x[int(0.5 * FS):int(0.5 * FS) + len(sp)] += sp / loud * 1e-2
    t_end = 0.5 + np.flatnonzero(np.abs(sp) > 1e-3 * np.abs(sp).max())[-1] / FS
    w = pop_wave(rng, FS)
    i = int((t_end + delay_s) * FS)
    x[i:i + len(w)] += 1e-3 * 10 ** ((15.0 + 5 * (seed % 4)) / 20) * w
    ev = detect_pops(x.astype(np.float32), FS, **scheme)
    found = any(abs(e["t"] - i / FS) < 5e-3 for e in ev)
    return found, len(ev) - found


def test_a_pop_200_ms_after_speech_stops_is_found_and_the_speech_gives_no_pop():
    """Counted down ("three, two, one"), a thrust comes right after the voice stops. The floor
    was capped 10 dB over the loudest of the last three 100 ms levels only, so for up to 400 ms
    after the voice it stayed near the voice's level: of these 16 pops 200 ms after it, 9 were
    found. Capped also 10 dB over the loudest 10 ms level of the last 150 ms, 14."""
    runs = [_pop_after_speech(s, 0.2) for s in range(16)]
    assert sum(found for found, _ in runs) >= 13
    assert sum(others for _, others in runs) == 0                 # no pop in the speech itself
    assert sum(_pop_after_speech(s, 0.2, floor_fast_blocks=0)[0] for s in range(16)) <= 10


@settings(max_examples=20, deadline=None)
@given(st.lists(st.integers(1, 700), min_size=1, max_size=30))
def test_the_floor_after_a_loud_stretch_is_the_same_in_any_chunks(sizes):
    """The 10 ms levels carry over between chunks: the floor does not depend on where the frames
    were cut, also where the short levels set it (loud frames, then quiet ones)."""
    rng = np.random.default_rng(16)
    db = np.r_[rng.normal(-30, 4, (3000, 2)), rng.normal(-70, 3, (3000, 2))]
    s = PopScheme()
    whole = FrontEnd(48000.0, 2, s)._floor(db)
    assert np.any(whole < FrontEnd(48000.0, 2, PopScheme(floor_fast_blocks=0))._floor(db))
    fe = FrontEnd(48000.0, 2, s)
    parts, i = [], 0
    for n in sizes:
        parts.append(fe._floor(db[i:i + n]))
        i += n
    parts.append(fe._floor(db[i:]))
    assert np.array_equal(np.concatenate(parts), whole)
