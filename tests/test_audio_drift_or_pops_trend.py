"""Pops that come earlier thrust by thrust, with the audio at its own rate, draw the same line
against the thrusts as audio read at a wrong rate: replay offers the --audio-rate that would
straighten it, if the rate is off, and says the pops' own trend looks the same. It said "the
audio's rate looks wrong" of a correct file. (25 ms a thrust: a trend of 15 ms over five thrusts,
66 ms in all, is too close to the pops' natural scatter to be said at all.)"""

from __future__ import annotations

import numpy as np
import soundfile as sf

from tests.conftest import ROOT, gc

CAL = ("--r1", 40, "--r2", 120)
CSV = ROOT / "fixtures" / "thrust_pops.csv"
BETWEEN_S = (5.4, 10.15, 15.3, 20.5, 25.65)     # quiet times between the fixture's six thrusts


def test_pops_earlier_each_thrust_are_not_said_to_be_a_wrong_rate(tmp_path):
    x, sr = sf.read(str(ROOT / "fixtures" / "thrust_pops.flac"), dtype="float32")
    parts, a = [], 0
    for c in BETWEEN_S:                          # 25 ms of quiet taken out before each next thrust
        parts.append(x[a:int(c * sr)])
        a = int(c * sr) + int(0.025 * sr)
    trend = tmp_path / "earlier.flac"
    sf.write(str(trend), np.concatenate([*parts, x[a:]]), sr)
    r = gc("replay", CSV, "--audio", trend, *CAL, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    said = [w for w in r.stderr.splitlines() if "the pops drift against the thrusts" in w]
    assert len(said) == 1, r.stderr
    assert "looks wrong" not in said[0]
    assert "if the audio's rate is off" in said[0] and "--audio-rate 15925.9" in said[0], said[0]
    assert said[0].endswith("pops that came earlier or later over the practice draw the same line"), said[0]
