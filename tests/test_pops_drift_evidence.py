"""The drift note ("the pops drift against the thrusts") needs evidence: first pops lie tens of ms
either side of their thrusts' peaks by nature, so three or four thrusts whose pops happen to line up
said the audio drifted, and offered an --audio-rate that would have put every pop in the wrong
place. It is said for enough thrusts whose pops move, along a significant line, by much more than
they scatter about it: an audio clock 0.1 % slow over a ten-minute practice still gets it."""

from __future__ import annotations

import json
import re
from types import SimpleNamespace

import numpy as np

from firmware_bridge.replay.analyze import drift_note
from tests._cli_in_process import gc_in_process
from tests._pops_audio import PEAKS_S, force_csv, pops_flac

CAL = ("--r1", 40, "--r2", 120)


def test_four_thrusts_whose_pops_line_up_are_not_said_to_drift(tmp_path, capsys):
    offsets_ms = (-25, -12, 1, 14)                # within the pops' natural scatter, by chance in a line
    csv = force_csv(tmp_path / "four.csv", 20.5)
    flac = pops_flac(tmp_path / "four.flac", [p + o / 1e3 for p, o in zip(PEAKS_S, offsets_ms)], 20.5)
    r = gc_in_process(capsys, "replay", csv, "--audio", flac, *CAL, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    assert "drift" not in r.stderr and "--audio-rate" not in r.stderr, r.stderr
    thrusts = json.loads(r.stdout.splitlines()[-1])["thrusts"]
    assert [t["pops"] for t in thrusts] == [1, 1, 1, 1]
    assert [round(t["first_pop_ms_from_peak"]) for t in thrusts] == list(offsets_ms)


def _summary(peaks_s, offsets_s, window_s: float = 0.15):
    """A summary's thrust rows: a pop at each offset (s) from its peak, none beyond the pop window."""
    rows = [{"t_peak": float(p), "pops": 1, "first_pop_ms_from_peak": 1e3 * float(o)} if abs(o) <= window_s
            else {"t_peak": float(p), "pops": 0, "first_pop_ms_from_peak": None}
            for p, o in zip(peaks_s, offsets_s)]
    return SimpleNamespace(thrusts=rows)


INP = SimpleNamespace(audio_path="room.flac", analyse_audio=True, audio_t0_s=0.0, audio_rate_hz=16000.0)


def test_pops_scattered_as_they_are_by_nature_are_never_said_to_drift():
    rng = np.random.default_rng(7)
    said = []
    for _ in range(300):
        n = int(rng.integers(3, 13))
        peaks = np.cumsum(rng.uniform(4.0, 12.0, n))
        # a first pop from 30 ms before the peak to 10 ms after it, as the simulator places them
        note = drift_note(_summary(peaks, rng.uniform(-0.030, 0.010, n)), INP)
        if note:
            said.append((n, note))
    assert said == []


def test_an_audio_clock_a_thousandth_slow_over_ten_minutes_is_said_with_its_rate():
    rng = np.random.default_rng(3)
    peaks = np.arange(5.0, 600.0, 8.0)
    # the card took 15984 samples a second, read as 16000: a pop at T is heard 0.1 % of T early
    offsets = rng.uniform(-0.030, 0.010, len(peaks)) - 0.001 * peaks
    note = drift_note(_summary(peaks, offsets), INP)
    assert note is not None and note.startswith("room.flac: the pops drift against the thrusts"), note
    rate = float(re.search(r"--audio-rate (\d+\.\d)", note).group(1))
    assert abs(rate - 15984.0) < 4.0, note
