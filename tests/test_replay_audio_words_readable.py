"""Replay's words on audio, read as a person reads them: audio alone has no thrust for a pop to
be outside of; a list of pops cut short says how many more; a stretch before the force's
start is "from -10.0 to -5.0 s", not "-10.0–-5.0 s"."""

from __future__ import annotations

import soundfile as sf

from tests.conftest import ROOT, gc

FIX = ROOT / "fixtures"


def test_audio_alone_lists_its_pops_as_heard_and_says_how_many_more():
    r = gc("replay", FIX / "thrust_pops.flac", "--format", "table")
    assert r.returncode == 0, r.stderr
    assert "outside any thrust" not in r.stdout and "…" not in r.stdout, r.stdout
    assert "  pops heard at 3.17 s, 3.19 s," in r.stdout and r.stdout.rstrip().endswith("28.23 s, and 1 more"), r.stdout


def test_pops_outside_thrusts_cut_short_say_how_many_more():
    r = gc("replay", FIX / "thrust_pops.csv", "--audio", FIX / "thrust_pops.flac", "--r1", 40, "--r2", 120,
           "--pop-window", 1, "--format", "table")
    assert "  pops outside any thrust: 13 — at 3.17 s," in r.stdout and "and 1 more" in r.stdout, r.stdout


def test_a_dead_stretch_before_the_force_reads_as_a_range(tmp_path):
    x, sr = sf.read(str(FIX / "thrust_pops.flac"))
    x[:5 * sr] = 0
    muted = tmp_path / "muted.wav"
    sf.write(str(muted), x, sr)
    r = gc("replay", FIX / "thrust_pops.csv", "--audio", muted, "--audio-start", -10, "--r1", 40, "--r2", 120,
           "--format", "jsonl")
    assert "no usable sound from -10.0 to -5.0 s, silent" in r.stderr, r.stderr
