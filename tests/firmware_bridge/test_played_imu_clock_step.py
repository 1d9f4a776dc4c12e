"""``record --device file:X.csv`` with an IMU beside it (``X.imu.csv``) whose logger's clock stepped
back part way marks the IMU's step as replay of the same files does: an IMU gap with its reason
in session.json and the events, the IMU's analysis restarting there (no movement cycle across
it), the force's analysis untouched, and replay of the recording the same. The played IMU's step
was stored as the force's: the force was cut where it has no join, and a movement cycle joined
the two moments of the hand's movement."""

from __future__ import annotations

import json

from tests._cli_in_process import gc_in_process
from tests.conftest import record_played
from tests.firmware_bridge._imu_clock_step import STEP, _played


def _spans(events, kind):
    return [(e["t_start"], e["t_end"]) for e in events if e["type"] == kind]


def test_the_played_imu_step_is_marked_as_replay_marks_it(tmp_path, capfd):
    p = _played(tmp_path)
    r = gc_in_process(capfd, "replay", p, "--r1", "40", "--r2", "120", "-o", tmp_path / "r.jsonl")
    assert r.returncode == 0, r.stderr
    replayed = [json.loads(x) for x in (tmp_path / "r.jsonl").read_text().splitlines()]
    assert [(e["t_start"], e["t_end"], e["reason"], e["stream"]) for e in replayed if e["type"] == "gap"] == [STEP]

    record_played(p, tmp_path / "sess")
    meta = json.loads((tmp_path / "sess" / "session.json").read_text())
    assert [(g["t_start"], g["t_end"], g["reason"], g.get("stream")) for g in meta["gaps"]] == [STEP]
    events = [json.loads(x) for x in (tmp_path / "sess" / "events.jsonl").read_text().splitlines()]
    assert [(e["t_start"], e["t_end"], e["reason"], e["stream"]) for e in events if e["type"] == "gap"] == [STEP]
    moved = _spans(events, "imu_cycle")
    assert moved and not [c for c in moved if c[0] < STEP[1] and c[1] > STEP[0]]
    assert moved == _spans(replayed, "imu_cycle")
    assert _spans(events, "cycle") == _spans(replayed, "cycle")

    r = gc_in_process(capfd, "replay", tmp_path / "sess", "-o", tmp_path / "again.jsonl")
    assert r.returncode == 0, r.stderr
    again = [json.loads(x) for x in (tmp_path / "again.jsonl").read_text().splitlines()]
    assert [(e["t_start"], e["t_end"], e["reason"], e["stream"]) for e in again if e["type"] == "gap"] == [STEP]
    assert _spans(again, "imu_cycle") == moved
