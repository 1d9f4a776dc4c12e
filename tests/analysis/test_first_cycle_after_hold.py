"""A set's first cycle starts at the trough its first rise begins at, past the ramp into the set
and the hold at its end: it was cut where the ramp passed the set's later troughs' level, so a
hold above them put its start on the ramp (a 1.83 Hz cycle read 0.93 Hz, the set's frequency CV
22.7 % for a true 6.7 %), and a hold below them put it part way up the first rise."""

from __future__ import annotations

import json

import numpy as np
import pytest

from analysis.scheme import GradingScheme
from firmware_bridge.replay import analyze_input, load_input
from tests.conftest import gc


def _cv(v):
    return 100.0 * float(np.std(v, ddof=1)) / float(np.mean(v))


def _replayed(tmp_path, *args):
    csv = tmp_path / "x.csv"
    r = gc("simulate", *args, "-o", csv)
    assert r.returncode == 0, r.stderr
    lines = [json.loads(x) for x in csv.with_name("x.expected.jsonl").read_text().splitlines()]
    head, truth = lines[0], [e for e in lines[1:] if e["type"] == "cycle"]
    found = [e.to_dict() for e in analyze_input(load_input(csv), GradingScheme(head["r1_n"], head["r2_n"]))]
    return truth, [e for e in found if e["type"] == "cycle"]


def test_a_hold_above_the_troughs_is_not_the_first_cycle(tmp_path):
    truth, cycles = _replayed(tmp_path, "--grade", "III+", "--cycles", "8", "--rate", "500", "--seed", "108",
                              "--freq", "2.0")
    assert len(cycles) == len(truth) == 8
    first, true = cycles[0], truth[0]
    assert abs(first["t_start"] - true["t_start"]) < 0.03          # (was 2.518 s for 3.059 s)
    assert first["freq_hz"] == pytest.approx(true["freq_hz"], rel=0.05)      # (0.93 Hz for 1.83 Hz)
    assert first["trough_n"] == pytest.approx(true["trough_n"], abs=3.0)
    assert abs(_cv([c["freq_hz"] for c in cycles]) - _cv([e["freq_hz"] for e in truth])) < 4.0


@pytest.mark.parametrize("seed", [2, 4, 7, 15, 17, 18, 19])
def test_the_first_cycle_has_its_own_frequency(tmp_path, seed):
    # (33-56 % off in 2, 7, 15, 17, 18 and 19, 17 % in 4, its hold below the later troughs)
    truth, cycles = _replayed(tmp_path, "--grade", "III", "--cycles", "8", "--seed", str(seed))
    assert len(cycles) == len(truth) == 8
    assert abs(cycles[0]["t_start"] - truth[0]["t_start"]) < 0.05
    assert cycles[0]["freq_hz"] == pytest.approx(truth[0]["freq_hz"], rel=0.06)
