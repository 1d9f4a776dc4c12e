"""Several microphones: one pop heard on every channel, at each channel's own time, is one event,
timed where it arrived first."""

from __future__ import annotations

import numpy as np
import pytest

from firmware_bridge.audio_sim import make_scene, pop_wave
from tests.conftest import detect_pops

RATE = 48000.0
SCENE = make_scene(8.0, RATE, seed=21, thrusts_per_min=30)
MONO = detect_pops(SCENE.audio, RATE)


def _later(x: np.ndarray, ms: float, noise_seed: int, gain_db: float = 0.0) -> np.ndarray:
    """``x`` arriving ``ms`` later and ``gain_db`` louder, over room noise of its own."""
    d = int(round(ms * 1e-3 * RATE))
    rng = np.random.default_rng(noise_seed)
    noise = rng.standard_normal(len(x)) * SCENE.noise_rms
    return np.r_[np.zeros(d), x[:len(x) - d]] * 10 ** (gain_db / 20) + noise


@pytest.mark.parametrize("delay_ms", [2.0, 3.0, 5.0])
def test_a_second_microphone_hearing_the_same_pops_later_adds_no_pop(delay_ms):
    assert len(MONO) >= 10
    stereo = np.column_stack([SCENE.audio, _later(SCENE.audio, delay_ms, 1)]).astype(np.float32)
    ev = detect_pops(stereo, RATE)
    assert len(ev) == len(MONO)                        # was about twice as many from 2 ms on
    assert np.max(np.abs(np.array([e["t"] for e in ev]) - [e["t"] for e in MONO])) <= 1e-3


def test_a_weaker_room_microphone_later_adds_no_pop_and_the_pops_keep_their_time():
    # the pops alone (the scene less its noise and distractors is not at hand: the whole scene,
    # 12 dB weaker, 2 ms later, over noise of its own)
    stereo = np.column_stack([SCENE.audio, _later(SCENE.audio, 2.0, 2, -12.0)]).astype(np.float32)
    ev = detect_pops(stereo, RATE)
    assert [round(e["t"], 3) for e in ev] == [round(e["t"], 3) for e in MONO]
    assert detect_pops(stereo[:, ::-1].copy(), RATE) == ev                     # either channel first


def test_a_pop_is_timed_where_it_arrived_first():
    """The louder channel hears the pop 2 ms after the weaker one: the onset is the earlier."""
    rng = np.random.default_rng(5)
    n = int(2.0 * RATE)
    near = rng.standard_normal(n) * 1e-3
    far = rng.standard_normal(n) * 1e-3
    onsets = [0.6, 0.62, 1.3]
    for t in onsets:
        w = pop_wave(rng, RATE) * 2e-2
        i = int(t * RATE)
        far[i:i + len(w)] += 0.5 * w                  # 6 dB weaker, first
        j = i + int(0.002 * RATE)
        near[j:j + len(w)] += w
    stereo = np.column_stack([near, far]).astype(np.float32)
    ev = detect_pops(stereo, RATE)
    assert len(ev) == 3
    assert np.max(np.abs(np.array([e["t"] for e in ev]) - onsets)) <= 1e-3


def test_several_channels_are_chunk_invariant():
    stereo = np.column_stack([SCENE.audio, _later(SCENE.audio, 3.0, 3)]).astype(np.float32)
    whole = detect_pops(stereo, RATE)
    assert whole
    assert detect_pops(stereo, RATE, sizes=[7, 480, 1, 3000, 4799, 100, 20000]) == whole
    assert detect_pops(stereo, RATE, sizes=[480] * 1500) == whole


@pytest.mark.parametrize("level", [0.3, 1.0])
def test_a_knock_on_the_other_microphone_just_before_a_pop_does_not_move_it(level):
    """Another sound on the second microphone 3 ms before each pop is not the pop arriving there:
    it rings on, a pop dies away; the pop keeps its own onset."""
    from firmware_bridge.audio_sim import _knock
    rng = np.random.default_rng(7)
    n = int(6 * RATE)
    a = 1e-3 * rng.standard_normal(n)
    b = 1e-3 * rng.standard_normal(n)
    onsets = 0.5 + np.arange(10) * 0.5
    for t in onsets:
        w = pop_wave(rng, RATE)
        i = int(t * RATE)
        a[i:i + len(w)] += 2e-2 * w
        k = _knock(rng, RATE)
        j = i - int(0.003 * RATE)
        b[j:j + len(k)] += level * 2e-2 * k[:n - j] / np.abs(k).max()
    ev = detect_pops(np.column_stack([a, b]).astype(np.float32), RATE)
    assert len(ev) == 10
    assert np.max(np.abs(np.array([e["t"] for e in ev]) - onsets)) <= 1e-3     # was 3 ms early


@pytest.mark.parametrize("gain_db", [-20.0, -6.0, 0.0])
def test_one_microphone_copied_at_a_lower_gain_gives_its_pops_at_the_louder_channel_s_level(gain_db):
    """The same sound on two channels, the second a copy at a lower gain, noise and all: every
    pop peaks as high over its floor on both, and the events are the mono recording's, level
    included, whichever channel comes first (a rounding error decided, and the level of nearly
    every other pop was 20 dB under the louder channel's)."""
    quieter = SCENE.audio * np.float32(10 ** (gain_db / 20))
    for stereo in (np.column_stack([SCENE.audio, quieter]), np.column_stack([quieter, SCENE.audio])):
        ev = detect_pops(stereo.astype(np.float32), RATE)
        assert [(round(e["t"], 4), e["level_db"]) for e in ev] == [(round(e["t"], 4), e["level_db"]) for e in MONO]
