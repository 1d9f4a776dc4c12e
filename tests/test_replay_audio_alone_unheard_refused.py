"""Audio alone in which no pop can be heard (too short, silent, constant or clipped throughout)
is a one-line error with exit status 2, as audio alone under 16 kHz is; it said "0 pops"."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from tests.conftest import ROOT, gc

SR = 48000


@pytest.mark.parametrize("name, x, said", [
    ("short", np.random.default_rng(0).normal(0, 0.1, 720), "only 720 samples of audio (15 ms): too short"),
    ("constant", np.full(3 * SR, 0.5), "no usable sound: constant throughout"),
    ("clipped", np.sign(np.sin(np.arange(3 * SR) / 10.0)), "clipped throughout: clipping (100 % of the sound"),
])
@pytest.mark.parametrize("fmt", ["table", "jsonl"])
def test_audio_alone_with_nothing_to_hear_is_an_error(tmp_path, name, x, said, fmt):
    wav = tmp_path / f"{name}.wav"
    sf.write(str(wav), x, SR, subtype="PCM_16")
    r = gc("replay", wav, "--format", fmt)
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"gradecoach: error: {wav}: ") and said in lines[0], r.stderr
    assert "pops of the thrusts" not in lines[0] and not r.stdout


def test_audio_alone_with_sound_is_analysed():
    r = gc("replay", ROOT / "fixtures" / "thrust_pops.flac", "--format", "jsonl")
    assert r.returncode == 0 and '"n_cavitations": 13' in r.stdout, r.stderr
