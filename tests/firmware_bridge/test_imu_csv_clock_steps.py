"""An IMU logger whose clock stepped back part way (every time from a row on 0.4 s early): the IMU
CSV's reader skips the rows whose times went back and tells where the rows after them start a new
run, as a force CSV's reader does (the same code), read row by row or by pyarrow alike, with its
time in s or ms, with or without gyroscope columns, so that replay can mark the join."""

from __future__ import annotations

import numpy as np
import pytest

from firmware_bridge.csv_stream import IMU_COLUMNS, read_imu_csv

RATE_HZ, AT, BACK_ROWS = 100.0, 100, 40


def _written(tmp_path, n: int, back_rows: int = BACK_ROWS, header: str = "t_s,ax_mps2,ay_mps2,az_mps2,gx_rads,"
             "gy_rads,gz_rads", per_s: float = 1.0):
    """``n`` rows of a hand at rest 10 ms apart, the times from row AT on ``back_rows`` rows early."""
    k = np.arange(n)
    k[AT:] -= back_rows
    t = k / RATE_HZ
    rng = np.random.default_rng(0)
    v = np.column_stack([rng.normal(0, 0.05, (n, 2)), 9.81 + rng.normal(0, 0.05, n), rng.normal(0, 0.01, (n, 3))])
    v = v[:, :header.count(",")]
    p = tmp_path / "x.imu.csv"
    with open(p, "w", encoding="utf-8") as fh:
        fh.write(header + "\n")
        np.savetxt(fh, np.column_stack([np.round(t * per_s, 6), v]), fmt="%.6f", delimiter=",")
    return p, t


@pytest.mark.parametrize("n", [200, 1200])              # row by row (under 16 KB), and by pyarrow
def test_the_rows_after_a_step_back_start_a_new_run(tmp_path, n):
    p, t = _written(tmp_path, n)
    assert (p.stat().st_size < 16384) == (n == 200)
    d = read_imu_csv(p)
    assert d.skipped_rows == BACK_ROWS
    assert [(i, line, round(back, 6), a, b) for i, line, back, a, b in d.clock_steps] == [
        (AT, AT + 2, 0.4, round(t[AT], 6), round(t[AT - 1], 6))]
    assert d.t_s[AT] == pytest.approx(t[AT + BACK_ROWS]) and d.t_s[AT - 1] == pytest.approx(t[AT - 1])


def test_milliseconds_and_no_gyroscope_alike(tmp_path):
    p, _ = _written(tmp_path, 1200, header="t_ms,ax_mps2,ay_mps2,az_mps2", per_s=1000.0)
    d = read_imu_csv(p, IMU_COLUMNS[:4])
    assert [(i, line, round(back, 6)) for i, line, back, *_ in d.clock_steps] == [(AT, AT + 2, 0.4)]


@pytest.mark.parametrize("back_rows", [1, 20])          # 10 ms, 0.2 s back: bridged, bad rows alone
def test_a_short_step_back_is_bad_rows_alone(tmp_path, back_rows):
    p, _ = _written(tmp_path, 1200, back_rows)
    d = read_imu_csv(p)
    assert d.skipped_rows == back_rows and d.clock_steps == []
