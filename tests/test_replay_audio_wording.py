"""The table's and the warnings' words for one pop, one bad sample, and a CSV beside longer audio."""

from __future__ import annotations

import numpy as np
import soundfile as sf

from firmware_bridge.audio_sim import pop_wave
from tests.conftest import ROOT, gc

FIX = ROOT / "fixtures"


def test_one_pop_and_one_bad_sample_are_said_in_the_singular(tmp_path):
    sr = 16000
    x = np.random.default_rng(1).normal(0, 1e-3, 3 * sr).astype(np.float32)
    w = pop_wave(np.random.default_rng(2), sr)
    x[sr:sr + len(w)] += (0.2 * w / np.abs(w).max()).astype(np.float32)
    x[2 * sr] = np.nan
    wav = tmp_path / "one.wav"
    sf.write(str(wav), x, sr, subtype="FLOAT")
    r = gc("replay", wav, "--format", "table")
    assert r.returncode == 0, r.stderr
    head = r.stdout.splitlines()[0]
    assert head == f"{wav}: 3.0 s, 0 cycles, 0 thrusts, 1 pop", head
    assert ("1 audio sample was not a number (NaN or infinite) or was beyond any full scale (over 1e12) "
            "and was read as silence") in r.stdout


def test_a_csv_beside_longer_audio_gives_the_force_recordings_length_and_the_audios_apart():
    r = gc("replay", FIX / "thrust_pops.csv", "--audio", FIX / "thrust_pops.flac", "--format", "table")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == f"{FIX / 'thrust_pops.csv'}: 31.3 s (audio 31.8 s), 0 cycles, 6 thrusts, 13 pops"
    r = gc("replay", FIX / "thrust_pops.csv", "--format", "table")
    assert r.stdout.splitlines()[0] == f"{FIX / 'thrust_pops.csv'}: 31.3 s, 0 cycles, 6 thrusts, no audio"
