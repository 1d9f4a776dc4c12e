"""A thrust's peak is decided once the force has fallen 1 % of its rise from its running maximum,
and no less than the force wobbled by (noise and tremor, 4 robust SDs) in the hold before the
rise: a pop near the peak is tied to its thrust sooner, while on a noisy, trembling hand the
wobble at a slow, rounded peak is not taken for the fall after it (peak and time to peak
measured short)."""

from __future__ import annotations

import json
from pathlib import Path

from analysis.scheme import GradingScheme, ThrustScheme
from firmware_bridge.replay import analyze_input, load_input
from ui.cli import main as cli


def _thrusts(csv: Path, scheme: ThrustScheme) -> list:
    ev = analyze_input(load_input(csv), GradingScheme(40.0, 120.0), scheme)
    return [e for e in ev if e.to_dict()["type"] == "thrust"]


def test_a_trembling_hands_slow_peak_is_measured_whole(tmp_path, capsys):
    csv = tmp_path / "noisy.csv"
    assert cli(["simulate", "--thrust", "--sets", "5", "--time-to-peak", "141", "--rate", "500", "--peak", "420",
                "--noise", "1.46", "--tremor", "1.04", "--seed", "115", "-o", str(csv)]) in (0, None)
    truth = [d for d in map(json.loads, csv.with_suffix(".expected.jsonl").read_text().splitlines())
             if d["type"] == "thrust"]
    got = _thrusts(csv, ThrustScheme())
    assert len(got) == len(truth) == 5
    for e, d in zip(got, truth):
        assert abs(e.peak_n - d["peak_n"]) < 0.02 * d["peak_n"], (e, d)
        assert abs(e.time_to_peak_ms - d["time_to_peak_ms"]) < 15.0, (e, d)
    # a fall of 1 % alone (3.8 N here) is within the wobble: one peak was taken 36 ms early
    bare = _thrusts(csv, ThrustScheme(confirm_drop_noise=0.0))
    assert any(abs(e.time_to_peak_ms - d["time_to_peak_ms"]) > 25.0 for e, d in zip(bare, truth))
