"""An IMU logger whose clock steps back part way (every time from a row on half a second early),
replayed as NAME.imu.csv: the rows whose times went back are skipped, and the rows after them are a
new run, marked as an IMU gap where the two runs meet, with no movement cycle across it, and its
line said. Replay stitched the two moments of the hand's movement together there."""

from __future__ import annotations

import json

import numpy as np

from analysis.scheme import GradingScheme
from firmware_bridge.imu_sim import imu_signal, write_imu_csv
from firmware_bridge.simulator import Sim, technique
from tests._cli_in_process import gc_in_process

AT, BACK_S = 600, 0.5


def test_the_join_is_an_imu_gap_and_no_cycle_spans_it(tmp_path, capfd):
    sim = Sim(40, 120, seed=5)
    technique("III", sim, GradingScheme(40, 120), cycles=10)
    t, v = imu_signal(sim, 100, seed=5)
    t = t.copy()
    t[AT:] -= BACK_S
    p = tmp_path / "back.imu.csv"
    write_imu_csv(p, t, v)
    k = AT + int(np.count_nonzero(t[AT:] <= t[AT - 1]))     # the first row after the ones skipped
    r = gc_in_process(capfd, "replay", p, "--format", "jsonl", "-o", tmp_path / "ev.jsonl")
    assert r.returncode == 0, r.stderr
    events = [json.loads(x) for x in (tmp_path / "ev.jsonl").read_text().splitlines()]
    gaps = [(e["t_start"], e["t_end"], e["stream"], e["reason"]) for e in events if e["type"] == "gap"]
    assert gaps == [(round(float(t[AT - 1]), 6), round(float(t[k]), 6), "imu", "clock stepped back")]
    cycles = [e for e in events if e["type"] == "imu_cycle"]
    assert cycles and not [c for c in cycles if c["t_start"] < t[k] and c["t_end"] > t[AT - 1]]
    warnings = [e["message"] for e in events if e["type"] == "warning"]
    assert any(w.startswith(f"{p}:{AT + 2}: the logger's clock stepped back 0.5 s") for w in warnings), warnings
    assert not [w for w in warnings if "IMU data stops" in w]
