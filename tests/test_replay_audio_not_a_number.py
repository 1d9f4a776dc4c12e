"""Audio samples that are not numbers (NaN, infinite) are read as silence by the analysis, so
they are no usable sound as silence is: a thrust inside a stretch of them has its pops unknown
("–", null), not "0 pops", and audio alone made of them is refused as silent audio is. They were
taken for sound (a frame of NaN is not at one level) and the thrust said "0 pops"."""

from __future__ import annotations

import json

import numpy as np
import pytest
import soundfile as sf

from tests.conftest import ROOT, gc

FIX = ROOT / "fixtures"


def _with_stretch(tmp_path, value, name):
    x, sr = sf.read(str(FIX / "thrust_pops.flac"), dtype="float32")
    x[int(1.5 * sr):5 * sr] = value                     # thrust 1 peaks at 3.2 s
    wav = tmp_path / f"{name}.wav"
    sf.write(str(wav), x, sr, subtype="FLOAT")
    r = gc("replay", FIX / "thrust_pops.csv", "--audio", wav, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.splitlines()[-1]), wav


@pytest.mark.parametrize("value", [np.nan, np.inf])
def test_a_stretch_of_samples_that_are_not_numbers_leaves_its_thrust_unknown_as_silence_does(tmp_path, value):
    silent, _ = _with_stretch(tmp_path, 0.0, "silent")
    s, wav = _with_stretch(tmp_path, value, "nan")
    pops = [t["pops"] for t in s["thrusts"]]
    assert pops[0] is None and pops == [t["pops"] for t in silent["thrusts"]], pops
    warned = [w for w in s["warnings"] if "no usable sound" in w]
    assert len(warned) == 1 and warned[0].startswith(f"{wav}: no usable sound at 1.5–5.0 s, not-a-number samples"), \
        s["warnings"]


@pytest.mark.parametrize("fmt", ["table", "jsonl"])
def test_audio_alone_made_of_samples_that_are_not_numbers_is_refused_as_silent_audio_is(tmp_path, fmt):
    wav = tmp_path / "nan.wav"
    sf.write(str(wav), np.full(3 * 16000, np.nan, np.float32), 16000, subtype="FLOAT")
    r = gc("replay", wav, "--format", fmt)
    assert r.returncode == 2 and not r.stdout, (r.returncode, r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert lines == [f"gradecoach: error: {wav}: the audio holds no usable sound: not-a-number samples throughout "
                     f"(NaN or infinite, read as silence); no pop can be heard in it"], r.stderr
