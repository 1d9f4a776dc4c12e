"""--pop-window narrower than the pops' distance from the peaks: "none near a thrust: is the
audio aligned?" sent the user to the audio's timing; the window is named instead."""

from __future__ import annotations

from tests.conftest import ROOT, gc

FIX = ROOT / "fixtures"


def test_pops_just_beyond_a_narrow_pop_window_name_the_window():
    r = gc("replay", FIX / "thrust_pops.csv", "--audio", FIX / "thrust_pops.flac", "--r1", 40, "--r2", 120,
           "--pop-window", 1, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    assert "none within the pop window of a thrust (1 ms): the nearest lies 2 ms from a thrust's peak; widen " \
           "--pop-window (the default is 150 ms)" in r.stderr, r.stderr
    assert "is the audio aligned" not in r.stderr


def test_audio_placed_far_off_is_said_to_be_misplaced_not_the_window():
    r = gc("replay", FIX / "thrust_pops.csv", "--audio", FIX / "thrust_pops.flac", "--r1", 40, "--r2", 120,
           "--audio-start", 2, "--format", "jsonl")
    assert "none near a thrust" in r.stderr and "--audio-start 0 places it" in r.stderr, r.stderr
    assert "widen --pop-window" not in r.stderr
