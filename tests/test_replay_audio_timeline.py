"""Audio that did not start with the force, or whose clock ran at another rate: ``--audio-start``
and ``--audio-rate`` place it on the force's timeline, and pops heard with none near a thrust
are a warning (the audio is likely misplaced), not a silent 'no pop' for every thrust."""

from __future__ import annotations

import json

import numpy as np
import soundfile as sf

from tests.conftest import ROOT, gc

FIX = ROOT / "fixtures"
CAL = ("--r1", 40, "--r2", 120)
POPS = [4, 1, 2, 0, 2, 4]          # thrust_pops.flac beside thrust_pops.csv, as recorded


def summary(r) -> dict:
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.splitlines()[-1])


def test_audio_begun_2_s_before_the_force_warns_and_is_placed_by_audio_start(tmp_path):
    x, sr = sf.read(str(FIX / "thrust_pops.flac"), dtype="float32")
    early = tmp_path / "early.wav"
    sf.write(str(early), np.concatenate([x[:2 * sr], x]), sr)     # 2 s of the room's sound before
    r = gc("replay", FIX / "thrust_pops.csv", "--audio", early, *CAL, "--format", "jsonl")
    s = summary(r)
    assert s["n_cavitations"] > 0 and all(t["pops"] == 0 for t in s["thrusts"])
    said = [w for w in s["warnings"] if "none near a thrust" in w]
    assert len(said) == 1 and said[0].startswith(f"{s['n_cavitations']} pops heard") and "--audio-start" in said[0]
    assert "none near a thrust" in r.stderr
    r = gc("replay", FIX / "thrust_pops.csv", "--audio", early, "--audio-start", "-2", *CAL, "--format", "jsonl")
    s = summary(r)
    assert [t["pops"] for t in s["thrusts"]] == POPS
    assert s["spans_s"]["audio"][0] == -2.0
    assert not any("none near a thrust" in w for w in s["warnings"])


def test_audio_rate_places_pops_of_a_clock_that_ran_fast(tmp_path):
    """The samples of a 16 kHz recording labelled 16100 Hz (its sound card ran 0.6 % fast, say):
    read at the file's rate the pops drift earlier, by 0.6 % of their time; at the measured
    rate they come out where they were."""
    x, sr = sf.read(str(FIX / "thrust_pops.flac"), dtype="float32")
    fast = tmp_path / "fast.wav"
    sf.write(str(fast), x, 16100)

    def pops(*extra) -> list[float]:
        r = gc("replay", FIX / "thrust_pops.csv", "--audio", fast, *extra, *CAL, "--format", "jsonl")
        assert r.returncode == 0, r.stderr
        return [e["t"] for e in map(json.loads, r.stdout.splitlines()) if e["type"] == "cavitation"]

    truth = [e["t"] for e in map(json.loads, gc("replay", FIX / "thrust_pops.csv", "--audio", FIX / "thrust_pops.flac",
                                                  *CAL, "--format", "jsonl").stdout.splitlines())
             if e["type"] == "cavitation"]
    placed = pops("--audio-rate", "16000")
    assert len(placed) == len(truth) and np.max(np.abs(np.subtract(placed, truth))) < 1e-3
    drifted = pops()
    assert len(drifted) == len(truth) and np.max(np.abs(np.subtract(drifted, truth))) > 0.1


def test_audio_start_and_rate_out_of_range_are_one_line_naming_the_option(tmp_path):
    for extra, named in ((("--audio-rate", "1000"), "--audio-rate 1000"),
                         (("--audio-rate", "nan"), "--audio-rate nan"),
                         (("--audio-start", "inf"), "--audio-start inf")):
        r = gc("replay", FIX / "thrust_pops.csv", "--audio", FIX / "thrust_pops.flac", *extra, "--format", "jsonl")
        assert r.returncode != 0 and "Traceback" not in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1 and named in r.stderr, r.stderr
    r = gc("replay", FIX / "thrust_pops.csv", "--audio-start", "1", "--format", "jsonl")
    assert r.returncode != 0 and "Traceback" not in r.stderr and "no audio to place" in r.stderr, r.stderr
