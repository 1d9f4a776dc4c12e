"""Audio with no usable sound — a muted or dead microphone (digital silence), a cable carrying a
constant level, an input at full scale throughout — hears no pop: one warning says which, and
the thrusts it covers have unknown pops ("–", null), not "no pop"."""

from __future__ import annotations

import json

import numpy as np
import soundfile as sf

from analysis.scheme import GradingScheme
from firmware_bridge.replay import analyze_input, load_input
from tests.conftest import ROOT, gc

FIX = ROOT / "fixtures"
CAL = ("--r1", 40, "--r2", 120)
SR = 16000
SPAN_S = 32.0                      # thrust_pops.csv: thrusts peak at 3.2, 7.6, 12.7, 17.9, 23.1, 28.2 s


def replay(audio, fmt="jsonl"):
    r = gc("replay", FIX / "thrust_pops.csv", "--audio", audio, *CAL, "--format", fmt)
    assert r.returncode == 0, r.stderr
    return r


def test_silent_constant_or_clipped_audio_warns_and_leaves_every_thrust_unknown(tmp_path):
    n = int(SPAN_S * SR)
    square = np.sign(np.sin(2 * np.pi * 100 * np.arange(n) / SR))
    noise = np.clip(np.random.default_rng(1).normal(0, 3, n), -1, 1)
    for name, x, said in (("silent", np.zeros(n), "silent throughout"),
                          ("dc", np.full(n, 0.5), "constant throughout"),
                          ("rail", np.full(n, -1.0), "constant throughout"),
                          ("square", square, "clipped throughout"),
                          ("noise", noise, "clipped throughout")):
        wav = tmp_path / f"{name}.wav"
        sf.write(str(wav), x, SR, subtype="PCM_16")
        s = analyze_input(load_input(FIX / "thrust_pops.csv", wav), GradingScheme(r1_n=40, r2_n=120))[-1].to_dict()
        assert s["n_thrusts"] == 6 and all(t["pops"] is None for t in s["thrusts"]), (name, s["thrusts"])
        warned = [w for w in s["warnings"] if "no usable sound" in w]
        assert len(warned) == 1 and said in warned[0] and str(wav) in warned[0], (name, s["warnings"])
    r = replay(tmp_path / "silent.wav")
    assert "silent throughout" in r.stderr
    assert all(t["pops"] is None for t in json.loads(r.stdout.splitlines()[-1])["thrusts"])
    rows = [x for x in replay(tmp_path / "silent.wav", "table").stdout.splitlines() if x.strip()[:1].isdigit()]
    assert len(rows) == 6 and all(row.endswith("  –") and "no pop" not in row for row in rows), rows


def test_a_stretch_of_digital_silence_leaves_the_thrusts_inside_it_unknown(tmp_path):
    x, sr = sf.read(str(FIX / "thrust_pops.flac"), dtype="float32")
    x[10 * sr:20 * sr] = 0.0                               # the microphone muted from 10 to 20 s
    muted = tmp_path / "muted.wav"
    sf.write(str(muted), x, sr)
    s = json.loads(replay(muted).stdout.splitlines()[-1])
    assert [t["pops"] for t in s["thrusts"]] == [4, 1, None, None, 2, 4]
    warned = [w for w in s["warnings"] if "no usable sound" in w]
    assert len(warned) == 1 and "at 10.0–20.0 s" in warned[0] and "silent" in warned[0], s["warnings"]


def test_quiet_audio_is_not_taken_for_dead(tmp_path):
    x, sr = sf.read(str(FIX / "thrust_pops.flac"), dtype="float32")
    quiet = tmp_path / "quiet.wav"
    sf.write(str(quiet), x / 1000, sr, subtype="FLOAT")
    s = json.loads(replay(quiet).stdout.splitlines()[-1])
    assert not any("no usable sound" in w for w in s["warnings"])
    assert all(t["pops"] is not None for t in s["thrusts"])


def test_two_channels_each_dead_another_way_are_dead_and_one_live_channel_is_enough(tmp_path):
    x, _ = sf.read(str(FIX / "thrust_pops.flac"), dtype="float32")
    n = len(x)
    square = np.sign(np.sin(2 * np.pi * 100 * np.arange(n) / SR))
    for name, right, dead in (("dead", square, True), ("live", x, False)):
        wav = tmp_path / f"{name}.wav"
        sf.write(str(wav), np.column_stack([np.zeros(n), right]), SR, subtype="PCM_16")   # left unplugged
        s = analyze_input(load_input(FIX / "thrust_pops.csv", wav), GradingScheme(r1_n=40, r2_n=120))[-1].to_dict()
        assert any("no usable sound" in w for w in s["warnings"]) == dead, (name, s["warnings"])
        assert all((t["pops"] is None) == dead for t in s["thrusts"]), (name, s["thrusts"])


def test_a_short_silent_file_is_silent_throughout_too(tmp_path):
    from firmware_bridge.replay import iter_chunks

    wav = tmp_path / "blip.wav"
    sf.write(str(wav), np.zeros(800), SR, subtype="PCM_16")            # 50 ms, under one 100 ms frame
    inp = load_input(wav)
    assert sum(len(c) for c in iter_chunks(inp)) == 800
    assert len(inp.warnings) == 1 and "silent throughout" in inp.warnings[0], inp.warnings
