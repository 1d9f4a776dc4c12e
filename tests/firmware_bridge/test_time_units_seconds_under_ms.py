"""Seconds written under a milliseconds (or µs) header are refused in one line that names the
file, the step and the column to use: a bare force CSV, an IMU CSV and a session folder's
force.csv alike. Read as milliseconds, a 1 kHz logger's 0.001, 0.002 … made a recording a
thousand times as short at 1 MHz, graded without a word."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ui.cli import main

RATE = 1000.0


def _rows(n: int = 3000) -> tuple[np.ndarray, np.ndarray]:
    t = np.arange(n) / RATE
    return t, 30 + 20 * np.sin(2 * np.pi * 1.5 * t)


def _write(path: Path, header: str, t: np.ndarray, *columns: np.ndarray) -> Path:
    path.write_text(header + "\n" + "".join(",".join(f"{v:.6f}" for v in row) + "\n"
                                            for row in zip(t, *columns)))
    return path


def _replay(capsys, path: Path) -> tuple[int, str]:
    code = main(["replay", str(path)])
    out = capsys.readouterr()
    return code, out.err.strip()


@pytest.mark.parametrize("header, scale, told", [
    ("t_ms,force_n", 1.0, "name the time column t_s (1000 samples a second)"),
    ("Time (ms),force_n", 1.0, "name the time column t_s (1000 samples a second)"),
    ("t_us,force_n", 1.0, "name the time column t_s (1000 samples a second)"),
    ("t_us,force_n", 1e3, "name the time column t_ms (1000 samples a second)"),
])
def test_a_bare_force_csv_with_seconds_under_milliseconds_is_refused(tmp_path, capsys, header, scale, told):
    t, f = _rows()
    p = _write(tmp_path / "x.csv", header, t * scale, f)
    code, err = _replay(capsys, p)
    assert code != 0
    assert len(err.splitlines()) == 1 and str(p) in err and told in err and "Traceback" not in err


def test_the_same_rows_in_milliseconds_replay(tmp_path, capsys):
    t, f = _rows()
    p = _write(tmp_path / "x.csv", "t_ms,force_n", t * 1e3, f)
    code, err = _replay(capsys, p)
    assert code == 0, err


def test_an_imu_csv_with_seconds_under_milliseconds_is_refused(tmp_path, capsys):
    t, _ = _rows()
    z = np.zeros_like(t)
    p = _write(tmp_path / "hand.imu.csv", "t_ms,ax_mps2,ay_mps2,az_mps2,gx_rads,gy_rads,gz_rads", t,
               z, z, z + 9.81, z, z, z)
    code, err = _replay(capsys, p)
    assert code != 0
    assert len(err.splitlines()) == 1 and str(p) in err and "name the time column t_s" in err


def test_a_session_folders_force_csv_with_seconds_under_milliseconds_is_refused(tmp_path, capsys):
    t, f = _rows()
    d = tmp_path / "anna"
    d.mkdir()
    (d / "session.json").write_text('{"schema_version": 1, "trainee": "anna", "r1_n": 40, "r2_n": 120, '
                                    '"streams": {"force": {"file": "force.csv", "rate_hz": 1000.0}}}')
    p = _write(d / "force.csv", "t_ms,force_n", t, f)
    code, err = _replay(capsys, d)
    assert code != 0
    assert "Traceback" not in err and str(p) in err and "name the time column t_s" in err
