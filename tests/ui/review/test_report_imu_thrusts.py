"""A V/HVLA session recorded with a hand-worn IMU only: its thrusts are listed in the report's
table, with no plot of thrusts aligned at onset (it was an empty frame: no force to draw)."""

from __future__ import annotations

import json
import shutil

from ui.cli import main


def test_an_imu_only_thrust_has_its_table_but_no_empty_force_plot(tmp_path, capsys):
    sim = tmp_path / "sim" / "x.csv"
    assert main(["simulate", "--grade", "V", "--r1", "40", "--r2", "120", "--rate", "1000", "--imu", "200",
                 "--seed", "5", "-o", str(sim)]) == 0
    folder = tmp_path / "root" / "imu"
    folder.mkdir(parents=True)
    shutil.copy(sim.with_name("x.imu.csv"), folder / "imu.csv")
    (folder / "session.json").write_text(json.dumps({
        "schema_version": 1, "created": "2026-10-01T10:00:00", "trainee": "Noah", "technique": "HVLA",
        "target": "V", "complete": True, "streams": {"imu": {"file": "imu.csv", "rate_hz": 200.0}}}))
    capsys.readouterr()
    out = tmp_path / "r.html"
    assert main(["report", str(folder), "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "<h3>Thrusts</h3>" in page                       # the IMU's thrust is listed
    assert "No force was recorded (IMU only)." in page
    assert 'alt="thrusts"' not in page                      # no empty frame of force
