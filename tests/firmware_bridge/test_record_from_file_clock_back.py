"""``record --device file:X.csv`` of a CSV whose logger's clock stepped back part way keeps the
join as replay gives it: a 'clock stepped back' gap in session.json and the events, no cycle
across it, and replay of the recording the same. The played file's join was told as '2 samples
lost', stored as 'dropped samples', and the recording's analysis found a cycle across it that
never was."""

from __future__ import annotations

import json

import numpy as np

from firmware_bridge.csv_stream import write_force_csv
from tests._cli_in_process import gc_in_process
from tests.conftest import record_played, simulate

AT, BACK_S, RATE_HZ = 3000, 0.5, 500.0


def test_the_recording_keeps_the_join_as_a_gap(tmp_path, capfd):
    t, y, _ = simulate("III+", cycles=10, seed=1)
    t = t.copy()
    t[AT:] -= BACK_S
    played = tmp_path / "back.csv"
    write_force_csv(played, t, y)
    k = AT + int(np.count_nonzero(t[AT:] <= t[AT - 1]))     # the first row after the ones skipped
    join = (round(float(t[AT - 1]), 6), round(float(t[k]), 6), "clock stepped back")

    said = record_played(played, tmp_path / "sess", speed=200.0, rate_hz=RATE_HZ)
    assert not [s for s in said if "lost" in s]
    meta = json.loads((tmp_path / "sess" / "session.json").read_text())
    assert [(g["t_start"], g["t_end"], g["reason"]) for g in meta["gaps"]] == [join]
    events = [json.loads(x) for x in (tmp_path / "sess" / "events.jsonl").read_text().splitlines()]
    assert [(e["t_start"], e["t_end"], e["reason"]) for e in events if e["type"] == "gap"] == [join]
    cycles = [e for e in events if e["type"] == "cycle"]
    assert cycles and not [c for c in cycles if c["t_start"] < t[k] and c["t_end"] > t[AT - 1]]

    r = gc_in_process(capfd, "replay", tmp_path / "sess", "-o", tmp_path / "r.jsonl")
    assert r.returncode == 0, r.stderr
    again = [json.loads(x) for x in (tmp_path / "r.jsonl").read_text().splitlines()]
    assert [(e["t_start"], e["t_end"], e["reason"]) for e in again if e["type"] == "gap"] == [join]
    assert [(c["t_start"], c["t_end"]) for c in again if c["type"] == "cycle"] == \
        [(c["t_start"], c["t_end"]) for c in cycles]
