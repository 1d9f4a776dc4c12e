"""Audio clipped throughout says the share of its sound held flat at its ceiling as measured, or
no figure when too little is held flat to say one: a file at full scale in runs of two samples
(no run of three held flat) said "clipping (50 % of the sound at its ceiling)", a figure it never
measured."""

from __future__ import annotations

import numpy as np
import soundfile as sf

from tests.conftest import gc

SR = 16000


def _refusal(tmp_path, x):
    wav = tmp_path / "clipped.wav"
    sf.write(str(wav), x, SR, subtype="PCM_16")
    r = gc("replay", wav)
    assert r.returncode == 2 and not r.stdout, (r.returncode, r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "no usable sound, clipped throughout" in lines[0], r.stderr
    return lines[0]


def test_full_scale_in_runs_of_two_says_no_figure(tmp_path):
    line = _refusal(tmp_path, np.tile([1.0, 1.0, -1.0, -1.0], 3 * SR // 4))
    assert "clipping (the sound at full scale throughout): turn the input gain down" in line, line
    assert "%" not in line, line


def test_a_square_wave_says_its_measured_share(tmp_path):
    line = _refusal(tmp_path, np.sign(np.sin(np.arange(3 * SR) / 10.0)))
    assert "clipping (100 % of the sound at its ceiling)" in line, line
