"""Force and IMU together: a force thrust says how far the hand moved in it.

Every force cycle got the IMU's movement, but a force thrust recorded with an IMU beside it
had ``displacement_mm`` null, although the IMU measured the hand's movement. The recordings
come from ``gradecoach simulate --thrust --imu``, whose ``.imu-expected.jsonl`` gives the
hand's true movement from each thrust's onset to its peak.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.pipeline import Analyzer
from firmware_bridge.replay.analyze import analyze_input
from firmware_bridge.replay.chunks import iter_chunks
from firmware_bridge.replay.inputs import load_input
from tests.conftest import gc

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def rec(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("thrusts")
    r = gc("simulate", "--thrust", "--sets", "3", "--imu", "500", "--seed", "0", "-o", d / "x.csv")
    assert r.returncode == 0, r.stderr
    return d / "x.csv"


def truth_mm(rec: Path) -> list[float]:
    rows = [json.loads(x) for x in rec.with_name("x.imu-expected.jsonl").read_text().splitlines()]
    return [w["displacement_mm"] for w in rows if w["type"] == "thrust"]


@pytest.mark.parametrize("chunk_s", [10.0, 0.05, 0.0137])
def test_force_thrust_gives_the_hand_movement_whatever_the_chunks(rec, chunk_s):
    thrusts = [e for e in analyze_input(load_input(rec), chunk_s=chunk_s) if e.TYPE == "thrust"]
    assert [e.source for e in thrusts] == ["force"] * 3          # the force's, weighed, once each
    truth = truth_mm(rec)
    for ev, mm in zip(thrusts, truth):
        assert ev.displacement_mm == pytest.approx(mm, rel=0.15), (ev.displacement_mm, mm)
    # the figure is the one replay gives in one piece, to the micrometre
    whole = [e for e in analyze_input(load_input(rec), chunk_s=1e6) if e.TYPE == "thrust"]
    assert [e.displacement_mm for e in thrusts] == [e.displacement_mm for e in whole]


def test_replay_prints_the_movement_with_the_force_thrust(rec):
    r = gc("replay", rec, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    got = [w["displacement_mm"] for w in rows if w["type"] == "thrust"]
    assert got == pytest.approx(truth_mm(rec), rel=0.15)
    summary = rows[-1]
    assert [w["displacement_mm"] for w in summary["thrusts"]] == got


def came_after(rec: Path, streams: tuple[str, ...]) -> tuple[list, list[float]]:
    """Feed the recording in 10 ms chunks; each thrust and the time the data had reached then."""
    inp = load_input(rec)
    a = Analyzer(streams=streams)
    got, at = [], []
    for ch in iter_chunks(inp, 0.01, streams):
        for e in a.feed(ch):
            if e.TYPE == "thrust":
                got.append(e)
                at.append(float(ch.t_s[-1]))
    return got, at


def test_thrust_waits_for_the_imu_only_as_long_as_its_peak_needs(rec):
    alone, at_alone = came_after(rec, ("force",))
    assert len(alone) == 3 and all(e.displacement_mm is None for e in alone)
    # no IMU: given as soon as it is decided, as before
    assert all(t <= e.t_detect_s + 0.011 for e, t in zip(alone, at_alone))
    both, at_both = came_after(rec, ("force", "imu"))
    assert len(both) == 3 and all(e.displacement_mm is not None for e in both)
    # with the IMU: once its data pass the peak (and the 50 ms after it), not at the end
    assert all(t <= max(e.t_detect_s, e.t_peak + 0.15) + 0.011 for e, t in zip(both, at_both))
    assert [e.t_detect_s for e in both] == [e.t_detect_s for e in alone]
