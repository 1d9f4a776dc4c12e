"""replay's JSON lines give null where nothing was known, as its table ("–") and the events CSV
(a blank cell) do: a cycle's ``beyond_r2`` without R2 (no crest was checked against one), an
IMU-only thrust's ``letup`` (no force), a warning about reading the file its ``t_detect_s`` (no
time of the data). They read ``false`` and ``0.0``."""

from __future__ import annotations

import json

from analysis.events import CycleEvent, ThrustEvent, event_from_dict
from tests._cli_in_process import gc_in_process
from tests.conftest import ROOT

FIXTURES = ROOT / "fixtures"


def _events(capfd, *args) -> list[dict]:
    r = gc_in_process(capfd, "replay", *args, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    return [json.loads(x) for x in r.stdout.splitlines()]


def test_beyond_r2_is_null_without_r2_and_counted_with_it(capfd):
    events = _events(capfd, FIXTURES / "cervical_grade2.csv")
    cycles = [e for e in events if e["type"] == "cycle"]
    assert len(cycles) >= 5 and {c["beyond_r2"] for c in cycles} == {None}
    events = _events(capfd, FIXTURES / "cervical_grade2.csv", "--r1", "10", "--r2", "40")
    assert {c["beyond_r2"] for c in events if c["type"] == "cycle"} == {False}
    assert [s["beyond_r2"] for s in events[-1]["sets"]] == [0]


def test_an_imu_thrusts_letup_is_null(capfd):
    thrusts = [e for e in _events(capfd, FIXTURES / "imu_thrust.imu.csv", "--target", "V") if e["type"] == "thrust"]
    assert len(thrusts) == 3 and all(t["letup_n"] is None and t["letup"] is None for t in thrusts)


def test_a_warning_of_reading_the_file_has_no_data_time(capfd, tmp_path):
    lines = (FIXTURES / "cervical_grade2.csv").read_text().splitlines()
    lines[200] = lines[200].split(",")[0] + ",n/a"
    p = tmp_path / "x.csv"
    p.write_text("\n".join(lines) + "\n")
    warnings = {e["message"]: e["t_detect_s"] for e in _events(capfd, p) if e["type"] == "warning"}
    assert warnings[f"1 bad row skipped (first: {p}:201: non-numeric cell 'n/a')"] is None
    assert [t for m, t in warnings.items() if m.startswith("no calibration")] == [3.954]   # (at its first cycle)


def test_older_files_read_as_before_with_unknowns_as_unknown():
    old = {"type": "cycle", "t_start": 1.0, "t_end": 2.0, "t_crest": 1.5, "grade": None, "modifier": None,
           "trough_n": 0.0, "crest_n": 8.0, "amplitude_n": 8.0, "freq_hz": 1.0, "beyond_r2": False}
    assert event_from_dict(old) == CycleEvent(**{k: v for k, v in old.items() if k != "type"} | {"beyond_r2": None})
    graded = {**old, "grade": "II"}
    assert event_from_dict(graded).beyond_r2 is False
    thrust = {"type": "thrust", "t_onset": 3.2, "t_peak": 3.3, "preload_n": None, "peak_n": None,
              "time_to_peak_ms": 116.0, "duration_ms": 50.0, "rate_n_per_s": None, "max_rate_n_per_s": None,
              "letup_n": None, "letup": False, "source": "imu"}
    assert event_from_dict(thrust).letup is None
    assert event_from_dict({**thrust, "source": "force", "letup_n": 2.0, "preload_n": 100.0}).letup is False
    assert isinstance(event_from_dict(thrust), ThrustEvent)
