"""An IMU CSV a spreadsheet saved as UTF-16 with Excel's ``sep=;`` line above its header and its
time in milliseconds replays: the time column is found by the one header reader that replay
uses for a force CSV. Its own look at the header missed the ``sep=`` line of a UTF-16 file, took
the time for seconds and refused the file for a header lacking ``t_s``."""

from __future__ import annotations

import json

import numpy as np

from ui.cli import main


def test_a_utf16_imu_csv_with_a_sep_line_and_ms_times_replays(tmp_path, capsys):
    t = np.arange(0, 10, 0.01)
    rows = "".join(f"{a * 1e3:.0f};{0.5 * np.sin(2 * np.pi * 1.5 * a):.4f};0;9.81;0;0;0\r\n".replace(".", ",")
                   for a in t)
    p = tmp_path / "wrist.csv"
    p.write_bytes(("sep=;\r\nt_ms;ax_mps2;ay_mps2;az_mps2;gx_rads;gy_rads;gz_rads\r\n" + rows).encode("utf-16"))
    out = tmp_path / "r.jsonl"
    assert main(["replay", str(p), "--format", "jsonl", "-o", str(out)]) == 0
    summary = json.loads(out.read_text().splitlines()[-1])
    assert summary["type"] == "summary" and summary["spans_s"]["imu"] == [0.0, 9.99]
