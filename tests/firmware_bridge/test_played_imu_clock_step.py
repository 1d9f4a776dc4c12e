"""``record --device file:X.csv`` with an IMU beside it (``X.imu.csv``) whose logger's clock stepped
back part way marks the IMU's step as replay of the same files does: an IMU gap with its reason
in session.json and the events, the IMU's analysis restarting there (no movement cycle across
it), the force's analysis untouched, and replay of the recording the same. The played IMU's step
was stored as the force's: the force was cut where it has no join, and a movement cycle joined
the two moments of the hand's movement."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests._cli_in_process import gc_in_process
from tests.conftest import record_played

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
AT = 1600           # the first IMU row (0 = the first after the header) written 0.5 s early
BACK_S = 0.5
STEP = (7.995, 8.0, "clock stepped back", "imu")   # the last IMU sample before it, the first after


def _played(tmp_path) -> Path:
    """The force fixture as it is, beside its IMU with the times from row AT on 0.5 s early."""
    p = tmp_path / "played.csv"
    shutil.copy(FIXTURES / "imu_grade3.csv", p)
    lines = (FIXTURES / "imu_grade3.imu.csv").read_text().splitlines()
    out = [lines[0]]
    for i, row in enumerate(lines[1:]):
        t, rest = row.split(",", 1)
        out.append(f"{float(t) - (BACK_S if i >= AT else 0.0):.6f},{rest}")
    p.with_name("played.imu.csv").write_text("\n".join(out) + "\n")
    return p


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
