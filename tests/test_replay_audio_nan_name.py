"""``gradecoach replay`` of a float WAV holding NaN samples said "170 audio samples were not
numbers … read as silence" without naming the file, where every other warning about audio
names it (a session's audio, or audio given with --audio, is one file among several)."""

from __future__ import annotations

import json

import numpy as np
import soundfile as sf

from tests.conftest import gc


def nan_wav(path, n_bad: int):
    x = (0.01 * np.random.default_rng(0).standard_normal(48000)).astype("float32")
    x[1000:1000 + n_bad] = np.nan
    sf.write(str(path), x, 48000, subtype="FLOAT")
    return path


def test_the_count_of_samples_that_were_not_numbers_names_the_file(tmp_path):
    p = nan_wav(tmp_path / "a_float_nan.wav", 170)
    said = (f"{p}: 170 audio samples were not numbers (NaN or infinite) or were beyond any full scale "
            f"(over 1e12) and were read as silence")
    r = gc("replay", p, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    assert r.stderr.splitlines() == [f"gradecoach: warning: {said}"]
    out = [json.loads(x) for x in r.stdout.splitlines()]
    assert out[-1]["warnings"] == [said]
    assert [e["message"] for e in out if e["type"] == "warning"] == [said]


def test_one_sample_that_was_not_a_number_names_the_file_given_with_audio(tmp_path):
    t = np.arange(0.0, 1.0, 0.002)
    np.savetxt(tmp_path / "x.csv", np.column_stack([t, 60 + 8 * np.sin(2 * np.pi * 2.0 * t)]), fmt=("%.6f", "%.4f"),
               delimiter=",", header="t_s,force_n", comments="")
    a = nan_wav(tmp_path / "x.wav", 1)
    r = gc("replay", tmp_path / "x.csv", "--audio", a, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    assert f"gradecoach: warning: {a}: 1 audio sample was not a number (NaN or infinite) or was beyond any " \
           f"full scale (over 1e12) and was read as silence" in r.stderr.splitlines()
