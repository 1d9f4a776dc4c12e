"""An IMU CSV is read as a force CSV is: its time may be named ``t_ms`` or ``t_us`` (a logger's
clock), converted to seconds (it was refused: "header lacks column 't_s' (found t_ms: unknown
units?)"), and a ``*.imu.csv`` with a wrong header is refused naming the IMU's columns (it named
the force's, ``expected t_s,force_n``)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from firmware_bridge.replay import analyze_input, load_input
from firmware_bridge.session import IMU_COLUMNS
from ui.cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def worn_imu(tmp_path_factory) -> Path:
    """A simulated HVLA session's hand-worn IMU at 200 Hz, ``t_s`` in seconds (``x.imu.csv``)."""
    d = tmp_path_factory.mktemp("sim")
    assert main(["simulate", "--grade", "V", "--imu", "200", "-o", str(d / "x.csv")]) == 0
    return d / "x.imu.csv"


def _in_units(src: Path, dst: Path, time_header: str, per_s: float, columns: int = 7) -> Path:
    """``src`` with its time column named ``time_header`` and given in 1/``per_s`` s, its first
    ``columns`` columns only."""
    lines = src.read_text().splitlines()
    rows = [line.split(",")[:columns] for line in lines[1:]]
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_text(",".join([time_header] + lines[0].split(",")[1:columns]) + "\n"
                   + "".join(",".join([f"{float(r[0]) * per_s:.3f}"] + r[1:]) + "\n" for r in rows))
    return dst


def _thrusts(inp) -> list[dict]:
    return [d for d in (e.to_dict() for e in analyze_input(inp)) if d["type"] == "thrust"]


@pytest.mark.parametrize("time_header, per_s", [("t_ms", 1e3), ("Time (ms)", 1e3), ("t_us", 1e6)])
@pytest.mark.parametrize("where", ["bare", "session"])
def test_an_imu_timed_by_a_millisecond_clock_gives_the_thrusts_it_gives_in_seconds(tmp_path, worn_imu, where,
                                                                                    time_header, per_s):
    if where == "bare":
        path = _in_units(worn_imu, tmp_path / "x.imu.csv", time_header, per_s)
    else:
        path = tmp_path / "s"
        _in_units(worn_imu, path / "imu.csv", time_header, per_s)
        (path / "session.json").write_text(json.dumps({"complete": True}))
    seconds = load_input(worn_imu)
    got = load_input(path)
    assert got.warnings == []
    assert got.imu.rate_hz == pytest.approx(200.0)
    assert got.imu.t_s == pytest.approx(seconds.imu.t_s, abs=1e-9)
    want = _thrusts(seconds)
    assert len(want) == 1                   # (the simulated thrust)
    assert _thrusts(got) == [pytest.approx(t, abs=1e-5) for t in want]


def test_an_accelerometer_alone_in_milliseconds_is_read_in_seconds(tmp_path, worn_imu):
    p = _in_units(worn_imu, tmp_path / "acc.csv", "t_ms", 1e3, columns=4)
    got = load_input(p)
    assert got.imu.rate_hz == pytest.approx(200.0)
    assert got.imu.t_s == pytest.approx(load_input(worn_imu).imu.t_s, abs=1e-9)
    assert got.warnings == [f"{p}: no gyroscope columns (gx_rads,gy_rads,gz_rads): the vertical is followed from "
                            f"the accelerometer alone, as if the sensor never turned"]


@pytest.mark.parametrize("header, why", [
    ("time,accx,accy,accz", "header lacks column 't_s' (found time with no unit: name it t_s, t_ms, t_us or "
                            "'time (s)')"),
    ("t_s,acc_x,acc_y,acc_z,gyr_x,gyr_y,gyr_z", "header lacks column 'ax_mps2'"),
])
def test_an_imu_csv_with_a_wrong_header_is_refused_naming_the_imu_columns(tmp_path, header, why):
    p = tmp_path / "bad.imu.csv"
    p.write_text(header + "\n" + "".join(f"{k / 100},0,0,9.81,0,0,0\n" for k in range(100)))
    r = subprocess.run([sys.executable, "-m", "ui.cli", "replay", str(p)], cwd=ROOT, capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr == (f"gradecoach: error: {p}:1: {why}; expected {','.join(IMU_COLUMNS)}, "
                        f"found {header!r}\n")
