"""Milliseconds under a seconds header (a 1 kHz logger's 0, 1, 2 … in a ``t_s`` column) are
refused in one line suggesting ``t_ms``; they were read as one sample a second, a recording a
thousand times as long and a dropout between every two samples."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from firmware_bridge.replay import load_input
from firmware_bridge.session import open_session

ROOT = Path(__file__).resolve().parents[2]


def _csv(path: Path, header: str, t) -> Path:
    path.write_text(header + "\n" + "".join(f"{v},{50 + 10 * np.sin(k / 100):.3f}\n" for k, v in enumerate(t)))
    return path


def test_milliseconds_under_a_seconds_header_are_refused_naming_t_ms(tmp_path):
    p = _csv(tmp_path / "ms.csv", "t_s,force_n", range(5000))
    r = subprocess.run([sys.executable, "-m", "ui.cli", "replay", str(p), "--r1", "40", "--r2", "120"],
                       cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr == (f"gradecoach: error: {p}: times under a seconds header are whole numbers 1 s apart "
                        f"(slower than any force sensor); if they are milliseconds, name the time column t_ms "
                        f"(1000 samples a second)\n")


def test_microseconds_under_a_seconds_header_are_refused_naming_t_us(tmp_path):
    p = _csv(tmp_path / "us.csv", "Time (s),Force (N)", range(0, 5_000_000, 1000))
    with pytest.raises(Exception, match=r"us\.csv: times under a seconds header are whole numbers 1000 s apart .* "
                                        r"name the time column t_us \(1000 samples a second\)$"):
        load_input(p)


def test_the_same_times_named_t_ms_are_read_at_1_khz(tmp_path):
    p = _csv(tmp_path / "ms.csv", "t_ms,force_n", range(5000))
    inp = load_input(p)
    assert inp.force.rate_hz == pytest.approx(1000) and inp.warnings == []


@pytest.mark.parametrize("t", [np.arange(600) / 10, np.arange(600) / 8, np.arange(59) * 1.0,
                               np.cumsum(np.resize([0.5, 1.5, 3.0], 600))])
def test_seconds_that_can_be_seconds_are_read(tmp_path, t):
    """10 samples a second (an HX711's slowest, here with room for its clock), times stepping
    unevenly, or too few rows to tell. (Times evenly 1.5 s apart are milliseconds, refused: see
    test_csv_european_milliseconds.)"""
    inp = load_input(_csv(tmp_path / "s.csv", "t_s,force_n", [f"{v:g}" for v in t]))
    assert len(inp.force.t_s) == len(t)


def test_a_session_with_milliseconds_in_its_force_file_opens_with_the_line_as_a_warning(tmp_path):
    s = tmp_path / "sess"
    s.mkdir()
    _csv(s / "force.csv", "t_s,force_n", range(5000))
    (s / "imu.csv").write_text("t_s,ax_mps2,ay_mps2,az_mps2,gx_rads,gy_rads,gz_rads\n"
                               + "".join(f"{k / 100},0,0,9.81,0,0,0\n" for k in range(300)))
    got = open_session(s)
    assert got.force is None and len(got.imu.t_s) == 300
    assert any("force.csv: times under a seconds header are whole numbers 1 s apart" in w for w in got.warnings)
