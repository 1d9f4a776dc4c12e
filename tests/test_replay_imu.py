"""``replay`` tables of recordings with a hand-worn IMU say what the IMU measured.

An IMU-only recording read "0 cycles, 0 thrusts" with a warning to calibrate, although the
IMU's cycles (millimetres, which no calibration grades) were in the events; a force + IMU
recording showed no movement at all; an IMU thrust's unknown let-up read 0.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import gc



@pytest.fixture(scope="module")
def sets(tmp_path_factory):
    d = tmp_path_factory.mktemp("imu")
    r = gc("simulate", "--grade", "III", "--freq", "1", "--imu", "500", "-o", d / "set.csv")
    assert r.returncode == 0, r.stderr
    r = gc("simulate", "--thrust", "--imu", "500", "-o", d / "thrust.csv")
    assert r.returncode == 0, r.stderr
    return d


def truth_mm(path: Path) -> list[float]:
    return [json.loads(x)["displacement_mm"] for x in path.read_text().splitlines()
            if json.loads(x)["type"] == "imu_cycle"]


def test_imu_alone_names_its_cycles_and_asks_for_no_calibration(sets):
    r = gc("replay", sets / "set.imu.csv", "--format", "table")
    assert r.returncode == 0, r.stderr
    head = r.stdout.splitlines()
    assert " IMU cycles, 0 thrusts" in head[0]
    line = next(x for x in head if "hand movement (IMU)" in x)
    n = int(line.split(":")[1].split()[0])
    mm = float(line.split("mean ")[1].split(" mm")[0])
    truth = truth_mm(sets / "set.imu-expected.jsonl")
    assert n >= len(truth) - 2
    assert mm == pytest.approx(sum(truth) / len(truth), rel=0.2)
    assert "calibration" not in r.stdout
    r = gc("replay", sets / "set.imu.csv", "--format", "jsonl")
    assert "calibration" not in r.stderr
    assert json.loads(r.stdout.splitlines()[-1])["warnings"] == []


def test_force_with_imu_gives_each_set_its_movement(sets):
    r = gc("replay", sets / "set.csv", "--r1", 40, "--r2", 120, "--format", "table")
    assert r.returncode == 0, r.stderr
    line = next(x for x in r.stdout.splitlines() if x.strip().startswith("movement"))
    mm = float(line.split()[1])
    truth = truth_mm(sets / "set.imu-expected.jsonl")
    assert mm == pytest.approx(sum(truth) / len(truth), rel=0.25)


def test_an_imu_thrust_has_no_let_up_figure(sets):
    r = gc("replay", sets / "thrust.imu.csv", "--format", "table")
    assert r.returncode == 0, r.stderr
    row = r.stdout.splitlines()[-1].split()
    assert row[0] == "1" and row[2] == "–" and row[8] == "–"     # preload and let-up unknown


def test_an_accelerometer_without_gyroscope_columns_is_read_and_said(sets, tmp_path):
    """Many loggers and phones record acceleration alone: its cycles are found as with the
    gyroscope (the simulated hand turns little), with one line saying the gyroscope is missing."""
    lines = (sets / "set.imu.csv").read_text().splitlines()
    acc = tmp_path / "acc.csv"
    acc.write_text("\n".join(",".join(x.split(",")[:4]) for x in lines) + "\n")
    full = gc("replay", sets / "set.imu.csv", "--format", "jsonl")
    r = gc("replay", acc, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    cycles = [json.loads(x) for x in r.stdout.splitlines() if json.loads(x)["type"] == "imu_cycle"]
    with_gyro = [json.loads(x) for x in full.stdout.splitlines() if json.loads(x)["type"] == "imu_cycle"]
    assert len(cycles) >= len(with_gyro) - 1 and len(cycles) >= 8
    mm = sum(c["displacement_mm"] for c in cycles) / len(cycles)
    assert mm == pytest.approx(sum(c["displacement_mm"] for c in with_gyro) / len(with_gyro), rel=0.2)
    said = [x for x in r.stderr.splitlines() if "gyroscope" in x]
    assert len(said) == 1 and "acc.csv: no gyroscope columns" in said[0]
