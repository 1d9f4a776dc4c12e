"""A recording of thrusts alone, replayed or recorded without R1/R2, is not warned of a missing
calibration: a thrust is measured in newtons and judged against its V target without one (an
examiner read the orange warning as a fault of the one session that had it). Oscillations
without R1/R2 are still warned of, once, when their first cycle is found."""

from __future__ import annotations

import json

from tests.conftest import ROOT, gc

NO_CAL = ("no calibration (R1/R2): cycles are measured but not graded, and a thrust must rise at 800 N/s or faster "
          "to count as one")


def test_thrusts_alone_need_no_calibration():
    r = gc("replay", ROOT / "fixtures" / "thrust_letup.csv", "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    events = [json.loads(x) for x in r.stdout.splitlines()]
    assert events[-1]["n_thrusts"] == 3
    assert NO_CAL not in events[-1]["warnings"]
    assert not [e for e in events if e["type"] == "warning"]
    assert NO_CAL not in r.stderr


def test_cycles_without_calibration_are_warned_of_once_at_the_first():
    r = gc("replay", ROOT / "fixtures" / "lumbar_grade3.csv", "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    events = [json.loads(x) for x in r.stdout.splitlines()]
    warned = [i for i, e in enumerate(events) if e["type"] == "warning" and e["message"] == NO_CAL]
    first_cycle = next(i for i, e in enumerate(events) if e["type"] == "cycle")
    assert warned == [first_cycle - 1]
    assert events[-1]["warnings"].count(NO_CAL) == 1


def test_a_session_of_thrusts_recorded_without_r1_r2(tmp_path, monkeypatch):
    from firmware_bridge import sources

    # played eight times faster than real time (16 s of thrusts in 2 s): what is warned of is the
    # analysis's, which reads the same samples at the same data times whatever the pace
    monkeypatch.setitem(sources.SOURCES, "file", lambda rest: sources.FileSource(rest, speed=8.0))
    src = tmp_path / "src"
    src.mkdir()
    (src / "force.csv").write_text((ROOT / "fixtures" / "thrust_letup.csv").read_text())
    r = gc("record", "--device", f"file:{src}", "--out", tmp_path / "s", "--target", "V")
    assert r.returncode == 0, r.stderr
    assert NO_CAL not in r.stdout + r.stderr
    r = gc("replay", tmp_path / "s", "--format", "table")
    assert r.returncode == 0 and NO_CAL not in r.stdout + r.stderr


def test_slower_thrusts_taken_as_cycles_without_r1_r2_are_said(tmp_path):
    """Three thrusts rising slower than 800 N/s from a 150 N preload were replayed without R1/R2
    as '3 cycles, 0 thrusts', three one-cycle ungraded sets, the warning saying only that cycles
    are not graded: it says a thrust must rise at 800 N/s to count as one (with R1/R2 all three
    are found)."""
    csv = tmp_path / "tpeak.csv"
    assert gc("simulate", "--thrust", "--sets", "3", "--peak", "200", "--preload", "150", "-o", csv).returncode == 0
    r = gc("replay", csv, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout.splitlines()[-1])
    assert (summary["n_cycles"], summary["n_thrusts"]) == (3, 0)
    assert f"gradecoach: warning: {csv}: {NO_CAL}" in r.stderr.splitlines()
