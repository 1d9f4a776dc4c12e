"""CI replays every labelled fixture and compares with its expected events."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from analysis.evaluate import score, score_pops
from ui.cmd_evaluate import THRESHOLDS, below, evaluate_one, read_truth

# evaluate's default thresholds, as its options give them
DEFAULTS = argparse.Namespace(**{option[2:].replace("-", "_"): default for option, _, default, _, _ in THRESHOLDS})

FIX = Path(__file__).resolve().parent.parent / "fixtures"
FILES = sorted(p for p in FIX.glob("*.csv") if p.with_suffix(".expected.jsonl").exists())


def test_there_are_enough_fixtures():
    assert len(FILES) >= 20


@pytest.mark.parametrize("csv", FILES, ids=[p.stem for p in FILES])
def test_fixture_matches_expected_events(csv):
    """Scored by ``gradecoach evaluate``'s own code (ui/cmd_evaluate.py: its reading of the
    expected events, the sound beside the recording placed at the settings' t0, the calibration
    and alpha they give), against its default thresholds: one place, so that the two cannot
    drift apart. A fixture whose expected events hold pops has its sound beside it (a checkout
    that lost the FLAC would stop checking pops without a word)."""
    head, truth = read_truth(csv)
    if any(e["type"] == "cavitation" for e in truth):
        assert csv.with_suffix(".flac").is_file(), f"{csv.name}: its pops are expected, its sound is missing"
    s, heard = evaluate_one(csv, head, truth)
    assert heard == csv.with_suffix(".flac").is_file()
    assert below(s, DEFAULTS) == []


IMU_FILES = sorted(p for p in FIX.glob("*.imu.csv") if p.with_name(p.name[:-8] + ".imu-expected.jsonl").exists())


def test_there_are_imu_fixtures():
    assert len(IMU_FILES) >= 2


@pytest.mark.parametrize("csv", IMU_FILES, ids=[p.stem for p in IMU_FILES])
def test_imu_fixture_matches_its_expected_movement(csv):
    """A hand-worn IMU's recording alone, scored by evaluate against its expected movement."""
    head, truth = read_truth(csv)
    s, _ = evaluate_one(csv, head, truth)
    assert s.imu_truth + s.thrust_truth > 0
    assert below(s, DEFAULTS) == []


def test_a_fixture_that_regresses_fails():
    """The check above fails on what it must: a thrust, pop or cycle missed or not expected, a pop
    tied to another thrust, a peak, time to peak or let-up wrong, grades or modifiers wrong."""
    lines = (FIX / "thrust_pops.expected.jsonl").read_text().splitlines()
    truth = [json.loads(x) for x in lines[1:]]
    ev = [dict(e, index=e.get("index", 0)) for e in truth]
    thrusts = [e for e in ev if e["type"] == "thrust"]
    for n, th in enumerate(thrusts):
        th["index"] = n

    def fails(detected):
        return below(score_pops(score(truth, detected, 1000.0, 60.0), truth, detected), DEFAULTS)

    assert fails(ev) == []
    pop = next(k for k, e in enumerate(ev) if e["type"] == "cavitation")
    assert fails(ev[:pop] + ev[pop + 1:])                                     # a pop missed
    assert fails(ev + [{"type": "cavitation", "t": 40.0, "thrust": None}] * 2)  # 2 pops not expected
    assert fails([dict(e, thrust=1) if k == pop else e for k, e in enumerate(ev)])   # tied to another thrust
    assert fails([e for e in ev if e is not thrusts[0]])                      # a thrust missed
    assert fails(ev + [dict(thrusts[0], t_peak=40.0, index=6)])               # a thrust not expected
    assert fails([dict(e, peak_n=e["peak_n"] * 1.06) if e["type"] == "thrust" else e for e in ev])
    assert fails([dict(e, time_to_peak_ms=e["time_to_peak_ms"] + 16) if e["type"] == "thrust" else e for e in ev])
    assert fails([dict(e, letup=True) if e is thrusts[0] else e for e in ev])  # a let-up where none was

    lines = (FIX / "lumbar_grade3_p.expected.jsonl").read_text().splitlines()
    truth = [json.loads(x) for x in lines[1:]]
    cycles = [k for k, e in enumerate(truth) if e["type"] == "cycle"]
    assert len(cycles) == 12

    def fails_c(detected):
        return below(score(truth, detected, 100.0, 60.0), DEFAULTS)

    assert fails_c(truth) == []
    assert fails_c([dict(e, grade="II") if k == cycles[0] else e for k, e in enumerate(truth)])   # 11 of 12
    assert fails_c([dict(e, modifier="-") if k in cycles[:2] else e for k, e in enumerate(truth)])  # 10 of 12
    assert fails_c([e for k, e in enumerate(truth) if k not in cycles[:2]])   # 10 of 12 found
    assert fails_c(truth + [dict(truth[cycles[0]], t_crest=500.0)] * 2)       # 2 spurious
