"""Audio that did not start with the force, or whose clock ran at another rate: ``--audio-start``
and ``--audio-rate`` place it on the force's timeline, and pops heard with none near a thrust
are a warning (the audio is likely misplaced), not a silent 'no pop' for every thrust."""

from __future__ import annotations

import json

import numpy as np
import soundfile as sf

from analysis.events import CavitationEvent
from firmware_bridge.replay import analyze_input, load_input
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
    # (said placed off: each thrust's pops unknown until it is placed, not none)
    assert s["n_cavitations"] > 0 and all(t["pops"] is None for t in s["thrusts"])
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

    def pops(audio, rate_hz=None) -> list[float]:
        events = analyze_input(load_input(FIX / "thrust_pops.csv", audio, audio_rate_hz=rate_hz))
        return [e.t for e in events if isinstance(e, CavitationEvent)]

    truth = pops(FIX / "thrust_pops.flac")
    placed = pops(fast, 16000.0)
    assert len(placed) == len(truth) and np.max(np.abs(np.subtract(placed, truth))) < 1e-3
    drifted = pops(fast)
    assert len(drifted) == len(truth) and np.max(np.abs(np.subtract(drifted, truth))) > 0.1


def test_audio_start_and_rate_out_of_range_are_one_line_naming_the_option(capsys):
    from ui.cli import main

    csv, flac = str(FIX / "thrust_pops.csv"), str(FIX / "thrust_pops.flac")
    for extra, named in ((("--audio-rate", "1000"), "--audio-rate 1000"),
                         (("--audio-rate", "nan"), "--audio-rate nan"),
                         (("--audio-start", "inf"), "--audio-start inf")):
        assert main(["replay", csv, "--audio", flac, *extra, "--format", "jsonl"]) == 2
        out, err = capsys.readouterr()
        assert out == "" and len(err.strip().splitlines()) == 1 and named in err, err
    assert main(["replay", csv, "--audio-start", "1", "--format", "jsonl"]) == 2
    assert "no audio to place" in capsys.readouterr().err


def test_report_and_screenshot_take_audio_start_too(tmp_path):
    from ui.report import load_item

    x, sr = sf.read(str(FIX / "thrust_pops.flac"), dtype="float32")
    early = tmp_path / "early.wav"
    sf.write(str(early), np.concatenate([x[:2 * sr], x]), sr)
    item = load_item(FIX / "thrust_pops.csv", early, 40, 120, audio_start_s=-2.0)
    assert [t["pops"] for t in item.events[-1]["thrusts"]] == POPS
    r = gc("report", FIX / "thrust_pops.csv", "--audio", early, "--audio-start", "-2", *CAL, "-o", tmp_path / "r.html")
    assert r.returncode == 0 and "none near a thrust" not in r.stderr, r.stderr
    r = gc("screenshot", "--replay", FIX / "thrust_pops.csv", "--audio", early, "--audio-start", "-2", "--at", 5,
           *CAL, "-o", tmp_path / "s.png")
    assert r.returncode == 0 and (tmp_path / "s.png").stat().st_size > 0, r.stderr
