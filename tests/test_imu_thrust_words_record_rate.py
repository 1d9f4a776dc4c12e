"""``record --device file:X.imu.csv`` (a worn IMU's recording, no force sensor) shows the IMU's
rate in its status line: it said "rate 0 Hz", the rate of a force the file does not hold. The
session it writes says nothing of a rate the device did not give, as before.

The recording: ``gradecoach simulate --grade V --imu 500 --seed 2 --sets 1`` (its v.imu.csv).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from ui.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_the_status_line_of_a_played_imu_says_its_rate(tmp_path: Path, capsys):
    v = tmp_path / "v.csv"
    assert main(["simulate", "--grade", "V", "--sets", "1", "--imu", "500", "--seed", "2", "-o", str(v)]) == 0
    capsys.readouterr()
    rec = tmp_path / "rec"
    # (played in real time: 2.5 s)
    r = subprocess.run([sys.executable, "-m", "ui.cli", "record", "--device", f"file:{v.with_suffix('.imu.csv')}",
                        "--out", str(rec), "--duration", "2.5"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    status = [line for line in r.stderr.splitlines() if "last grade" in line]
    assert status, r.stderr
    rates = [float(re.search(r"rate +(\d+) Hz", line).group(1)) for line in status]
    assert all(rate == 500 for rate in rates), status
    assert "rate_hz" not in json.loads((rec / "session.json").read_text())["sensor"]["device"]
