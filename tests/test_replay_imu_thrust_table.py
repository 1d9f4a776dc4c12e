"""A thrust seen by a hand-worn IMU alone, in ``replay``'s table and the report's thrusts table.

Its ``duration_ms`` is how long the hand accelerated (48-50 ms in this recording), over before the
hand's deepest point (94-118 ms after onset): the tables gave it as the thrust's duration, shorter
than its time to peak, and the replay table did not give the hand's movement, the one figure
such a thrust has. They now give the movement in mm and the burst under a heading of its own,
with no duration; a force thrust keeps its duration, and with an IMU beside it gains the
movement."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import gc
from ui.report import thrust_head, thrust_rows



@pytest.fixture(scope="module")
def rec(tmp_path_factory):
    d = tmp_path_factory.mktemp("imu_thrusts")
    r = gc("simulate", "--grade", "V", "--sets", "3", "--imu", "500", "--audio", "16000", "--seed", "2",
           "-o", d / "v.csv")
    assert r.returncode == 0, r.stderr
    return d


def table(lines: list[str]) -> list[dict]:
    """The thrust table's rows as {heading: cell}, the pops' words left out."""
    i = next(i for i, x in enumerate(lines) if x.lstrip().startswith("thrust  peak at (s)"))
    head = re.split(r"\s{2,}", lines[i].strip())[:-1]   # (the last heading, "pops", is words)
    rows = []
    for x in lines[i + 1:]:
        cells = re.split(r"\s{2,}", x.strip())
        if not cells or not cells[0].isdigit():
            break
        rows.append(dict(zip(head, cells)))
    return rows


def truth(path: Path) -> list[dict]:
    return [e for e in map(json.loads, path.read_text().splitlines()) if e["type"] == "thrust"]


def test_imu_thrust_gives_the_hands_movement_and_no_burst_as_its_duration(rec):
    r = gc("replay", rec / "v.imu.csv", "--audio", rec / "v.flac", "--format", "table")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    rows = table(lines)
    events = [json.loads(x) for x in gc("replay", rec / "v.imu.csv", "--audio", rec / "v.flac",
                                        "--format", "jsonl").stdout.splitlines()]
    thrusts = [e for e in events if e["type"] == "thrust"]
    assert len(rows) == len(thrusts) == 3
    for row, e, true in zip(rows, thrusts, truth(rec / "v.imu-expected.jsonl")):
        # the movement from onset to peak, as the trainer and the review say "hand moved 4.2 mm"
        assert row["hand moved (mm)"] == f"{e['displacement_mm']:.1f}"
        assert float(row["hand moved (mm)"]) == pytest.approx(true["displacement_mm"], rel=0.15)
        # the burst is not said to be the thrust's duration (it is shorter than the time to peak)
        assert e["duration_ms"] < e["time_to_peak_ms"]
        assert row["duration (ms)"] == "–"
        assert row["burst (ms)"] == f"{e['duration_ms']:.0f}"
    assert any(x.strip().startswith("burst:") and "accelerated" in x for x in lines)
    assert any(x.strip().startswith("hand moved:") for x in lines)


def test_force_thrust_keeps_its_duration_and_gains_the_movement_beside_an_imu(rec):
    r = gc("replay", rec / "v.csv", "--audio", rec / "v.flac", "--r1", 40, "--r2", 120, "--format", "table")
    assert r.returncode == 0, r.stderr
    rows = table(r.stdout.splitlines())
    events = [json.loads(x) for x in gc("replay", rec / "v.csv", "--audio", rec / "v.flac", "--r1", 40, "--r2", 120,
                                        "--format", "jsonl").stdout.splitlines()]
    thrusts = [e for e in events if e["type"] == "thrust"]
    assert len(rows) == len(thrusts) == 3
    for row, e in zip(rows, thrusts):
        assert e["source"] == "force" and e["displacement_mm"] is not None
        assert row["duration (ms)"] == f"{e['duration_ms']:.0f}"
        assert row["hand moved (mm)"] == f"{e['displacement_mm']:.1f}"
        assert "burst (ms)" not in row
    # a force recording alone keeps its table as it was
    (rec / "alone").mkdir(exist_ok=True)
    (rec / "alone" / "v.csv").write_bytes((rec / "v.csv").read_bytes())
    r = gc("replay", rec / "alone" / "v.csv", "--r1", 40, "--r2", 120, "--format", "table")
    lines = r.stdout.splitlines()
    head = re.split(r"\s{2,}", next(x for x in lines if x.lstrip().startswith("thrust  peak at (s)")).strip())
    assert head == ["thrust", "peak at (s)", "preload (N)", "peak (N)", "to peak (ms)", "duration (ms)",
                    "rate (N/s)", "max rate (N/s)", "let-up", "pops"]
    assert not any(x.strip().startswith(("burst:", "hand moved:")) for x in lines)


def test_report_thrust_table_gives_an_imu_thrusts_burst_under_its_own_heading(rec):
    events = [json.loads(x) for x in gc("replay", rec / "v.imu.csv", "--audio", rec / "v.flac",
                                        "--format", "jsonl").stdout.splitlines()]
    summary = events[-1]
    head = thrust_head(summary)
    assert head.index("acceleration burst (ms)") == head.index("duration (ms)") + 1
    for row, t in zip(thrust_rows(summary), summary["thrusts"]):
        cell = dict(zip(head, row))
        assert cell["duration (ms)"] == "–"
        assert cell["acceleration burst (ms)"] == f"{t['duration_ms']:.1f}"
        assert cell["hand moved (mm)"] == f"{t['displacement_mm']:.1f}"
    # a force thrust has its duration and no burst column
    force = [json.loads(x) for x in gc("replay", rec / "v.csv", "--r1", 40, "--r2", 120,
                                       "--format", "jsonl").stdout.splitlines()][-1]
    head = thrust_head(force)
    assert "acceleration burst (ms)" not in head
    for row, t in zip(thrust_rows(force), force["thrusts"]):
        assert dict(zip(head, row))["duration (ms)"] == f"{t['duration_ms']:.1f}"
