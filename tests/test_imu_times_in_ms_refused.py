"""An IMU CSV whose times under a ``t_s`` header are milliseconds (whole numbers 5 apart: a
200 Hz logger's clock) is refused in one line naming the file and the column to use, as a
force CSV is. An IMU-only session with such an imu.csv was replayed as a recording of 2995 s
with a dropout and no movement, and a warning asking "IMU times in ms?"."""

from __future__ import annotations

import shutil

from tests.conftest import gc
from tests._worn_imu import _worn_imu_session

SAID = ("times under a seconds header are whole numbers 5 s apart (slower than any IMU); if they are "
        "milliseconds, name the time column t_ms (200 samples a second)")


def _in_ms(path, header=None):
    lines = path.read_text().splitlines()
    rows = [f"{float(ln.split(',')[0]) * 1000:.0f},{ln.split(',', 1)[1]}" for ln in lines[1:]]
    path.write_text("\n".join([header or lines[0]] + rows) + "\n")


def test_an_imu_only_session_with_times_in_ms_is_refused_in_one_line(tmp_path):
    s = _worn_imu_session(tmp_path / "ben")
    _in_ms(s / "imu.csv")
    r = gc("replay", s)
    assert r.returncode == 2
    assert r.stderr == f"gradecoach: error: {s / 'imu.csv'}: {SAID}\n"
    assert r.stdout == ""


def test_a_bare_imu_csv_with_times_in_ms_is_refused_and_read_under_t_ms(tmp_path):
    s = _worn_imu_session(tmp_path / "ben")
    p = tmp_path / "hand.imu.csv"
    shutil.copy(s / "imu.csv", p)
    _in_ms(p)
    r = gc("replay", p)
    assert r.returncode == 2 and r.stderr == f"gradecoach: error: {p}: {SAID}\n"
    named = tmp_path / "named.imu.csv"                  # the same numbers under t_ms, as it advises
    shutil.copy(s / "imu.csv", named)
    _in_ms(named, header="t_ms,ax_mps2,ay_mps2,az_mps2,gx_rads,gy_rads,gz_rads")
    r = gc("replay", named, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    assert "ms?" not in r.stdout + r.stderr and "dropout" not in r.stdout
    assert '"spans_s": {"imu": [0.0, 2.995]}' in r.stdout
