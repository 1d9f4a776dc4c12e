"""CI replays every labelled fixture and compares with its expected events."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.evaluate import score
from analysis.scheme import GradingScheme
from firmware_bridge.replay import analyze_input, load_input

FIX = Path(__file__).resolve().parent.parent / "fixtures"
FILES = sorted(p for p in FIX.glob("*.csv") if p.with_suffix(".expected.jsonl").exists())


def test_there_are_enough_fixtures():
    assert len(FILES) >= 20


@pytest.mark.parametrize("csv", FILES, ids=[p.stem for p in FILES])
def test_fixture_matches_expected_events(csv):
    lines = csv.with_suffix(".expected.jsonl").read_text().splitlines()
    head, truth = json.loads(lines[0]), [json.loads(x) for x in lines[1:]]
    audio = csv.with_suffix(".flac")
    inp = load_input(csv, audio=audio if audio.exists() else None)
    ev = [e.to_dict() for e in analyze_input(inp, GradingScheme(head["r1_n"], head["r2_n"], alpha=head["alpha"]))]
    s = score(truth, ev, head["rate_hz"], float(inp.force.t_s[-1] - inp.force.t_s[0]))
    f = s.figures()
    if s.truth_cycles:
        assert f["cycle_recall_pct"] >= 90
        assert f["grade_accuracy_pct"] >= 95
        if s.modifier_total:
            assert f["modifier_accuracy_pct"] >= 90
    assert s.spurious_cycles <= 1
    assert s.thrust_tp == s.thrust_truth and s.thrust_fp == 0
    if s.peak_err_pct:
        assert max(s.peak_err_pct) <= 5
    if s.ttp_err_ms:
        assert max(s.ttp_err_ms) <= 15
    assert s.letup_found == s.letup_truth and s.letup_false == 0
    assert ev[-1]["type"] == "summary"

    pops = [t for t in truth if t["type"] == "cavitation"]
    found = [e for e in ev if e["type"] == "cavitation"]
    if audio.exists():
        assert pops
    for p in pops:                  # every pop heard within 5 ms, and tied to its thrust
        near = [e for e in found if abs(e["t"] - p["t"]) <= 5e-3]
        assert near and near[0]["thrust"] == p["thrust"], p
    assert len(found) <= len(pops) + 1
